import Coordination

/// The store: the truth at run time. `calendars/` is synced into it (`SyncPlan`), later session
/// changes, attendance and minutes are recorded in it.
///
/// Implementations: `MemoryStore` (tests, no setup) and `SQLiteStore` (the default, one file).
/// Every write is one transaction: it happens completely or not at all.
public protocol Store: Sendable {
    /// The offices, bodies, memberships and series the store holds, active and archived.
    func definitions() async throws(StorageError) -> StoredDefinitions

    /// Applies a sync plan in one transaction and records it in the change log as done by
    /// `actor` at `time` (UTC).
    func apply(_ plan: SyncPlan, at time: LocalDateTime, actor: String) async throws(StorageError)

    /// The change log, oldest first.
    func changes() async throws(StorageError) -> [ChangeRecord]

    /// Records a change to single sessions (and its change-log entry) in one transaction.
    func record(_ change: SessionChange) async throws(StorageError)

    /// The recorded session changes, in the order they were recorded.
    func sessionChanges() async throws(StorageError) -> [SessionChange]

    /// Adds a member of staff (or replaces the one of that name) and logs it.
    func save(_ person: Person, at time: LocalDateTime, actor: String) async throws(StorageError)

    /// Every member of staff, by name.
    func people() async throws(StorageError) -> [Person]

    /// Records attendance entries in one transaction: all or none. An entry replaces the one
    /// for the same session, office and person (or office as a whole).
    func record(_ attendance: [AttendanceEntry], at time: LocalDateTime, actor: String) async throws(StorageError)

    /// The attendance recorded for a session, by office and person.
    func attendance(of session: SessionKey) async throws(StorageError) -> [AttendanceEntry]

    /// The state of a session's minutes; `nil` while never approved (a draft).
    func minutesState(of session: SessionKey) async throws(StorageError) -> MinutesState?

    /// Sets the state of a session's minutes (approve, or reopen with a reason) and logs it.
    func save(_ state: MinutesState) async throws(StorageError)

    /// Adds an agenda item to a session and logs it.
    func add(_ item: AgendaItem, at time: LocalDateTime, actor: String) async throws(StorageError)

    /// The agenda items added to a session, in the order they were added.
    func agenda(of session: SessionKey) async throws(StorageError) -> [AgendaItem]

    /// Stores a new action item and returns it with its id.
    func add(_ item: ActionItem, at time: LocalDateTime, actor: String) async throws(StorageError) -> ActionItem

    /// Marks an action item done; `rejected` when there is no such item or it is done already.
    func closeActionItem(_ id: Int, at time: LocalDateTime, actor: String) async throws(StorageError)

    /// The action items agreed in sessions of a body, oldest first.
    func actionItems(of body: String) async throws(StorageError) -> [ActionItem]

    /// The attendance recorded for sessions whose planned date lies in `from...through`.
    func attendance(from: CivilDate, through: CivilDate) async throws(StorageError) -> [AttendanceEntry]

    /// The state of every session's minutes that was ever approved.
    func minutesStates() async throws(StorageError) -> [MinutesState]

    /// Stores a new token (its hash only) and logs its issue.
    func save(_ token: AccessToken, actor: String) async throws(StorageError)

    /// The token whose secret has this SHA-256, revoked and expired ones included.
    func token(hash: String) async throws(StorageError) -> AccessToken?

    /// Every token, oldest first.
    func tokens() async throws(StorageError) -> [AccessToken]

    /// Revokes a token; `rejected` when there is no such token or it is revoked already.
    func revokeToken(id: String, at time: LocalDateTime, actor: String) async throws(StorageError)

    /// Notes when a token was last used.
    func markUsed(tokenID: String, at time: LocalDateTime) async throws(StorageError)

    /// The last entry of the event log (`ChainHead.genesis` while it is empty).
    func chainHead() async throws(StorageError) -> ChainHead

    /// The tamper-evident event log, oldest first, and the records it vouches for, read at one
    /// moment (no write can fall between the two).
    func auditSnapshot() async throws(StorageError) -> AuditSnapshot
}

/// The event log and the records it vouches for, as one read gives them.
public struct AuditSnapshot: Sendable {
    public var events: [AuditEvent]
    public var records: AuditRecords

    public init(events: [AuditEvent], records: AuditRecords) {
        self.events = events
        self.records = records
    }
}

/// One entry of the change log: who changed what, when, and why.
public struct ChangeRecord: Sendable, Hashable, Codable {
    /// UTC.
    public var time: LocalDateTime
    public var actor: String
    /// `office jc`, `body ag-78`, `series ag-78/sitzung`.
    public var subject: String
    /// `added`, `changed`, `archived`, `restored`.
    public var action: String
    /// The fields changed, one `field: old → new` per line.
    public var detail: String

    public init(time: LocalDateTime, actor: String, subject: String, action: String, detail: String) {
        self.time = time
        self.actor = actor
        self.subject = subject
        self.action = action
        self.detail = detail
    }
}

extension SessionChange {
    /// The change-log entry for this change: `session ag-78/sitzung 2026-03-10`, `cancelled`.
    public var record: ChangeRecord {
        let subject: String
        let action: String
        var detail: [String] = []
        switch exception {
        case .cancel(let date, let reason):
            (subject, action) = ("session \(body)/\(series) \(date)", "cancelled")
            detail.append("reason: \(reason)")
        case .move(let m):
            (subject, action) = ("session \(body)/\(series) \(m.date)", "moved")
            detail.append("to: \(m.to)")
            if let l = m.location { detail.append("location: \(l)") }
            if let d = m.durationMinutes { detail.append("duration: \(d) min") }
            if let r = m.reason { detail.append("reason: \(r)") }
        case .add(let a):
            (subject, action) = ("session \(body)/\(series) \(a.start.date)", "added")
            detail.append("start: \(a.start)")
            if let t = a.title { detail.append("title: \(t)") }
        }
        return ChangeRecord(
            time: time, actor: actor, subject: subject, action: action, detail: detail.joined(separator: "\n"))
    }
}

extension AttendanceEntry {
    /// The change-log entry: `attendance ag-78/sitzung 2026-03-10`, `recorded`, `jc Anna Beispiel: present`.
    public var record: (subject: String, detail: String) {
        var detail = "\(office)\(person.map { " \($0)" } ?? ""): \(status.rawValue)"
        if let deputy { detail += " by \(deputy)" }
        return ("attendance \(session)", detail)
    }
}

extension MinutesState {
    /// The change-log entry: `minutes ag-78/sitzung 2026-03-10`, `approved` or `reopened`.
    public var record: ChangeRecord {
        ChangeRecord(
            time: time, actor: actor, subject: "minutes \(session)",
            action: status == .approved ? "approved" : "reopened",
            detail: reason.map { "reason: \($0)" } ?? "")
    }
}

extension SyncChange {
    /// The change-log entry for this change.
    public func record(at time: LocalDateTime, actor: String) -> ChangeRecord {
        let detail = fields.map { "\($0.field): \($0.old) → \($0.new)" }.joined(separator: "\n")
        return ChangeRecord(
            time: time, actor: actor, subject: subject.description, action: action.rawValue, detail: detail)
    }
}

extension AccessToken {
    /// The change-log entry of its issue (never the secret or its hash).
    public func issueRecord(actor: String) -> ChangeRecord {
        var detail = "\(kind.rawValue) for \(person)"
        if let role { detail += ", \(role.rawValue)" }
        if !bodies.isEmpty { detail += ", bodies \(bodies.joined(separator: ", "))" }
        if let expires { detail += ", expires \(expires)" }
        return ChangeRecord(time: created, actor: actor, subject: "token \(id)", action: "issued", detail: detail)
    }
}
