import Coordination

/// A row of the `reply` table (an answer to an invitation), as every backend keeps it.
public struct ReplyRow: Codable, Sendable {
    public var bodyId: String
    public var seriesId: String
    public var date: String
    public var person: String
    public var answer: String
    public var time: String
    public var via: String
    public var comment: String?

    public init(_ r: Reply) {
        (bodyId, seriesId, date, person) = (r.session.body, r.session.series, r.session.date.description, r.person)
        (answer, time, via, comment) = (r.answer.rawValue, r.time.description, r.via, r.comment)
    }

    public func domain() throws(StorageError) -> Reply {
        guard let day = CivilDate(iso: date), let a = Reply.Answer(rawValue: answer), let t = LocalDateTime(iso: time)
        else { throw .unreadable(what: "answer of \(bodyId)/\(seriesId)/\(date)", reason: "answer or time") }
        return Reply(
            session: SessionKey(body: bodyId, series: seriesId, date: day), person: person, answer: a, time: t,
            via: via, comment: comment)
    }
}

/// A row of the `replyLink` table (a one-click answer link; its hash only).
public struct ReplyLinkRow: Codable, Sendable {
    public var hash: String
    public var bodyId: String
    public var seriesId: String
    public var date: String
    public var person: String
    public var answer: String
    public var expires: String

    public init(_ l: ReplyLink) {
        (hash, bodyId, seriesId, date) = (l.hash, l.session.body, l.session.series, l.session.date.description)
        (person, answer, expires) = (l.person, l.answer.rawValue, l.expires.description)
    }

    public func domain() throws(StorageError) -> ReplyLink {
        guard let day = CivilDate(iso: date), let a = Reply.Answer(rawValue: answer),
            let until = LocalDateTime(iso: expires)
        else { throw .unreadable(what: "answer link", reason: "date, answer or time") }
        return ReplyLink(
            hash: hash, session: SessionKey(body: bodyId, series: seriesId, date: day), person: person, answer: a,
            expires: until)
    }
}
