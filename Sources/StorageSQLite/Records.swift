import Coordination
import Foundation
import GRDB
import Storage

// Plain Codable records, one per table, apart from the domain types (GRDB's
// RecordRecommendedPractices): each maps to and from a domain value.

struct DistrictRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "district"
    var id = 1
    var name: String
    var uidDomain: String
    var defaultTimeZone: String
    var planUntil: String
    var refreshMinutes: Int
    var closingDays: [HolidayCalendar.Day]

    init(_ s: DistrictSettings) {
        name = s.name
        uidDomain = s.uidDomain
        defaultTimeZone = s.defaultTimeZone
        planUntil = s.planUntil.description
        refreshMinutes = s.refreshMinutes
        closingDays = s.closingDays
    }

    func domain() throws(StorageError) -> DistrictSettings {
        guard let until = CivilDate(iso: planUntil) else {
            throw .unreadable(what: "district settings", reason: "plan_until '\(planUntil)'")
        }
        return DistrictSettings(
            name: name, uidDomain: uidDomain, defaultTimeZone: defaultTimeZone, planUntil: until,
            refreshMinutes: refreshMinutes, closingDays: closingDays)
    }
}

struct OfficeRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "office"
    var id: String
    var name: String
    var shortName: String
    var administration: String
    var archived: Bool

    init(_ o: Office, archived: Bool) {
        (id, name, shortName, administration, self.archived) = (
            o.id, o.name, o.shortName, o.administration.rawValue, archived
        )
    }

    func domain() throws(StorageError) -> Office {
        let administration: Office.Administration = try value(administration, "administration", of: "office \(id)")
        return Office(id: id, name: name, shortName: shortName, administration: administration)
    }
}

struct BodyRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "body"
    var id: String
    var name: String
    var kind: String
    var legalBasis: [String]
    var agreements: [String]
    var chair: String
    var validFrom: String?
    var validUntil: String?
    var quorum: String?
    var archived: Bool

    init(_ b: Body, archived: Bool) {
        id = b.id
        name = b.name
        kind = b.kind.rawValue
        legalBasis = b.legalBasis
        agreements = b.agreements
        chair = b.chair
        validFrom = b.validFrom?.description
        validUntil = b.validUntil?.description
        quorum = b.quorum?.rawValue
        self.archived = archived
    }

    func domain(members: [Membership], series: [Series]) throws(StorageError) -> Body {
        let kind: Body.Kind = try value(kind, "kind", of: "body \(id)")
        var rule: QuorumRule?
        if let quorum { rule = try value(quorum, "quorum", of: "body \(id)") }
        return Body(
            id: id, name: name, kind: kind, legalBasis: legalBasis, agreements: agreements, chair: chair,
            members: members, validFrom: try date(validFrom, "body \(id)"),
            validUntil: try date(validUntil, "body \(id)"), series: series, quorum: rule)
    }
}

struct MembershipRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "membership"
    var bodyId: String
    var position: Int
    var office: String
    var role: String
    var levels: [String]
    var validFrom: String?
    var validUntil: String?
    /// Removed from the body by a sync (ended the day before it); kept for reports.
    var past: Bool

    init(_ m: Membership, body: String, position: Int, past: Bool = false) {
        bodyId = body
        self.position = position
        self.past = past
        office = m.office
        role = m.role.rawValue
        levels = m.levels.map(\.rawValue)
        validFrom = m.validFrom?.description
        validUntil = m.validUntil?.description
    }

    func domain() throws(StorageError) -> Membership {
        let what = "membership of \(office) in \(bodyId)"
        let role: Membership.Role = try value(role, "role", of: what)
        var parsed: [Membership.Level] = []
        for level in levels { parsed.append(try value(level, "level", of: what)) }
        return Membership(
            office: office, role: role, levels: parsed, validFrom: try date(validFrom, what),
            validUntil: try date(validUntil, what))
    }
}

struct SeriesRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "series"
    var bodyId: String
    var id: String
    var position: Int
    var title: String?
    var start: String
    var durationMinutes: Int
    var timeZone: String
    var rule: String?
    var location: String?
    var kind: String
    var holidayPolicy: String
    var exceptions: [SeriesException]
    var agenda: [String]
    var updated: String
    var sequence: Int
    var archived: Bool

    init(_ s: Series, body: String, position: Int, archived: Bool) {
        bodyId = body
        id = s.id
        self.position = position
        title = s.title
        start = s.start.description
        durationMinutes = s.durationMinutes
        timeZone = s.timeZone
        rule = s.rule?.description
        location = s.location
        kind = s.kind.rawValue
        holidayPolicy = s.holidayPolicy.rawValue
        exceptions = s.exceptions
        agenda = s.agenda
        updated = s.updated.description
        sequence = s.sequence
        self.archived = archived
    }

    func domain() throws(StorageError) -> Series {
        let what = "series \(bodyId)/\(id)"
        guard let start = LocalDateTime(iso: start), let updated = LocalDateTime(iso: updated) else {
            throw .unreadable(what: what, reason: "start or updated is not YYYY-MM-DDTHH:MM:SS")
        }
        let kind: Series.MeetingKind = try value(kind, "kind", of: what)
        let policy: Series.HolidayPolicy = try value(holidayPolicy, "holiday policy", of: what)
        var parsed: RecurrenceRule?
        if let rule {
            do { parsed = try RecurrenceRule(parsing: rule) } catch {
                throw .unreadable(what: what, reason: "rrule: \(error.description)")
            }
        }
        return Series(
            id: id, title: title, start: start, durationMinutes: durationMinutes, timeZone: timeZone, rule: parsed,
            location: location, kind: kind, holidayPolicy: policy, exceptions: exceptions, updated: updated,
            sequence: sequence, agenda: agenda)
    }
}

struct ChangeLogRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "changeLog"
    var id: Int64?
    var time: String
    var actor: String
    var subject: String
    var action: String
    var detail: String

    init(_ r: ChangeRecord) {
        (time, actor, subject, action, detail) = (r.time.description, r.actor, r.subject, r.action, r.detail)
    }

    func domain() throws(StorageError) -> ChangeRecord {
        guard let t = LocalDateTime(iso: time) else {
            throw .unreadable(what: "change log entry \(id ?? 0)", reason: "time '\(time)'")
        }
        return ChangeRecord(time: t, actor: actor, subject: subject, action: action, detail: detail)
    }
}

/// A stored word read back as its enum case; an unknown word means the file was changed or is newer.
func value<E: RawRepresentable>(_ raw: String, _ field: String, of what: String) throws(StorageError) -> E
where E.RawValue == String {
    guard let v = E(rawValue: raw) else { throw .unreadable(what: what, reason: "\(field) '\(raw)'") }
    return v
}

func date(_ text: String?, _ what: String) throws(StorageError) -> CivilDate? {
    guard let text else { return nil }
    guard let d = CivilDate(iso: text) else { throw .unreadable(what: what, reason: "date '\(text)'") }
    return d
}

struct SessionChangeRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "sessionChange"
    var id: Int64?
    var bodyId: String
    var seriesId: String
    var exception: SeriesException
    var time: String
    var actor: String

    init(_ c: SessionChange) {
        (bodyId, seriesId, exception, time, actor) = (c.body, c.series, c.exception, c.time.description, c.actor)
    }

    func domain() throws(StorageError) -> SessionChange {
        guard let t = LocalDateTime(iso: time) else {
            throw .unreadable(what: "session change \(id ?? 0)", reason: "time '\(time)'")
        }
        return SessionChange(body: bodyId, series: seriesId, exception: exception, time: t, actor: actor)
    }
}

struct PersonRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "person"
    var name: String
    var office: String
    var level: String
    var email: String?

    init(_ p: Person) { (name, office, level, email) = (p.name, p.office, p.level.rawValue, p.email) }

    func domain() throws(StorageError) -> Person {
        Person(name: name, office: office, level: try value(level, "level", of: "person \(name)"), email: email)
    }
}

struct AttendanceRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "attendance"
    var bodyId: String
    var seriesId: String
    var date: String
    var office: String
    var person: String
    var status: String
    var deputy: String?
    var arrival: String?
    var departure: String?

    init(_ e: AttendanceEntry) {
        bodyId = e.session.body
        seriesId = e.session.series
        date = e.session.date.description
        office = e.office
        person = e.person ?? ""
        status = e.status.rawValue
        deputy = e.deputy
        arrival = e.arrival?.description
        departure = e.departure?.description
    }

    func domain() throws(StorageError) -> AttendanceEntry {
        let what = "attendance \(bodyId)/\(seriesId) \(date) \(office)"
        guard let day = CivilDate(iso: date), let s = AttendanceEntry.Status(rawValue: status) else {
            throw .unreadable(what: what, reason: "date '\(date)' or status '\(status)'")
        }
        return AttendanceEntry(
            session: SessionKey(body: bodyId, series: seriesId, date: day), office: office,
            person: person.isEmpty ? nil : person, status: s, deputy: deputy,
            arrival: arrival.flatMap(LocalDateTime.init(iso:)),
            departure: departure.flatMap(LocalDateTime.init(iso:)))
    }
}

struct MinutesStateRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "minutesState"
    var bodyId: String
    var seriesId: String
    var date: String
    var status: String
    var time: String
    var actor: String
    var reason: String?

    init(_ m: MinutesState) {
        (bodyId, seriesId, date) = (m.session.body, m.session.series, m.session.date.description)
        (status, time, actor, reason) = (m.status.rawValue, m.time.description, m.actor, m.reason)
    }

    func domain() throws(StorageError) -> MinutesState {
        guard let day = CivilDate(iso: date), let t = LocalDateTime(iso: time),
            let s = MinutesState.Status(rawValue: status)
        else { throw .unreadable(what: "minutes state \(bodyId)/\(seriesId) \(date)", reason: "date, time or status") }
        return MinutesState(
            session: SessionKey(body: bodyId, series: seriesId, date: day), status: s, time: t, actor: actor,
            reason: reason)
    }
}

struct AgendaItemRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "agendaItem"
    var id: Int64?
    var bodyId: String
    var seriesId: String
    var date: String
    var text: String

    init(_ a: AgendaItem) {
        (bodyId, seriesId, date, text) = (a.session.body, a.session.series, a.session.date.description, a.text)
    }

    func domain() throws(StorageError) -> AgendaItem {
        guard let day = CivilDate(iso: date) else {
            throw .unreadable(what: "agenda item \(id ?? 0)", reason: "date '\(date)'")
        }
        return AgendaItem(session: SessionKey(body: bodyId, series: seriesId, date: day), text: text)
    }
}

struct ActionItemRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "actionItem"
    var id: Int64?
    var bodyId: String
    var seriesId: String
    var date: String
    var text: String
    var office: String
    var due: String?
    var done: String?

    init(_ a: ActionItem) {
        id = a.id.map(Int64.init)
        (bodyId, seriesId, date) = (a.session.body, a.session.series, a.session.date.description)
        (text, office, due, done) = (a.text, a.office, a.due?.description, a.done?.description)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    func domain() throws(StorageError) -> ActionItem {
        guard let day = CivilDate(iso: date) else {
            throw .unreadable(what: "action item \(id ?? 0)", reason: "date '\(date)'")
        }
        return ActionItem(
            id: id.map(Int.init), session: SessionKey(body: bodyId, series: seriesId, date: day), text: text,
            office: office,
            due: due.flatMap(CivilDate.init(iso:)), done: done.flatMap(LocalDateTime.init(iso:)))
    }
}

struct TokenRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "token"
    var id: String
    var hash: String
    var person: String
    var kind: String
    var role: String?
    var bodies: [String]
    var created: String
    var expires: String?
    var revoked: String?
    var lastUsed: String?

    init(_ t: AccessToken) {
        id = t.id
        hash = t.hash
        person = t.person
        kind = t.kind.rawValue
        role = t.role?.rawValue
        bodies = t.bodies
        created = t.created.description
        expires = t.expires?.description
        revoked = t.revoked?.description
        lastUsed = t.lastUsed?.description
    }

    func domain() throws(StorageError) -> AccessToken {
        let what = "token \(id)"
        let kind: AccessToken.Kind = try value(kind, "kind", of: what)
        var parsedRole: AccessToken.Role?
        if let role { parsedRole = try value(role, "role", of: what) }
        guard let made = LocalDateTime(iso: created) else {
            throw .unreadable(what: what, reason: "created '\(created)'")
        }
        return AccessToken(
            id: id, hash: hash, person: person, kind: kind, role: parsedRole, bodies: bodies, created: made,
            expires: expires.flatMap(LocalDateTime.init(iso:)), revoked: revoked.flatMap(LocalDateTime.init(iso:)),
            lastUsed: lastUsed.flatMap(LocalDateTime.init(iso:)))
    }
}
