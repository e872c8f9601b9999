import Coordination

/// The store: the truth at run time. `calendars/` is synced into it (`SyncPlan`), later session
/// changes, attendance and minutes are recorded in it.
///
/// It is composed of one protocol per concern, so that a use case names what it needs and a
/// backend implements each part apart. Implementations: `MemoryStore` (tests, no setup) and
/// `SQLiteStore` (the default, one file). Every write is one transaction that also appends to the
/// event log where the record is audited: it happens completely or not at all, and a refusal is a
/// `StorageError` that both backends give alike.
public typealias Store = DefinitionStore & SessionChangeStore & PeopleStore & SeatStore & AttendanceStore
    & MinutesStore & TokenStore & AccountStore & EventLogStore & OutboxStore & ReplyStore

/// Offices, bodies, memberships and series, synced from `calendars/`, and the change log.
public protocol DefinitionStore: Sendable {
    /// The offices, bodies, memberships and series the store holds, active and archived.
    func definitions() async throws(StorageError) -> StoredDefinitions

    /// Applies a sync plan in one transaction and records it in the change log as done by
    /// `actor` at `time` (UTC); `constraint` when a series belongs to a body neither stored nor added.
    func apply(_ plan: SyncPlan, at time: LocalDateTime, actor: String, outbox: [OutboxEntry])
        async throws(StorageError)

    /// The last `count` entries of the change log, oldest first, and how many it holds in all:
    /// read without the rest (the log of a district with years of attendance has hundreds of
    /// thousands of entries, and the auditor's page names only their number).
    func changes(last count: Int) async throws(StorageError) -> (entries: [ChangeRecord], total: Int)

    /// Up to `count` entries of the change log older than entry number `before` (from the
    /// newest when `nil`), newest first, each with its number: the log read a page at a time,
    /// each page a short read of its own (the auditors' download of hundreds of thousands of
    /// entries). Entries are only ever added, so pages read on from the first one's last
    /// number show the log as it stood at the first.
    func changes(before: Int64?, count: Int) async throws(StorageError) -> [NumberedChange]

    /// Each subject of the change log with the time of its first entry and the latest time of
    /// its entries, in the order of their first entries: what the log says of when things
    /// changed, without reading its hundreds of thousands of entries (the OParl endpoint).
    func subjectTimes() async throws(StorageError) -> [SubjectTimes]

    /// The entries `filter` admits, oldest first.
    func changes(matching filter: ChangeFilter) async throws(StorageError) -> [ChangeRecord]
}

extension DefinitionStore {
    /// The change log, oldest first.
    public func changes() async throws(StorageError) -> [ChangeRecord] {
        try await changes(matching: ChangeFilter())
    }
}

/// Cancelled, moved and added single sessions.
public protocol SessionChangeStore: Sendable {
    /// Records a change to single sessions (and its change-log entry) in one transaction;
    /// `constraint` when its series is not in the store, `conflict` when the series does not
    /// have `changes` recorded changes at that moment (another change came first).
    func record(_ change: SessionChange, expecting changes: Expected<Int>, outbox: [OutboxEntry])
        async throws(StorageError)

    /// The recorded session changes, in the order they were recorded.
    func sessionChanges() async throws(StorageError) -> [SessionChange]
}

/// The staff records.
public protocol PeopleStore: Sendable {
    /// Adds a member of staff or replaces the one with that id, and logs it; with `endingSeatsOn`,
    /// every seat of the person that runs beyond that day ends on it, in the same transaction
    /// (each logged). `constraint` when the office is not in the store.
    func save(_ person: Person, endingSeatsOn day: CivilDate?, at time: LocalDateTime, actor: String)
        async throws(StorageError)

    /// Every member of staff, by name (then id).
    func people() async throws(StorageError) -> [Person]

    /// The member of staff with this id (one row: what every signed-in request asks).
    func person(id: String) async throws(StorageError) -> Person?
}

extension MinutesStore {
    /// Sets the state of a session's minutes without freezing a version (a reopening).
    public func save(_ state: MinutesState, expecting previous: Expected<MinutesState?>) async throws(StorageError) {
        try await save(state, freezing: nil, expecting: previous)
    }
}

extension DefinitionStore {
    /// Applies a sync plan; nothing for the outbox.
    public func apply(_ plan: SyncPlan, at time: LocalDateTime, actor: String) async throws(StorageError) {
        try await apply(plan, at: time, actor: actor, outbox: [])
    }
}

extension SeatStore {
    /// Assigns a seat; nothing for the outbox.
    public func assign(_ seat: Seat, at time: LocalDateTime, actor: String) async throws(StorageError) -> Seat {
        try await assign(seat, at: time, actor: actor, outbox: [])
    }

    /// Ends a seat; nothing for the outbox.
    public func endSeat(_ id: Int, on day: CivilDate, at time: LocalDateTime, actor: String)
        async throws(StorageError) -> Seat
    {
        try await endSeat(id, on: day, at: time, actor: actor, outbox: [])
    }
}

extension PeopleStore {
    /// Adds or replaces a member of staff, their seats untouched.
    public func save(_ person: Person, at time: LocalDateTime, actor: String) async throws(StorageError) {
        try await save(person, endingSeatsOn: nil, at: time, actor: actor)
    }
}

/// Who holds which office's place in which body (seats), with deputies.
public protocol SeatStore: Sendable {
    /// Every seat, ended ones included, in the order they were assigned.
    func seats() async throws(StorageError) -> [Seat]

    /// Stores a new seat, logs it (change log and event log) and returns it with its id;
    /// `constraint` when the body, the office or the person is not in the store.
    func assign(_ seat: Seat, at time: LocalDateTime, actor: String, outbox: [OutboxEntry]) async throws(StorageError)
        -> Seat

    /// Sets the last day of a seat and logs it; `notFound` when there is no such seat.
    func endSeat(_ id: Int, on day: CivilDate, at time: LocalDateTime, actor: String, outbox: [OutboxEntry])
        async throws(StorageError) -> Seat
}

/// Who attended which session for which office.
public protocol AttendanceStore: Sendable {
    /// Records attendance entries in one transaction: all or none. An entry replaces the one
    /// for the same session, office and person (or office as a whole); `constraint` when a
    /// session's series or an office is not in the store.
    ///
    /// In the same transaction: `conflict` when the minutes of one of the sessions are approved
    /// (attendance is locked), or when the session of the first entry does not hold exactly
    /// `current` (what the writer read; another write came first).
    ///
    /// `removing` names entries (by session, office and person) to take out in the same
    /// transaction, each logged with `reason`; `reason` also goes with every entry recorded (a
    /// correction) into the change log and the event log.
    func record(
        _ attendance: [AttendanceEntry], removing: [AttendanceEntry], reason: String?, at time: LocalDateTime,
        actor: String, expecting current: Expected<[AttendanceEntry]>
    ) async throws(StorageError)

    /// Records the entries of `batches` in one transaction, as `record(_:removing:…)` with
    /// nothing removed and no expectation: all or none, with the same refusals.
    ///
    /// Returns `false`, having written nothing, when a batch has a problem (gives `nil`); every
    /// batch is still asked for, so that whoever makes them finds every problem. A store may
    /// write each batch while the next one is made (SQLite does).
    func record(_ batches: AttendanceBatches, reason: String?, at time: LocalDateTime, actor: String)
        async throws(StorageError) -> Bool

    /// The attendance recorded for a session, by office and person.
    func attendance(of session: SessionKey) async throws(StorageError) -> [AttendanceEntry]

    /// The attendance recorded for sessions whose planned date lies in `from...through`, ordered
    /// by body, series, date, office and person; only that of `bodies` when given (a report
    /// over ten years reads a few bodies at a time).
    func attendance(from: CivilDate, through: CivilDate, bodies: [String]?) async throws(StorageError)
        -> [AttendanceEntry]
}

/// The state of minutes, added agenda items and action items.
public protocol MinutesStore: Sendable {
    /// The state of a session's minutes; `nil` while never approved (a draft).
    func minutesState(of session: SessionKey) async throws(StorageError) -> MinutesState?

    /// The state of every session's minutes that was ever approved.
    func minutesStates() async throws(StorageError) -> [MinutesState]

    /// Sets the state of a session's minutes (approve, or reopen with a reason) and logs it;
    /// `constraint` when the session's series is not in the store, `conflict` when the state in
    /// the store is not `previous` (what the writer read; another write came first).
    /// Approving freezes `version` in the same transaction (`conflict` when that version number
    /// is taken).
    func save(_ state: MinutesState, freezing version: MinutesVersion?, expecting previous: Expected<MinutesState?>)
        async throws(StorageError)

    /// What is written into a session's minutes; `nil` while nothing was (the default record holds).
    func minutesRecord(of session: SessionKey) async throws(StorageError) -> MinutesRecord?

    /// Stores what is written into a session's minutes, and the items added to its agenda with it,
    /// logs it (change log and event log) and returns it with its revision raised, in one
    /// transaction: `conflict` when the minutes are approved or the stored revision is not
    /// `revision` (what the writer read), `constraint` for an unknown series.
    func save(_ record: MinutesRecord, expecting revision: Int, at time: LocalDateTime, actor: String, action: String)
        async throws(StorageError) -> MinutesRecord

    /// The approved versions of a session's minutes, oldest first.
    func minutesVersions(of session: SessionKey) async throws(StorageError) -> [MinutesVersion]

    /// The agenda items added to a session, in their order.
    func agenda(of session: SessionKey) async throws(StorageError) -> [AgendaItem]

    /// The items added to every session's agenda, by session, each in its order (what feeds
    /// state per session).
    func agendas() async throws(StorageError) -> [SessionKey: [String]]

    /// Stores a new action item and returns it with its id; `constraint` for an unknown series or
    /// office, `conflict` when the session's minutes are approved.
    func add(_ item: ActionItem, at time: LocalDateTime, actor: String) async throws(StorageError) -> ActionItem

    /// Marks an action item done; `notFound` when there is no such item, `conflict` when it is done already.
    func closeActionItem(_ id: Int, at time: LocalDateTime, actor: String) async throws(StorageError)

    /// The action item with this id, if there is one.
    func actionItem(_ id: Int) async throws(StorageError) -> ActionItem?

    /// The action items agreed in sessions of a body, oldest first.
    func actionItems(of body: String) async throws(StorageError) -> [ActionItem]
}

/// Private-feed and API tokens (their hashes only).
public protocol TokenStore: Sendable {
    /// Stores a new token (its hash only) and logs its issue; `constraint` when the person is not
    /// in the staff records, `conflict` when its id or hash is taken.
    func save(_ token: AccessToken, actor: String) async throws(StorageError)

    /// The token whose secret has this SHA-256, revoked and expired ones included.
    func token(hash: String) async throws(StorageError) -> AccessToken?

    /// Every token, oldest first.
    func tokens() async throws(StorageError) -> [AccessToken]

    /// Revokes a token; `notFound` when there is no such token, `conflict` when it is revoked already.
    func revokeToken(id: String, at time: LocalDateTime, actor: String) async throws(StorageError)

    /// Notes when a token was last used (nothing happens for an unknown id).
    func markUsed(tokenID: String, at time: LocalDateTime) async throws(StorageError)
}

/// Accounts for the web pages, one-time sign-in links, signed-in browsers and failed sign-ins.
/// Browsers' sessions live here so that a restart or a second server keeps people signed in.
public protocol AccountStore: Sendable {
    /// Adds the account of a person or replaces it (roles, bodies, e-mail, password) and logs
    /// it (never the password's hash); `constraint` when the person is not in the staff records,
    /// `conflict` when another person's account has the e-mail address.
    func save(_ account: Account, at time: LocalDateTime, actor: String, action: String) async throws(StorageError)

    /// Every account, by person.
    func accounts() async throws(StorageError) -> [Account]

    /// The account with this e-mail address (lowercase).
    func account(email: String) async throws(StorageError) -> Account?

    /// The account of a person.
    func account(person: String) async throws(StorageError) -> Account?

    /// Stores a one-time sign-in link; a person's earlier links stop working.
    func save(_ link: SignInLink) async throws(StorageError)

    /// Takes a sign-in link out of the store (it works once) and returns it, if it was there and
    /// in force at `time`.
    func redeemSignInLink(hash: String, at time: LocalDateTime) async throws(StorageError) -> SignInLink?

    /// Opens a web session; `replacing` (the browser's session before signing in) is closed in
    /// the same transaction. Sessions last used before `staleBefore` are removed, and the
    /// person's least recently used ones beyond `keeping`.
    func open(_ session: WebSessionRecord, replacing: String?, staleBefore: LocalDateTime, keeping: Int)
        async throws(StorageError)

    /// The web session with this hash.
    func webSession(hash: String) async throws(StorageError) -> WebSessionRecord?

    /// Notes a session's last use.
    func touchWebSession(hash: String, at time: LocalDateTime) async throws(StorageError)

    /// Closes one session (`hash`) or every session of a person.
    func closeWebSessions(hash: String?, person: String?) async throws(StorageError)

    /// Failed sign-ins in a row under `key`, if any.
    func signInFailures(_ key: String) async throws(StorageError) -> SignInFailures?

    /// Counts a failed sign-in under each key, or (`failed` false) forgets them after a success.
    func noteSignIn(_ keys: [String], failed: Bool, at time: LocalDateTime) async throws(StorageError)
}

/// The tamper-evident event log.
public protocol EventLogStore: Sendable {
    /// The last entry of the event log (`ChainHead.genesis` while it is empty).
    func chainHead() async throws(StorageError) -> ChainHead

    /// The tamper-evident event log, oldest first, and the records it vouches for, read at one
    /// moment (no write can fall between the two).
    func auditSnapshot() async throws(StorageError) -> AuditSnapshot

    /// The event log checked against the records it vouches for, read at one moment as
    /// `auditSnapshot` is, but streamed through `AuditVerifier`: neither the log nor the
    /// attendance table is held in memory. With `keptAt`, the records as replayed after that
    /// entry are kept in the outcome (`AuditVerification.replay`), as `auditReplay(upTo:)`
    /// would give them, when the chain holds up to it.
    func auditVerification(keepingReplayAt keptAt: Int?) async throws(StorageError) -> AuditVerification

    /// The newest `limit` entries of one kind, newest first.
    func events(of kind: AuditEvent.Kind, limit: Int) async throws(StorageError) -> [AuditEvent]

    /// The records as the event log says they stood after entry `last`, with that entry, read
    /// at one moment; the log is replayed as it is read, never held (checking a report against
    /// the records it was made from).
    func auditReplay(upTo last: Int) async throws(StorageError) -> AuditReplay

    /// Entry `seq` of the event log; `nil` when it has none.
    func auditEvent(seq: Int) async throws(StorageError) -> AuditEvent?
}

extension EventLogStore {
    /// The event log checked against the records it vouches for (`auditVerification(keepingReplayAt:)`).
    public func auditVerification() async throws(StorageError) -> AuditVerification {
        try await auditVerification(keepingReplayAt: nil)
    }
}

/// The records as the event log says they stood after one of its entries (`auditReplay`).
public struct AuditReplay: Sendable {
    /// The records as replayed, attendance packed (`LoggedAttendance`): a ten-year log holds
    /// hundreds of thousands of rows, and a report takes them a few bodies at a time.
    public var replayed: ReplayedRecords
    /// The entry replayed up to; `nil` when the log has none with that number.
    public var entry: AuditEvent?

    public init(replayed: ReplayedRecords, entry: AuditEvent?) {
        (self.replayed, self.entry) = (replayed, entry)
    }

    /// The records themselves, every attendance row made (for a small log).
    public var records: AuditRecords { replayed.records }
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

/// What a write expects to find in the store, checked in its own transaction: the check and the
/// write it guards cannot be split by another writer.
public enum Expected<Value: Sendable & Equatable>: Sendable {
    /// No expectation.
    case anything
    /// Exactly this value, or the write is refused with `conflict`.
    case exactly(Value)

    /// Whether `actual` is what was expected; `actual` is read only when there is an expectation.
    public func holds(_ actual: () throws -> Value) rethrows -> Bool {
        switch self {
        case .anything: return true
        case .exactly(let value): return try value == actual()
        }
    }

    /// Whether `actual`, read asynchronously (a database driver), is what was expected.
    public func holds(_ actual: () async throws -> Value) async rethrows -> Bool {
        switch self {
        case .anything: return true
        case .exactly(let value): return try await value == actual()
        }
    }
}

extension SessionChangeStore {
    /// Records a change with no expectation about earlier ones.
    public func record(_ change: SessionChange) async throws(StorageError) {
        try await record(change, expecting: .anything, outbox: [])
    }

    /// Records a session change, expecting `changes` of its series; nothing for the outbox.
    public func record(_ change: SessionChange, expecting changes: Expected<Int>) async throws(StorageError) {
        try await record(change, expecting: changes, outbox: [])
    }
}

extension AttendanceStore {
    /// The attendance recorded for sessions whose planned date lies in `from...through`, of every body.
    public func attendance(from: CivilDate, through: CivilDate) async throws(StorageError) -> [AttendanceEntry] {
        try await attendance(from: from, through: through, bodies: nil)
    }

    /// Records attendance with no expectation about what is recorded (approved minutes still lock).
    public func record(_ attendance: [AttendanceEntry], at time: LocalDateTime, actor: String)
        async throws(StorageError)
    {
        try await record(attendance, at: time, actor: actor, expecting: .anything)
    }

    /// Records attendance, nothing removed and no reason given.
    public func record(
        _ attendance: [AttendanceEntry], at time: LocalDateTime, actor: String,
        expecting current: Expected<[AttendanceEntry]>
    ) async throws(StorageError) {
        try await record(attendance, removing: [], reason: nil, at: time, actor: actor, expecting: current)
    }
}

extension MinutesStore {
    /// Sets the state of minutes with no expectation about the state before.
    public func save(_ state: MinutesState) async throws(StorageError) {
        try await save(state, expecting: .anything)
    }
}

extension StorageError {
    /// Approved minutes lock the session's attendance.
    public static func minutesLocked(_ session: SessionKey) -> StorageError {
        .conflict("the minutes of \(session) are approved and locked; reopen them first")
    }

    /// What the writer read has changed since.
    public static func changedMeanwhile(_ what: String) -> StorageError {
        .conflict("\(what) changed since it was read")
    }
}

/// A store that writes a consistent copy of itself, while in use, to a new file.
public protocol BackupStore: Sendable {
    /// Fails when `destination` exists (the caller checks first and words it).
    func backup(to destination: String) async throws(StorageError)
}

/// A store that can say what keeps it from working soon (a full disk).
public protocol StoreHealth: Sendable {
    /// What is wrong, worded for the operator; empty when all is well.
    func healthProblems() -> [String]
}

/// A store that others write to as well (several servers on one database): it says when the
/// store may have changed, so that what a server keeps (its feeds) is read again.
public protocol ChangeSignal: Sendable {
    /// Calls `changed` after each write any instance commits, and after (re)connecting, as
    /// announcements made meanwhile are lost. Runs until the task is cancelled.
    func watchChanges(_ changed: @escaping @Sendable (Announcement) async -> Void) async
}

/// What a `ChangeSignal` says about a change.
public enum Announcement: String, Sendable {
    /// Definitions, sessions, agendas, seats or people: what feeds show.
    case feeds
    /// Records only (attendance, minutes, answers, accounts): nothing a feed shows.
    case records
    /// The watch was (re)connected: anything may have changed meanwhile.
    case reconnected
}
