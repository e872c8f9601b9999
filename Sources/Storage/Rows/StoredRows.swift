import Coordination

/// A row that reads back as one domain value (refusing what cannot be read).
public protocol StoredRow {
    associatedtype Value
    func domain() throws(StorageError) -> Value
}

extension Array where Element: StoredRow {
    /// The domain values of the rows, in order.
    public func domains() throws(StorageError) -> [Element.Value] {
        var result: [Element.Value] = []
        result.reserveCapacity(count)
        for row in self { result.append(try row.domain()) }
        return result
    }
}

extension AccountRow: StoredRow {}
extension SignInLinkRow: StoredRow {}
extension WebSessionRow: StoredRow {}
extension SignInFailureRow: StoredRow {}
extension ActionItemRow: StoredRow {}
extension AgendaItemRow: StoredRow {}
extension AttendanceRow: StoredRow {}
extension ChangeLogRow: StoredRow {}
extension SubjectTimesRow: StoredRow {}
extension MinutesStateRow: StoredRow {}
extension MinutesRecordRow: StoredRow {}
extension MinutesVersionRow: StoredRow {}
extension OutboxRow: StoredRow {}
extension PersonRow: StoredRow {}
extension SeatRow: StoredRow {}
extension ReplyRow: StoredRow {}
extension ReplyLinkRow: StoredRow {}
extension SessionChangeRow: StoredRow {}
extension LadungRow: StoredRow {}
extension EventRow: StoredRow {}
extension TokenRow: StoredRow {}

/// The rows of the definitions as every backend reads them (in one read), and the
/// `StoredDefinitions` they make.
public struct DefinitionRows: Sendable {
    public var district: DistrictRow?
    public var offices: [OfficeRow]
    public var bodies: [BodyRow]
    /// By body, then position.
    public var members: [MembershipRow]
    /// By body, then position and id.
    public var series: [SeriesRow]
    /// (subject, time) of the latest archiving of each subject that was ever archived.
    public var archivedOn: [(String, String)]

    public init(
        district: DistrictRow?, offices: [OfficeRow], bodies: [BodyRow], members: [MembershipRow],
        series: [SeriesRow], archivedOn: [(String, String)]
    ) {
        (self.district, self.offices, self.bodies) = (district, offices, bodies)
        (self.members, self.series, self.archivedOn) = (members, series, archivedOn)
    }

    /// The definitions the rows hold, active and archived.
    public func definitions() throws(StorageError) -> StoredDefinitions {
        var result = StoredDefinitions(settings: try district?.domain())
        let archivedOn = Dictionary(
            self.archivedOn.compactMap { s, t in LocalDateTime(iso: t).map { (s, $0.date) } }, uniquingKeysWith: max)
        for o in offices {
            if o.archived {
                result.archivedOffices.append(try o.domain())
            } else {
                result.offices.append(try o.domain())
            }
        }
        let members = Dictionary(grouping: members, by: \.bodyId)
        let series = Dictionary(grouping: series, by: \.bodyId)
        for b in bodies {
            var memberships: [Membership] = []
            for m in members[b.id] ?? [] {
                if m.past {
                    result.pastMemberships[b.id, default: []].append(try m.domain())
                } else {
                    memberships.append(try m.domain())
                }
            }
            var active: [Series] = []
            var archived: [Series] = []
            for s in series[b.id] ?? [] {
                if s.archived && !b.archived { archived.append(try s.domain()) } else { active.append(try s.domain()) }
                let key = SyncChange.Subject.series(body: b.id, series: s.id).description
                if s.archived, let day = archivedOn[key] { result.archivedOn[key] = day }
            }
            let body = try b.domain(members: memberships, series: active)
            if b.archived {
                result.archivedBodies.append(body)
                let key = SyncChange.Subject.body(b.id).description
                if let day = archivedOn[key] { result.archivedOn[key] = day }
            } else {
                result.bodies.append(body)
                if !archived.isEmpty { result.archivedSeries[b.id] = archived }
            }
        }
        return result
    }
}

extension MembershipRow {
    /// A sync's new memberships of `body`, given every membership row the body has (`all`):
    /// the current ones that end by it become past rows (numbered below the earlier past ones),
    /// and `body.members` the current rows. The caller replaces the body's current rows by
    /// `current` and adds `past`.
    public static func replacing(_ all: [MembershipRow], with body: Body, at time: LocalDateTime) throws(StorageError)
        -> (past: [MembershipRow], current: [MembershipRow])
    {
        let current = all.filter { !$0.past }.sorted { $0.position < $1.position }
        var position = min(0, all.map(\.position).min() ?? 0)
        var domain: [Membership] = []
        for row in current { domain.append(try row.domain()) }
        var past: [MembershipRow] = []
        for m in domain.ended(before: time.date, keeping: body.members) {
            position -= 1
            past.append(MembershipRow(m, body: body.id, position: position, past: true))
        }
        return (past, body.members.enumerated().map { MembershipRow($1, body: body.id, position: $0) })
    }
}

/// The event log and the records `audit verify` compares with it, as every backend reads them
/// (in one read).
public struct AuditRows: Sendable {
    public var events: [EventRow]
    public var attendance: [AttendanceRow]
    public var sessionChanges: [SessionChangeRow]
    public var minutes: [MinutesStateRow]
    public var seats: [SeatRow]
    public var people: [PersonRow]
    public var contents: [MinutesRecordRow]
    public var versions: [MinutesVersionRow]

    public init(
        events: [EventRow], attendance: [AttendanceRow], sessionChanges: [SessionChangeRow],
        minutes: [MinutesStateRow], seats: [SeatRow], people: [PersonRow], contents: [MinutesRecordRow],
        versions: [MinutesVersionRow]
    ) {
        (self.events, self.attendance, self.sessionChanges, self.minutes) = (
            events, attendance, sessionChanges, minutes
        )
        (self.seats, self.people, self.contents, self.versions) = (seats, people, contents, versions)
    }

    /// The snapshot the rows make.
    public func snapshot() throws(StorageError) -> AuditSnapshot {
        var records = AuditRecords()
        records.attendance = try attendance.domains()
        records.sessionChanges = try sessionChanges.domains()
        records.minutes = try minutes.domains()
        records.seats = try seats.domains()
        records.people = try people.domains()
        records.contents = try contents.domains()
        records.versions = try versions.domains()
        return AuditSnapshot(events: try events.domains(), records: records)
    }
}

/// A row of the `event` table (the tamper-evident log).
public struct EventRow: Codable, Sendable {
    public var seq: Int
    public var time: String
    public var actor: String
    public var kind: String
    public var subject: String
    public var payload: String
    public var previous: String
    public var hash: String

    public init(
        seq: Int, time: String, actor: String, kind: String, subject: String, payload: String, previous: String,
        hash: String
    ) {
        (self.seq, self.time, self.actor, self.kind, self.subject) = (seq, time, actor, kind, subject)
        (self.payload, self.previous, self.hash) = (payload, previous, hash)
    }

    public init(_ e: AuditEvent) {
        (seq, time, actor, kind, subject) = (e.seq, e.time.description, e.actor, e.kind.rawValue, e.subject)
        (payload, previous, hash) = (e.payload, e.previous, e.hash)
    }

    public func domain() throws(StorageError) -> AuditEvent {
        guard let t = LocalDateTime(iso: time), let k = AuditEvent.Kind(rawValue: kind) else {
            throw .unreadable(what: "event log entry \(seq)", reason: "time '\(time)' or kind '\(kind)'")
        }
        return AuditEvent(
            seq: seq, time: t, actor: actor, kind: k, subject: subject, payload: payload, previous: previous,
            hash: hash)
    }
}
