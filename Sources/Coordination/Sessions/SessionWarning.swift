/// What a coordinator is told before a session is placed at a time (moved, added): the change
/// may still be wanted, so it goes ahead only when confirmed.
public enum SessionWarning: Sendable, Hashable, Codable {
    /// The time overlaps a session of another body in which an office of this one also sits.
    case conflict(SessionConflict)
    /// A public holiday of North Rhine-Westphalia.
    case holiday(date: CivilDate, name: String)
    /// A closing day of the district's administration (`closing_days` in `district.yaml`).
    case closingDay(date: CivilDate, name: String)
    case weekend(date: CivilDate)
    /// After `plan_until`: nothing is planned there, and an added session is not published.
    case afterPlanning(date: CivilDate, planUntil: CivilDate)
    case past(date: CivilDate, today: CivilDate)

    /// A stable word for programs.
    public var code: String {
        switch self {
        case .conflict: return "conflict"
        case .holiday: return "holiday"
        case .closingDay: return "closing_day"
        case .weekend: return "weekend"
        case .afterPlanning: return "after_plan_until"
        case .past: return "past"
        }
    }

    /// The warning in the wording of the command line and the API.
    public var text: String {
        switch self {
        case .conflict(let c):
            return "conflict: \(c.other.body) meets on \(c.other.start.local.date) from \(c.other.start.local.clock) "
                + "to \(c.other.end.local.clock), and \(c.offices.joined(separator: ", ")) "
                + "\(c.offices.count == 1 ? "sits" : "sit") in both bodies"
        case .holiday(let date, let name): return "\(date) is a public holiday in NRW (\(name))"
        case .closingDay(let date, let name): return "\(date) is a closing day of the administration (\(name))"
        case .weekend(let date): return "\(date) is a \(date.weekday.english)"
        case .afterPlanning(let date, let until):
            return "\(date) lies after the end of planning (plan_until \(until)); nothing is published there"
        case .past(let date, let today): return "\(date) lies in the past (today is \(today))"
        }
    }

    /// The warning as a page says it.
    public var german: String {
        switch self {
        case .conflict(let c):
            return "Überschneidung: \(c.otherName) tagt am \(c.other.start.local.date.german) von "
                + "\(c.other.start.local.clock) bis \(c.other.end.local.clock) Uhr; "
                + "\(c.officeNames.joined(separator: ", ")) \(c.offices.count == 1 ? "wirkt" : "wirken") in beiden Gremien mit."
        case .holiday(let date, let name): return "Der \(date.german) ist ein gesetzlicher Feiertag in NRW (\(name))."
        case .closingDay(let date, let name):
            return "Der \(date.german) ist ein Schließtag der Verwaltung (\(name))."
        case .weekend(let date): return "Der \(date.german) ist ein \(date.weekday.german)."
        case .afterPlanning(let date, let until):
            return
                "Der \(date.german) liegt nach dem Ende der Planung (\(until.german)); dort wird nichts veröffentlicht."
        case .past(let date, _): return "Der \(date.german) liegt in der Vergangenheit."
        }
    }
}

/// Two sessions of different bodies at overlapping times with an office sitting in both.
public struct SessionConflict: Sendable, Hashable, Codable {
    /// The session whose time is being chosen (or the earlier of a listed pair).
    public var session: Session
    /// The session it overlaps.
    public var other: Session
    /// The name of the other session's body.
    public var otherName: String
    /// The ids of the offices in both bodies on that day.
    public var offices: [String]
    /// Their short names, in the same order.
    public var officeNames: [String]

    public init(session: Session, other: Session, otherName: String, offices: [String], officeNames: [String]) {
        self.session = session
        self.other = other
        self.otherName = otherName
        self.offices = offices
        self.officeNames = officeNames
    }
}

extension Weekday {
    public var english: String {
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][rawValue]
    }

    public var german: String {
        ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"][rawValue]
    }
}

extension SessionPlanner {
    /// The warnings for holding `session` of `body` at its start: overlaps with other bodies'
    /// sessions that share an office, a holiday or closing day, a weekend, a day after
    /// `plan_until`, a day before `today`. Cancelled sessions overlap nothing.
    public func warnings(placing session: Session, of body: Body, today: CivilDate) -> [SessionWarning] {
        let day = session.start.local.date
        var result: [SessionWarning] = conflicts(of: session, body: body).map { .conflict($0) }
        if let name = holidays.name(of: day) {
            let isPublic = holidays.holidays.contains { $0.date(in: day.year) == day }
            result.append(isPublic ? .holiday(date: day, name: name) : .closingDay(date: day, name: name))
        }
        if day.weekday.rawValue >= 5 { result.append(.weekend(date: day)) }
        if day > district.planUntil { result.append(.afterPlanning(date: day, planUntil: district.planUntil)) }
        if day < today { result.append(.past(date: day, today: today)) }
        return result
    }

    /// The sessions of other bodies that overlap `session` and share an office with `body` on
    /// that day, in order of start.
    public func conflicts(of session: Session, body: Body) -> [SessionConflict] {
        guard session.status != .cancelled, !body.members(on: session.start.local.date).isEmpty else { return [] }
        return sessions(from: session.start.utc - 86_400, to: session.end.utc).compactMap { other in
            guard other.body != body.id, other.status != .cancelled, other.start < session.end,
                session.start < other.end
            else { return nil }
            return conflict(session, with: body, other)
        }
    }

    /// The conflict of two sessions whose times overlap, when an office sits in both bodies on
    /// their days; `nil` otherwise.
    func conflict(_ session: Session, with body: Body, _ other: Session) -> SessionConflict? {
        guard let otherBody = district.body(other.body) else { return nil }
        let shared = Set(body.members(on: session.start.local.date).map(\.office)).intersection(
            otherBody.members(on: other.start.local.date).map(\.office))
        guard !shared.isEmpty else { return nil }
        let ids = shared.sorted()
        return SessionConflict(
            session: session, other: other, otherName: otherBody.name, offices: ids,
            officeNames: ids.map { district.office($0)?.shortName ?? $0 })
    }

    /// Every pair of overlapping sessions of different bodies that share an office, among the
    /// sessions starting in `[from, to)` (UTC seconds), in order of the first one's start.
    public func conflicts(from: Int64, to: Int64) -> [SessionConflict] {
        let all = sessions(from: from, to: to).filter { $0.status != .cancelled }
        var result: [SessionConflict] = []
        var open: [Session] = []  // started, not yet ended, by start
        for session in all {
            open.removeAll { $0.end <= session.start }
            for earlier in open where earlier.body != session.body {
                if let body = district.body(earlier.body), let c = conflict(earlier, with: body, session) {
                    result.append(c)
                }
            }
            open.append(session)
        }
        return result
    }
}
