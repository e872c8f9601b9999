import Coordination
import Foundation
import Hummingbird
import Publishing
import Storage
import Workflows

/// A JSON response (keys sorted, absent values as `null` where the model says so).
func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, etag: String? = nil) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
    let data = try encoder.encode(value)
    var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
    if let etag { headers[.eTag] = etag }
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

/// A strong ETag of a value's canonical JSON.
func etag(of value: some Encodable) -> String {
    "\"\(SHA256Hex.of(AuditPayload.encode(value)).prefix(24))\""
}

struct OfficeJSON: Encodable, Sendable {
    var id, name, shortName, administration: String
    init(_ o: Office) {
        (id, name, shortName, administration) = (o.id, o.name, o.shortName, o.administration.rawValue)
    }
}

struct MemberJSON: Encodable, Sendable {
    var office, role: String
    var levels: [String]
    var validFrom, validUntil: Nullable<String>
    init(_ m: Membership) {
        office = m.office
        role = m.role.rawValue
        levels = m.levels.map(\.rawValue)
        validFrom = Nullable(m.validFrom?.description)
        validUntil = Nullable(m.validUntil?.description)
    }
}

struct BodyJSON: Encodable, Sendable {
    struct SeriesJSON: Encodable, Sendable {
        var id, kind, start, timeZone: String
        var title, rrule, location: Nullable<String>
        var durationMinutes: Int
    }
    var id, name, kind, chair: String
    var legalBasis, agreements: [String]
    var members: [MemberJSON]
    var series: [SeriesJSON]
    var feed: String
    init(_ b: Body, baseURL: String) {
        (id, name, kind, chair) = (b.id, b.name, b.kind.rawValue, b.chair)
        (legalBasis, agreements) = (b.legalBasis, b.agreements)
        members = b.members.map(MemberJSON.init)
        series = b.series.map {
            SeriesJSON(
                id: $0.id, kind: $0.kind.rawValue, start: $0.start.description, timeZone: $0.timeZone,
                title: Nullable($0.title), rrule: Nullable($0.rule?.description), location: Nullable($0.location),
                durationMinutes: $0.durationMinutes)
        }
        feed = "\(baseURL)/feeds/bodies/\(b.id).ics"
    }
}

struct SessionJSON: Encodable, Sendable {
    var body, series, date, start, end, timeZone, status, title, kind: String
    var location, reason: Nullable<String>
    init(_ s: Session, key: SessionKey) {
        (body, series, date) = (s.body, s.series, key.date.description)
        (start, end, timeZone) = (s.start.iso8601, s.end.iso8601, s.timeZone)
        (status, title, kind) = (s.status.rawValue, s.title, s.kind.rawValue)
        location = Nullable(s.location)
        reason = Nullable(s.reason)
    }
}

/// A seat: who holds an office's place in a body (personal data: coordinators, auditors, admins).
struct SeatJSON: Encodable, Sendable {
    var id: Int
    var body, office, person, role: String
    var name, from, until: Nullable<String>
    var rank: Int
    init(_ l: SeatListing) {
        (id, body, office, person, role, rank) = (
            l.seat.id, l.seat.body, l.seat.office, l.seat.person, l.seat.role.rawValue, l.seat.rank
        )
        name = Nullable(l.person?.name)
        (from, until) = (Nullable(l.seat.validFrom?.description), Nullable(l.seat.validUntil?.description))
    }
}

/// Two overlapping sessions of bodies that share an office.
struct ConflictJSON: Encodable, Sendable {
    var first, second: SessionJSON
    var offices: [String]
    init(_ c: SessionConflict, district: District) {
        func key(_ s: Session) -> SessionKey {
            guard let b = district.body(s.body), let series = b.series.first(where: { $0.id == s.series }) else {
                return SessionKey(body: s.body, series: s.series, date: s.start.local.date)
            }
            return district.key(of: s, body: b, series: series)
        }
        first = SessionJSON(c.session, key: key(c.session))
        second = SessionJSON(c.other, key: key(c.other))
        offices = c.offices
    }
}

struct SessionChangeJSON: Encodable, Sendable {
    var body, series, change, date, time, actor: String
    var to, reason: Nullable<String>
    init(_ c: SessionChange) {
        (body, series, time, actor) = (c.body, c.series, c.time.description + "Z", c.actor)
        switch c.exception {
        case .cancel(let d, let r):
            (change, date, to, reason) = ("cancel", d.description, Nullable(nil), Nullable(r))
        case .move(let m):
            (change, date, to, reason) = ("move", m.date.description, Nullable(m.to.description), Nullable(m.reason))
        case .add(let a):
            let kind: String
            switch a.status {
            case .cancelled: kind = "cancel"
            case .moved: kind = "move"
            case .scheduled: kind = "add"
            }
            (change, date, to, reason) = (
                kind, a.start.date.description, Nullable(a.start.description), Nullable(a.reason)
            )
        case .reinstate(let d, let r):
            (change, date, to, reason) = ("reinstate", d.description, Nullable(nil), Nullable(r))
        case .remove(let id, let r):
            (change, date, to, reason) = ("remove", id, Nullable(nil), Nullable(r))
        }
    }
}

struct EntryJSON: Codable, Sendable {
    var office: String
    var person: String?
    var status: String
    var deputy: String?
    /// Local wall-clock time `HH:MM` on the session's day.
    var arrival: String?
    var departure: String?

    init(office: String, person: String?, status: String, deputy: String?, arrival: String?, departure: String?) {
        (self.office, self.person, self.status, self.deputy) = (office, person, status, deputy)
        (self.arrival, self.departure) = (arrival, departure)
    }

    init(_ e: AttendanceEntry) {
        self.init(
            office: e.office, person: e.person, status: e.status.rawValue, deputy: e.deputy,
            arrival: e.arrival?.clock, departure: e.departure?.clock)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(office, forKey: .office)
        try c.encode(person, forKey: .person)
        try c.encode(status, forKey: .status)
        try c.encode(deputy, forKey: .deputy)
        try c.encode(arrival, forKey: .arrival)
        try c.encode(departure, forKey: .departure)
    }
}

struct AttendanceJSON: Encodable, Sendable {
    struct Expected: Encodable, Sendable {
        var office, role: String
        /// The regular holders of the office's place that day, and its deputies in order, by name.
        var people, deputies: [String]
    }
    struct Quorum: Encodable, Sendable {
        var rule: String
        var votingMembers, present, required: Int
        var reached: Bool
    }
    var session: SessionJSON
    var expected: [Expected]
    var entries: [EntryJSON]
    var quorum: Nullable<Quorum>
    var minutes: String
}

struct MinutesJSON: Encodable, Sendable {
    var body, series, date, status: String
    var time, actor, reason: Nullable<String>
    /// Approved: the version frozen and its SHA-256.
    var version: Nullable<Int>
    var contentHash: Nullable<String>
    init(_ key: SessionKey, _ state: MinutesState?) {
        (body, series, date) = (key.body, key.series, key.date.description)
        status = state?.status.rawValue ?? "draft"
        time = Nullable(state.map { $0.time.description + "Z" })
        actor = Nullable(state?.actor)
        reason = Nullable(state?.reason)
        version = Nullable(state?.status == .approved ? state?.version : nil)
        contentHash = Nullable(state?.status == .approved ? state?.contentHash : nil)
    }
}

/// What is written into a session's minutes, as the API gives it and takes changes to it.
struct MinutesContentJSON: Codable, Sendable {
    struct Vote: Codable, Sendable {
        var subject: String
        var yes, no, abstentions: Int
        var quorumHeld: Bool?
    }
    struct Item: Codable, Sendable {
        var id: Int
        var text: String?
        var standing: Bool?
        var `public`: Bool?
        var discussion: String?
        var results: String?
        var votes: [Vote]?
    }
    var revision: Int?
    var began, ended, minuteTaker: String?
    var items: [Item]?

    init(_ r: MinutesRecord) {
        revision = r.revision
        (began, ended, minuteTaker) = (r.began, r.ended, r.minuteTaker)
        items = r.items.map {
            Item(
                id: $0.id, text: $0.text, standing: $0.standing, public: $0.isPublic, discussion: $0.discussion,
                results: $0.results,
                votes: $0.votes.map {
                    Vote(
                        subject: $0.subject, yes: $0.yes, no: $0.no, abstentions: $0.abstentions,
                        quorumHeld: $0.quorumHeld)
                })
        }
    }

    /// The edits a PATCH asks for: times and minute-taker when given, each item's text when given.
    func edits(current: MinutesRecord) -> [Workflows.MinutesEdit] {
        var edits: [Workflows.MinutesEdit] = []
        if began != nil || ended != nil {
            edits.append(.times(began: began ?? current.began ?? "", ended: ended ?? current.ended ?? ""))
        }
        if let minuteTaker { edits.append(.minuteTaker(minuteTaker)) }
        for item in items ?? [] {
            let stored = current.item(item.id)
            edits.append(
                .item(
                    id: item.id, discussion: item.discussion ?? stored?.discussion ?? "",
                    results: item.results ?? stored?.results ?? "", isPublic: item.public ?? stored?.isPublic ?? true))
        }
        return edits
    }
}

struct MinutesVersionJSON: Encodable, Sendable {
    var number: Int
    var approved, actor, hash: String
    init(_ v: MinutesVersion) {
        (number, approved, actor, hash) = (v.number, v.approved.description + "Z", v.actor, v.hash)
    }
}

struct TokenJSON: Encodable, Sendable {
    var id, person, kind, created: String
    var role, expires, revoked, lastUsed: Nullable<String>
    var bodies: [String]
    init(_ t: AccessToken) {
        (id, person, kind, created) = (t.id, t.person, t.kind.rawValue, t.created.description + "Z")
        role = Nullable(t.role?.rawValue)
        expires = Nullable(t.expires.map { $0.description + "Z" })
        revoked = Nullable(t.revoked.map { $0.description + "Z" })
        lastUsed = Nullable(t.lastUsed.map { $0.description + "Z" })
        bodies = t.bodies
    }
}

extension AttendanceJSON {
    init(_ sheet: AttendanceSheet) {
        let quorum = sheet.quorum.map {
            Quorum(
                rule: $0.rule.rawValue, votingMembers: $0.votingMembers, present: $0.present, required: $0.required,
                reached: $0.reached)
        }
        self.init(
            session: SessionJSON(sheet.session.session, key: sheet.session.key),
            expected: sheet.expected.map {
                .init(
                    office: $0.office, role: $0.role.rawValue, people: sheet.expectedPeople($0.office),
                    deputies: sheet.deputies($0.office))
            },
            entries: sheet.entries.map(EntryJSON.init), quorum: Nullable(quorum),
            minutes: sheet.minutes?.status.rawValue ?? "draft")
    }
}

extension EntryJSON {
    /// The entry as a line for `Workflows.recordAttendance`.
    func line(label: String, target: SessionTarget) -> AttendanceLine {
        AttendanceLine(
            label: label, session: target, office: office, person: person, status: status, deputy: deputy,
            arrival: arrival, departure: departure)
    }
}
