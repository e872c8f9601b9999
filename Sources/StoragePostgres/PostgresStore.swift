import Coordination
import Foundation
import Logging
import PostgresNIO
import Storage

/// The store on a PostgreSQL server, for several instances of `gremien serve` on one database.
///
/// The same rows as SQLite (`Storage/Rows`), the same refusals (the contract suite holds both
/// to it). Every write that checks before it writes, or appends to the event log, runs under one
/// transaction-level advisory lock (`writeLock`), so that writes of all instances follow one
/// another as they do in SQLite: a check and its write cannot be split, and the event log's
/// chain cannot fork (its `seq` is the primary key besides). Each such commit sends a
/// notification on `channel`, which the other instances' feed caches listen to.
///
/// Errors of PostgreSQL and postgres-nio are turned into `StorageError` here and nowhere else.
public final class PostgresStore: Store, StoreHealth, ChangeSignal, DumpableStore {
    private let connections: Connections
    private let runner: Task<Void, Never>
    /// Where the store is, as the operator wrote it (without a password).
    public var location: PostgresLocation { connections.location }
    /// What opening did to the schema: the migrations this instance applied (empty when
    /// another instance had applied them, or none were due).
    public let appliedMigrations: [String]

    /// The advisory lock every checked write holds until it commits.
    static let writeLock = 0x6772_656D_6965_6E31  // "gremien1"
    /// The advisory lock migrations run under.
    static let migrationLock = 0x6772_656D_6965_6E30  // "gremien0"
    /// The channel a committed write notifies.
    public static let channel = "gremien_store"

    /// How a store is opened: `readOnly` neither migrates nor writes.
    public enum Access: Sendable { case readWrite, readOnly }

    /// Connects to the server and brings the schema up to date (read-write), once across all
    /// instances that start at the same time: they wait for one another on an advisory lock.
    public static func open(_ location: PostgresLocation, access: Access = .readWrite) async throws(StorageError)
        -> PostgresStore
    {
        try await location.probe()
        var logger = Logger(label: "gremien.postgres")
        logger.logLevel = .critical
        let client = PostgresClient(configuration: location.configuration, backgroundLogger: logger)
        let runner = Task { await client.run() }
        let connections = Connections(client: client, logger: logger, location: location)
        do {
            let applied = try await connections.with { db in
                try await db.execute("SELECT pg_advisory_lock($1)", [.int(Self.migrationLock)])
                do {
                    let result = try await Self.migrate(db, access: access, location: location)
                    try await db.execute("SELECT pg_advisory_unlock($1)", [.int(Self.migrationLock)])
                    return result
                } catch {
                    try? await db.execute("SELECT pg_advisory_unlock($1)", [.int(Self.migrationLock)])
                    throw error
                }
            }
            return PostgresStore(connections, runner: runner, applied: applied)
        } catch {
            runner.cancel()
            throw error
        }
    }

    private init(_ connections: Connections, runner: Task<Void, Never>, applied: [String]) {
        self.connections = connections
        self.runner = runner
        appliedMigrations = applied
    }

    deinit { runner.cancel() }

    /// Ends the connections.
    public func close() { runner.cancel() }

    public func healthProblems() -> [String] { [] }

    // MARK: - Schema

    private static func migrate(_ db: SQLConnection, access: Access, location: PostgresLocation) async throws
        -> [String]
    {
        let known = PostgresSchema.all.map(\.name)
        let table = try await db.exists("SELECT 1 FROM pg_tables WHERE tablename = 'gremien_migrations'")
        if !table {
            guard access == .readWrite else {
                throw StorageError.unavailable(
                    "the store \(location) is empty: it holds no definitions yet; run: gremien sync --apply")
            }
            try await db.execute(
                "CREATE TABLE gremien_migrations (name text PRIMARY KEY, applied text NOT NULL, by text NOT NULL)")
        }
        let applied = Set(try await db.strings("SELECT name FROM gremien_migrations"))
        if let newest = applied.subtracting(known).sorted().last {
            throw StorageError.unavailable(
                "the store \(location) was written by a newer version of Gremien (schema step '\(newest)' is unknown "
                    + "to this one); use that version, or a backup made before it")
        }
        let due = PostgresSchema.all.filter { !applied.contains($0.name) }
        guard !due.isEmpty else { return [] }
        guard access == .readWrite else {
            throw StorageError.unavailable(
                "the store \(location) has an older schema and is opened read-only; "
                    + "run a command that writes to it once (e.g. gremien sync --apply) to bring it up to date")
        }
        let by = "\(ProcessInfo.processInfo.hostName) pid \(ProcessInfo.processInfo.processIdentifier)"
        for migration in due {
            try await db.execute("BEGIN")
            do {
                for statement in migration.statements { try await db.execute(statement) }
                try await db.execute(
                    "INSERT INTO gremien_migrations (name, applied, by) VALUES ($1, $2, $3)",
                    [.text(migration.name), .text(ISO8601DateFormatter().string(from: Date())), .text(by)])
                try await db.execute("COMMIT")
            } catch {
                try? await db.execute("ROLLBACK")
                throw error
            }
        }
        return due.map(\.name)
    }

    // MARK: - Transactions

    /// Work on one connection of the pool, outside a transaction.
    private func connection<T: Sendable>(_ work: (SQLConnection) async throws -> T) async throws(StorageError) -> T {
        try await connections.with(work)
    }

    /// A read that sees one moment of the store across all its statements.
    private func read<T: Sendable>(_ work: (SQLConnection) async throws -> T) async throws(StorageError) -> T {
        try await connection { db in
            try await db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let result = try await work(db)
                try await db.execute("COMMIT")
                return result
            } catch {
                try? await db.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// One write transaction. `checked` (the default) takes the store's write lock first, so
    /// that it sees every write committed before it and none commits in between, and announces
    /// the change on commit (`shown`: as one the feeds may show); the change log and the event log entries noted on the batch are
    /// written at its end, the events continuing the chain from its head.
    private func write<T: Sendable>(
        checked: Bool = true, shown: Bool = false, _ work: (WriteBatch) async throws -> T
    ) async throws(StorageError) -> T {
        try await connection { db in
            try await db.execute("BEGIN")
            do {
                if checked { try await db.execute("SELECT pg_advisory_xact_lock($1)", [.int(Self.writeLock)]) }
                let batch = WriteBatch(db, locked: checked)
                let result = try await work(batch)
                try await batch.flush()
                if checked {
                    let what = shown ? Announcement.feeds : Announcement.records
                    try await db.execute("SELECT pg_notify($1, $2)", [.text(Self.channel), .text(what.rawValue)])
                }
                try await db.execute("COMMIT")
                return result
            } catch {
                try? await db.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// The one translation of PostgreSQL's and postgres-nio's errors.
    static func translate(_ error: any Error, _ location: PostgresLocation) -> StorageError {
        if let e = error as? PSQLError {
            if let state = e.serverInfo?[.sqlState] {
                let message = e.serverInfo?[.message] ?? "\(e.code)"
                let detail = e.serverInfo?[.detail].map { " (\($0))" } ?? ""
                switch state {
                case "23505", "23503", "23502", "23514", "23P01": return .constraint(message + detail)
                case "XX001", "XX002": return .corrupt("the store \(location): \(message)")
                default: return .unavailable("store error at \(location): \(message)\(detail) [SQLSTATE \(state)]")
                }
            }
            return .unavailable("cannot reach the store \(location): \(e.code)\(e.underlying.map { " (\($0))" } ?? "")")
        }
        if let e = error as? StorageError { return e }
        if String(describing: type(of: error)).contains("ConnectionPool") {
            return .unavailable("cannot reach the store \(location): no connection to the server could be made")
        }
        return .unavailable("store error at \(location): \(error)")
    }

    // MARK: - Definitions

    public func definitions() async throws(StorageError) -> StoredDefinitions {
        let rows = try await read { db in
            DefinitionRows(
                district: try await db.fetchOne(DistrictRow.self, "SELECT * FROM district"),
                offices: try await db.fetch(OfficeRow.self, "SELECT * FROM office ORDER BY id"),
                bodies: try await db.fetch(BodyRow.self, "SELECT * FROM body ORDER BY id"),
                members: try await db.fetch(MembershipRow.self, "SELECT * FROM membership ORDER BY bodyId, position"),
                series: try await db.fetch(SeriesRow.self, "SELECT * FROM series ORDER BY bodyId, position, id"),
                archivedOn: try await db.rows(
                    "SELECT subject, MAX(time) FROM changeLog WHERE action = 'archived' GROUP BY subject"
                ).map { row in
                    let (subject, time) = try row.decode((String, String).self)
                    return (subject, time)
                })
        }
        return try rows.definitions()
    }

    public func apply(_ plan: SyncPlan, at time: LocalDateTime, actor: String, outbox: [OutboxEntry])
        async throws(StorageError)
    {
        try await write(shown: true) { batch in
            let db = batch.db
            let stored = Set(try await db.strings("SELECT id FROM body"))
            if let refusal = plan.unknownBody(stored: stored) { throw refusal }
            batch.outbox(outbox)
            for change in plan.changes {
                let archived = change.action == .archived
                switch change.value {
                case .district(let settings):
                    try await db.upsert(DistrictRow(settings), into: "district", key: ["id"])
                case .office(let office):
                    try await db.upsert(OfficeRow(office, archived: archived), into: "office", key: ["id"])
                case .body(let body):
                    try await db.upsert(BodyRow(body, archived: archived), into: "body", key: ["id"])
                    if !archived {
                        let all = try await db.fetch(
                            MembershipRow.self, "SELECT * FROM membership WHERE bodyId = $1", [.text(body.id)])
                        let (past, current) = try MembershipRow.replacing(all, with: body, at: time)
                        for row in past { try await db.insert(row, into: "membership") }
                        try await db.execute(
                            "DELETE FROM membership WHERE bodyId = $1 AND NOT past", [.text(body.id)])
                        for row in current { try await db.insert(row, into: "membership") }
                    }
                case .series(let body, let s, let position):
                    try await db.upsert(
                        SeriesRow(s, body: body, position: position, archived: archived), into: "series",
                        key: ["bodyid", "id"])
                }
                batch.log(change.record(at: time, actor: actor))
                batch.audit(change.auditDraft(at: time, actor: actor))
            }
        }
    }

    public func changes(last count: Int) async throws(StorageError) -> (entries: [ChangeRecord], total: Int) {
        // One moment: the entries and their number.
        let (rows, total) = try await read { db in
            let rows = try await db.fetch(
                ChangeLogRow.self, "SELECT * FROM changeLog ORDER BY id DESC LIMIT $1", [.int(max(count, 0))])
            let total = try await db.integer("SELECT COUNT(*) FROM changeLog")
            return (rows, total)
        }
        return (try Array(rows.reversed()).domains(), total)
    }

    public func changes(before: Int64?, count: Int) async throws(StorageError) -> [NumberedChange] {
        let limit = SQLValue.int(max(count, 0))
        let rows = try await connection { db in
            if let before {
                return try await db.fetch(
                    ChangeLogRow.self, "SELECT * FROM changeLog WHERE id < $1 ORDER BY id DESC LIMIT $2",
                    [.int(Int(clamping: before)), limit])
            }
            return try await db.fetch(ChangeLogRow.self, "SELECT * FROM changeLog ORDER BY id DESC LIMIT $1", [limit])
        }
        return try rows.numbered()
    }

    public func subjectTimes() async throws(StorageError) -> [SubjectTimes] {
        let rows = try await connection { db in try await db.fetch(SubjectTimesRow.self, SubjectTimesRow.sql) }
        return try rows.domains()
    }

    public func changes(matching filter: ChangeFilter) async throws(StorageError) -> [ChangeRecord] {
        // left and strpos compare the exact text (LIKE would read % and _).
        let rows = try await connection { db in
            try await db.fetch(
                ChangeLogRow.self,
                """
                SELECT * FROM changeLog WHERE left(subject, length($1)) = $1
                AND ($2::text IS NULL OR action = $2) AND ($3::text IS NULL OR strpos(detail, $3) > 0) ORDER BY id
                """,
                [
                    .text(filter.subjectPrefix), filter.action.map(SQLValue.text) ?? .null,
                    filter.detailContaining.map(SQLValue.text) ?? .null,
                ])
        }
        return try rows.domains()
    }

    // MARK: - Sessions

    public func record(_ change: SessionChange, expecting changes: Expected<Int>, outbox: [OutboxEntry])
        async throws(StorageError)
    {
        try await write(shown: true) { batch in
            let db = batch.db
            try await db.requireSeries(change.body, change.series)
            let recorded = {
                try await db.integer(
                    "SELECT COUNT(*) FROM sessionChange WHERE bodyId = $1 AND seriesId = $2",
                    [.text(change.body), .text(change.series)])
            }
            guard try await changes.holds(recorded) else {
                throw StorageError.changedMeanwhile("the sessions of \(change.body)/\(change.series)")
            }
            try await db.insert(SessionChangeRow(change), into: "sessionChange")
            batch.log(change.record)
            batch.audit(change.auditDraft)
            batch.outbox(outbox)
        }
    }

    public func sessionChanges() async throws(StorageError) -> [SessionChange] {
        let rows = try await connection { db in
            try await db.fetch(SessionChangeRow.self, "SELECT * FROM sessionChange ORDER BY id")
        }
        return try rows.domains()
    }

    // MARK: - People and seats

    public func save(_ person: Person, endingSeatsOn day: CivilDate?, at time: LocalDateTime, actor: String)
        async throws(StorageError)
    {
        try await write(shown: true) { batch in
            let db = batch.db
            try await db.requireOffice(person.office)
            try await db.upsert(PersonRow(person), into: "person", key: ["id"])
            batch.log(.saved(person, at: time, actor: actor))
            batch.audit(person.auditDraft(at: time, actor: actor))
            guard let day else { return }
            let running = try await db.fetch(
                SeatRow.self,
                "SELECT * FROM seat WHERE person = $1 AND (validUntil IS NULL OR validUntil > $2) ORDER BY id",
                [.text(person.id), .text(day.description)])
            for var row in running {
                row.validUntil = day.description
                try await db.update(row, in: "seat", key: ["id"])
                let seat = try row.domain()
                batch.log(.seat(seat, "ended", at: time, actor: actor))
                batch.audit(seat.auditDraft("ended", at: time, actor: actor))
            }
        }
    }

    public func people() async throws(StorageError) -> [Person] {
        let rows = try await connection { db in
            try await db.fetch(PersonRow.self, "SELECT * FROM person ORDER BY name, id")
        }
        return try rows.domains()
    }

    public func person(id: String) async throws(StorageError) -> Person? {
        let row = try await connection { db in
            try await db.fetchOne(PersonRow.self, "SELECT * FROM person WHERE id = $1", [.text(id)])
        }
        return try row?.domain()
    }

    public func seats() async throws(StorageError) -> [Seat] {
        let rows = try await connection { db in try await db.fetch(SeatRow.self, "SELECT * FROM seat ORDER BY id") }
        return try rows.domains()
    }

    public func assign(_ seat: Seat, at time: LocalDateTime, actor: String, outbox: [OutboxEntry])
        async throws(StorageError) -> Seat
    {
        try await write(shown: true) { batch in
            let db = batch.db
            guard try await db.exists("SELECT 1 FROM body WHERE id = $1", [.text(seat.body)]) else {
                throw StorageError.unknownBody(seat.body)
            }
            try await db.requireOffice(seat.office)
            guard try await db.exists("SELECT 1 FROM person WHERE id = $1", [.text(seat.person)]) else {
                throw StorageError.unknownPerson(seat.person)
            }
            var row = SeatRow(seat)
            row.id = nil
            row.id = Int64(try await db.insert(row, into: "seat", returning: "id") ?? 0)
            let stored = try row.domain()
            batch.log(.seat(stored, "assigned", at: time, actor: actor))
            batch.audit(stored.auditDraft("assigned", at: time, actor: actor))
            batch.outbox(outbox)
            return stored
        }
    }

    public func endSeat(_ id: Int, on day: CivilDate, at time: LocalDateTime, actor: String, outbox: [OutboxEntry])
        async throws(StorageError) -> Seat
    {
        try await write(shown: true) { batch in
            let db = batch.db
            guard var row = try await db.fetchOne(SeatRow.self, "SELECT * FROM seat WHERE id = $1", [.int(id)]) else {
                throw StorageError.noSeat(id)
            }
            row.validUntil = day.description
            try await db.update(row, in: "seat", key: ["id"])
            let seat = try row.domain()
            batch.log(.seat(seat, "ended", at: time, actor: actor))
            batch.audit(seat.auditDraft("ended", at: time, actor: actor))
            batch.outbox(outbox)
            return seat
        }
    }

    // MARK: - Attendance

    public func record(
        _ attendance: [AttendanceEntry], removing: [AttendanceEntry], reason: String?, at time: LocalDateTime,
        actor: String, expecting current: Expected<[AttendanceEntry]>
    ) async throws(StorageError) {
        try await write { batch in
            let db = batch.db
            let offices = Set(try await db.strings("SELECT id FROM office"))
            let series = Set(try await db.strings("SELECT bodyId || '/' || id FROM series"))
            if let refusal = AttendanceEntry.unknown(in: attendance, offices: offices, series: series)
                ?? AttendanceEntry.unknown(in: removing, offices: offices, series: series)
            {
                throw refusal
            }
            // The approved minutes, read once: an import names thousands of sessions.
            let approved = try await db.strings(
                "SELECT bodyId || '/' || seriesId || '/' || date FROM minutesState WHERE status = $1",
                [.text(MinutesState.Status.approved.rawValue)])
            let approvedKeys = Set(approved)
            if let key = AttendanceEntry.locked(in: attendance, approved: approvedKeys)
                ?? AttendanceEntry.locked(in: removing, approved: approvedKeys)
            {
                throw StorageError.minutesLocked(key)
            }
            if let first = (attendance.first ?? removing.first)?.session {
                let stored = {
                    try await db.fetch(
                        AttendanceRow.self,
                        "SELECT * FROM attendance WHERE \(SessionKey.match) ORDER BY office, person", first.values
                    ).domains()
                }
                guard try await current.holds(stored) else {
                    throw StorageError.changedMeanwhile("the attendance of \(first)")
                }
            }
            for entry in removing {
                let key = AttendanceRow(entry)
                let removed = try await db.fetch(
                    AttendanceRow.self,
                    "DELETE FROM attendance WHERE \(SessionKey.match) AND office = $4 AND person = $5 RETURNING *",
                    entry.session.values + [.text(key.office), .text(key.person)])
                guard let stored = try removed.first?.domain() else { continue }
                batch.log(stored.removalRecord(reason: reason ?? "", at: time, actor: actor))
                batch.audit(stored.removalDraft(at: time, actor: actor, reason: reason ?? ""))
            }
            // The last entry for a row wins, as one statement may not write a row twice.
            var rows: [String: (Int, AttendanceRow)] = [:]
            for (i, entry) in attendance.enumerated() {
                let r = AttendanceRow(entry)
                rows["\(r.bodyId)\u{0}\(r.seriesId)\u{0}\(r.date)\u{0}\(r.office)\u{0}\(r.person)"] = (i, r)
                batch.log(entry.recordedRecord(reason: reason, at: time, actor: actor))
                batch.audit(entry.auditDraft(at: time, actor: actor, reason: reason))
            }
            let columns = [
                "bodyId", "seriesId", "date", "office", "person", "status", "deputy", "arrival", "departure",
            ]
            try await db.insertMany(
                "attendance", columns: columns,
                rows: rows.values.sorted { $0.0 < $1.0 }.map { _, r in
                    [
                        .text(r.bodyId), .text(r.seriesId), .text(r.date), .text(r.office), .text(r.person),
                        .text(r.status), .optional(r.deputy), .optional(r.arrival), .optional(r.departure),
                    ]
                },
                conflict:
                    "ON CONFLICT (bodyId, seriesId, date, office, person) DO UPDATE SET status = excluded.status, "
                    + "deputy = excluded.deputy, arrival = excluded.arrival, departure = excluded.departure")
        }
    }

    public func attendance(of session: SessionKey) async throws(StorageError) -> [AttendanceEntry] {
        let rows = try await connection { db in
            try await db.fetch(
                AttendanceRow.self, "SELECT * FROM attendance WHERE \(SessionKey.match) ORDER BY office, person",
                session.values)
        }
        return try rows.domains()
    }

    public func attendance(from: CivilDate, through: CivilDate, bodies: [String]?) async throws(StorageError)
        -> [AttendanceEntry]
    {
        let rows = try await connection { db in
            try await db.fetch(
                AttendanceRow.self,
                "SELECT * FROM attendance WHERE date >= $1 AND date <= $2 "
                    + (bodies.map { _ in "AND bodyId = ANY($3) " } ?? "")
                    + "ORDER BY bodyId, seriesId, date, office, person",
                [.text(from.description), .text(through.description)] + (bodies.map { [.texts($0)] } ?? []))
        }
        return try rows.domains()
    }

    // MARK: - Minutes

    public func minutesState(of session: SessionKey) async throws(StorageError) -> MinutesState? {
        let row = try await connection { db in
            try await db.fetchOne(
                MinutesStateRow.self, "SELECT * FROM minutesState WHERE \(SessionKey.match)", session.values)
        }
        return try row?.domain()
    }

    public func minutesStates() async throws(StorageError) -> [MinutesState] {
        let rows = try await connection { db in
            try await db.fetch(MinutesStateRow.self, "SELECT * FROM minutesState ORDER BY bodyId, seriesId, date")
        }
        return try rows.domains()
    }

    public func save(
        _ state: MinutesState, freezing version: MinutesVersion?, expecting previous: Expected<MinutesState?>
    ) async throws(StorageError) {
        try await write { batch in
            let db = batch.db
            let key = state.session
            try await db.requireSeries(key.body, key.series)
            let stored = {
                try await db.fetchOne(
                    MinutesStateRow.self, "SELECT * FROM minutesState WHERE \(SessionKey.match)", key.values)?.domain()
            }
            guard try await previous.holds(stored) else {
                throw StorageError.changedMeanwhile("the minutes of \(key)")
            }
            if let version {
                let taken = try await db.exists(
                    "SELECT 1 FROM minutesVersion WHERE \(SessionKey.match) AND number = $4",
                    key.values + [.int(version.number)])
                guard !taken else {
                    throw StorageError.changedMeanwhile("version \(version.number) of the minutes of \(key)")
                }
                try await db.insert(MinutesVersionRow(version), into: "minutesVersion")
            }
            try await db.upsert(MinutesStateRow(state), into: "minutesState", key: SessionKey.columns)
            batch.log(state.record)
            batch.audit(state.auditDraft)
        }
    }

    public func minutesRecord(of session: SessionKey) async throws(StorageError) -> MinutesRecord? {
        let row = try await connection { db in
            try await db.fetchOne(
                MinutesRecordRow.self, "SELECT * FROM minutesRecord WHERE \(SessionKey.match)", session.values)
        }
        return try row?.domain()
    }

    public func save(
        _ record: MinutesRecord, expecting revision: Int, at time: LocalDateTime, actor: String, action: String
    ) async throws(StorageError) -> MinutesRecord {
        let session = record.session
        return try await write(shown: true) { batch in
            let db = batch.db
            try await db.requireSeries(session.body, session.series)
            let state = try await db.fetchOne(
                MinutesStateRow.self, "SELECT * FROM minutesState WHERE \(SessionKey.match)", session.values)
            if state?.status == MinutesState.Status.approved.rawValue { throw StorageError.minutesLocked(session) }
            let stored = try await db.fetchOne(
                MinutesRecordRow.self, "SELECT * FROM minutesRecord WHERE \(SessionKey.match)", session.values)
            guard (stored?.revision ?? 0) == revision else {
                throw StorageError.changedMeanwhile("the minutes of \(session)")
            }
            var saved = record
            saved.revision = revision + 1
            try await db.upsert(MinutesRecordRow(saved), into: "minutesRecord", key: SessionKey.columns)
            try await db.execute("DELETE FROM agendaItem WHERE \(SessionKey.match)", session.values)
            for text in saved.addedTexts {
                try await db.insert(AgendaItemRow(AgendaItem(session: session, text: text)), into: "agendaItem")
            }
            batch.log(.written(saved, action, at: time, actor: actor))
            batch.audit(saved.auditDraft(at: time, actor: actor))
            return saved
        }
    }

    public func minutesVersions(of session: SessionKey) async throws(StorageError) -> [MinutesVersion] {
        let rows = try await connection { db in
            try await db.fetch(
                MinutesVersionRow.self, "SELECT * FROM minutesVersion WHERE \(SessionKey.match) ORDER BY number",
                session.values)
        }
        return try rows.domains()
    }

    public func agenda(of session: SessionKey) async throws(StorageError) -> [AgendaItem] {
        let rows = try await connection { db in
            try await db.fetch(
                AgendaItemRow.self, "SELECT * FROM agendaItem WHERE \(SessionKey.match) ORDER BY id", session.values)
        }
        return try rows.domains()
    }

    public func agendas() async throws(StorageError) -> [SessionKey: [String]] {
        let rows = try await connection { db in
            try await db.fetch(AgendaItemRow.self, "SELECT * FROM agendaItem ORDER BY id")
        }
        var result: [SessionKey: [String]] = [:]
        for r in rows {
            let item = try r.domain()
            result[item.session, default: []].append(item.text)
        }
        return result
    }

    public func add(_ item: ActionItem, at time: LocalDateTime, actor: String) async throws(StorageError) -> ActionItem
    {
        let stored: ActionItemRow = try await write { batch in
            let db = batch.db
            try await db.requireSeries(item.session.body, item.session.series)
            try await db.requireOffice(item.office)
            let state = try await db.fetchOne(
                MinutesStateRow.self, "SELECT * FROM minutesState WHERE \(SessionKey.match)", item.session.values)
            if state?.status == MinutesState.Status.approved.rawValue { throw StorageError.minutesLocked(item.session) }
            var row = ActionItemRow(item)
            row.id = nil
            row.done = nil
            row.id = Int64(try await db.insert(row, into: "actionItem", returning: "id") ?? 0)
            batch.log(.added(item, id: Int(row.id ?? 0), at: time, actor: actor))
            return row
        }
        return try stored.domain()
    }

    public func closeActionItem(_ id: Int, at time: LocalDateTime, actor: String) async throws(StorageError) {
        try await updateOnce(
            "UPDATE actionItem SET done = $1 WHERE id = $2 AND done IS NULL RETURNING id",
            [.text(time.description), .int(id)], log: .actionDone(id, at: time, actor: actor),
            exists: ("SELECT 1 FROM actionItem WHERE id = $1", [.int(id)]), missing: .noActionItem(id),
            already: .actionItemDone(id))
    }

    public func actionItem(_ id: Int) async throws(StorageError) -> ActionItem? {
        let row = try await connection { db in
            try await db.fetchOne(ActionItemRow.self, "SELECT * FROM actionItem WHERE id = $1", [.int(id)])
        }
        return try row?.domain()
    }

    public func actionItems(of body: String) async throws(StorageError) -> [ActionItem] {
        let rows = try await connection { db in
            try await db.fetch(
                ActionItemRow.self, "SELECT * FROM actionItem WHERE bodyId = $1 ORDER BY id", [.text(body)])
        }
        return try rows.domains()
    }

    // MARK: - Tokens

    public func save(_ token: AccessToken, actor: String) async throws(StorageError) {
        try await write { batch in
            let db = batch.db
            guard try await db.exists("SELECT 1 FROM person WHERE id = $1", [.text(token.person)]) else {
                throw StorageError.unknownPerson(token.person)
            }
            let taken = try await db.exists(
                "SELECT 1 FROM token WHERE id = $1 OR hash = $2", [.text(token.id), .text(token.hash)])
            guard !taken else { throw StorageError.tokenTaken(token.id) }
            try await db.insert(TokenRow(token), into: "token")
            batch.log(token.issueRecord(actor: actor))
        }
    }

    public func token(hash: String) async throws(StorageError) -> AccessToken? {
        let row = try await connection { db in
            try await db.fetchOne(TokenRow.self, "SELECT * FROM token WHERE hash = $1", [.text(hash)])
        }
        return try row?.domain()
    }

    public func tokens() async throws(StorageError) -> [AccessToken] {
        let rows = try await connection { db in
            try await db.fetch(TokenRow.self, "SELECT * FROM token ORDER BY created, id")
        }
        return try rows.domains()
    }

    public func revokeToken(id: String, at time: LocalDateTime, actor: String) async throws(StorageError) {
        try await updateOnce(
            "UPDATE token SET revoked = $1 WHERE id = $2 AND revoked IS NULL RETURNING id",
            [.text(time.description), .text(id)], log: .tokenRevoked(id, at: time, actor: actor),
            exists: ("SELECT 1 FROM token WHERE id = $1", [.text(id)]), missing: .noActiveToken(id),
            already: .noActiveToken(id))
    }

    public func markUsed(tokenID: String, at time: LocalDateTime) async throws(StorageError) {
        try await write(checked: false) { batch in
            try await batch.db.execute(
                "UPDATE token SET lastUsed = $1 WHERE id = $2", [.text(time.description), .text(tokenID)])
        }
    }

    // MARK: - Accounts and web sessions

    public func save(_ account: Account, at time: LocalDateTime, actor: String, action: String)
        async throws(StorageError)
    {
        try await write { batch in
            let db = batch.db
            guard try await db.exists("SELECT 1 FROM person WHERE id = $1", [.text(account.person)]) else {
                throw StorageError.unknownPerson(account.person)
            }
            let other = try await db.exists(
                "SELECT 1 FROM account WHERE email = $1 AND person <> $2",
                [.text(account.email), .text(account.person)])
            guard !other else { throw StorageError.emailTaken(account.email) }
            try await db.upsert(AccountRow(account), into: "account", key: ["person"])
            batch.log(.accountSaved(account, action: action, at: time, actor: actor))
        }
    }

    public func accounts() async throws(StorageError) -> [Account] {
        let rows = try await connection { db in
            try await db.fetch(AccountRow.self, "SELECT * FROM account ORDER BY person")
        }
        return try rows.domains()
    }

    public func account(email: String) async throws(StorageError) -> Account? {
        let row = try await connection { db in
            try await db.fetchOne(AccountRow.self, "SELECT * FROM account WHERE email = $1", [.text(email)])
        }
        return try row?.domain()
    }

    public func account(person: String) async throws(StorageError) -> Account? {
        let row = try await connection { db in
            try await db.fetchOne(AccountRow.self, "SELECT * FROM account WHERE person = $1", [.text(person)])
        }
        return try row?.domain()
    }

    public func save(_ link: SignInLink) async throws(StorageError) {
        try await write(checked: false) { batch in
            let db = batch.db
            guard try await db.exists("SELECT 1 FROM person WHERE id = $1", [.text(link.person)]) else {
                throw StorageError.unknownPerson(link.person)
            }
            try await db.execute("DELETE FROM signInLink WHERE person = $1", [.text(link.person)])
            try await db.insert(SignInLinkRow(link), into: "signInLink")
        }
    }

    public func redeemSignInLink(hash: String, at time: LocalDateTime) async throws(StorageError) -> SignInLink? {
        // DELETE ... RETURNING: of two servers redeeming the same link at once, one gets it.
        let row = try await write(checked: false) { batch in
            try await batch.db.fetchOne(
                SignInLinkRow.self, "DELETE FROM signInLink WHERE hash = $1 RETURNING *", [.text(hash)])
        }
        guard let link = try row?.domain(), time < link.expires else { return nil }
        return link
    }

    public func open(_ session: WebSessionRecord, replacing: String?, staleBefore: LocalDateTime, keeping: Int)
        async throws(StorageError)
    {
        try await write(checked: false) { batch in
            let db = batch.db
            if let replacing { try await db.execute("DELETE FROM webSession WHERE hash = $1", [.text(replacing)]) }
            try await db.execute("DELETE FROM webSession WHERE lastSeen < $1", [.text(staleBefore.description)])
            try await db.insert(WebSessionRow(session), into: "webSession")
            try await db.execute(
                """
                DELETE FROM webSession WHERE person = $1 AND hash <> $2 AND hash NOT IN (
                    SELECT hash FROM webSession WHERE person = $1 AND hash <> $2
                    ORDER BY lastSeen DESC, n DESC LIMIT $3)
                """, [.text(session.person), .text(session.hash), .int(max(0, keeping - 1))])
        }
    }

    public func webSession(hash: String) async throws(StorageError) -> WebSessionRecord? {
        let row = try await connection { db in
            try await db.fetchOne(WebSessionRow.self, "SELECT * FROM webSession WHERE hash = $1", [.text(hash)])
        }
        return try row?.domain()
    }

    public func touchWebSession(hash: String, at time: LocalDateTime) async throws(StorageError) {
        try await write(checked: false) { batch in
            try await batch.db.execute(
                "UPDATE webSession SET lastSeen = $1 WHERE hash = $2", [.text(time.description), .text(hash)])
        }
    }

    public func closeWebSessions(hash: String?, person: String?) async throws(StorageError) {
        try await write(checked: false) { batch in
            if let hash { try await batch.db.execute("DELETE FROM webSession WHERE hash = $1", [.text(hash)]) }
            if let person { try await batch.db.execute("DELETE FROM webSession WHERE person = $1", [.text(person)]) }
        }
    }

    public func signInFailures(_ key: String) async throws(StorageError) -> SignInFailures? {
        let row = try await connection { db in
            try await db.fetchOne(SignInFailureRow.self, "SELECT * FROM signInFailure WHERE key = $1", [.text(key)])
        }
        return try row?.domain()
    }

    public func noteSignIn(_ keys: [String], failed: Bool, at time: LocalDateTime) async throws(StorageError) {
        try await write(checked: false) { batch in
            for key in keys {
                if failed {
                    try await batch.db.execute(
                        """
                        INSERT INTO signInFailure (key, count, last) VALUES ($1, 1, $2)
                        ON CONFLICT (key) DO UPDATE SET count = signInFailure.count + 1, last = excluded.last
                        """, [.text(key), .text(time.description)])
                } else {
                    try await batch.db.execute("DELETE FROM signInFailure WHERE key = $1", [.text(key)])
                }
            }
        }
    }

    // MARK: - Event log

    public func chainHead() async throws(StorageError) -> ChainHead {
        try await connection { db in try await WriteBatch.head(db) }
    }

    public func events(of kind: AuditEvent.Kind, limit: Int) async throws(StorageError) -> [AuditEvent] {
        let rows = try await connection { db in
            try await db.fetch(
                EventRow.self, "SELECT * FROM event WHERE kind = $1 ORDER BY seq DESC LIMIT $2",
                [.text(kind.rawValue), .int(limit)])
        }
        return try rows.domains()
    }

    public func auditVerification(keepingReplayAt keptAt: Int?) async throws(StorageError) -> AuditVerification {
        try await read { db in
            var verifier = AuditVerifier(keepingReplayAt: keptAt)
            verifier.expect(attendanceRows: try await db.integer("SELECT count(*) FROM attendance"))
            try await db.each(EventRow.self, "SELECT * FROM event ORDER BY seq") { verifier.add(try $0.domain()) }
            try await db.each(AttendanceRow.self, "SELECT * FROM attendance") {
                verifier.compare(stored: try $0.domain())
            }
            return verifier.finish(records: try await Self.auditRows(db).snapshot().records)
        }
    }

    public func auditReplay(upTo last: Int) async throws(StorageError) -> AuditReplay {
        try await read { db in
            var replayed = ReplayedRecords()
            try await db.each(EventRow.self, "SELECT * FROM event WHERE seq <= $1 ORDER BY seq", [.int(last)]) {
                replayed.replay(try $0.domain())
            }
            return AuditReplay(replayed: replayed, entry: try await Self.event(last, db))
        }
    }

    public func auditEvent(seq: Int) async throws(StorageError) -> AuditEvent? {
        try await connection { db in try await Self.event(seq, db) }
    }

    /// Entry `seq` of the log, read on the caller's connection.
    private static func event(_ seq: Int, _ db: SQLConnection) async throws -> AuditEvent? {
        try await db.fetchOne(EventRow.self, "SELECT * FROM event WHERE seq = $1", [.int(seq)])?.domain()
    }

    public func auditSnapshot() async throws(StorageError) -> AuditSnapshot {
        let rows = try await read { db in
            try await Self.auditRows(
                db, events: try await db.fetch(EventRow.self, "SELECT * FROM event ORDER BY seq"),
                attendance: try await db.fetch(AttendanceRow.self, "SELECT * FROM attendance"))
        }
        return try rows.snapshot()
    }

    /// The tables the event log vouches for, read in the caller's transaction; the log and the
    /// attendance table only when given (`auditVerification` streams them).
    private static func auditRows(_ db: SQLConnection, events: [EventRow] = [], attendance: [AttendanceRow] = [])
        async throws -> AuditRows
    {
        AuditRows(
            events: events, attendance: attendance,
            sessionChanges: try await db.fetch(SessionChangeRow.self, "SELECT * FROM sessionChange ORDER BY id"),
            minutes: try await db.fetch(MinutesStateRow.self, "SELECT * FROM minutesState"),
            seats: try await db.fetch(SeatRow.self, "SELECT * FROM seat ORDER BY id"),
            people: try await db.fetch(PersonRow.self, "SELECT * FROM person ORDER BY id"),
            contents: try await db.fetch(MinutesRecordRow.self, "SELECT * FROM minutesRecord"),
            versions: try await db.fetch(MinutesVersionRow.self, "SELECT * FROM minutesVersion"))
    }

    /// An UPDATE (with `RETURNING`) that must change exactly one row, logged in the same
    /// transaction. When it changes none, the row is missing (`missing`) or already in that
    /// state (`already`).
    private func updateOnce(
        _ sql: String, _ values: [SQLValue], log: ChangeRecord, exists: (sql: String, values: [SQLValue]),
        missing: StorageError, already: StorageError
    ) async throws(StorageError) {
        try await write { batch in
            guard try await batch.db.rows(sql, values).count == 1 else {
                throw try await batch.db.exists(exists.sql, exists.values) ? already : missing
            }
            batch.log(log)
        }
    }

    // MARK: - Outbox

    public func enqueue(_ entries: [OutboxEntry]) async throws(StorageError) {
        try await write { batch in batch.outbox(entries) }
    }

    public func outbox(limit: Int) async throws(StorageError) -> [OutboxEntry] {
        let rows = try await connection { db in
            try await db.fetch(OutboxRow.self, "SELECT * FROM outbox ORDER BY id DESC LIMIT $1", [.int(limit)])
        }
        return try rows.domains()
    }

    public func claimOutbox(owner: String, now: LocalDateTime, lease: Int, limit: Int) async throws(StorageError)
        -> [OutboxEntry]
    {
        let until = LocalDateTime(localSeconds: now.localSeconds + Int64(lease)).description
        let stamp = now.description
        // SKIP LOCKED: the senders of several servers claim different entries at the same time.
        let rows = try await write(checked: false) { batch in
            try await batch.db.fetch(
                OutboxRow.self,
                """
                UPDATE outbox SET claimedBy = $1, claimedUntil = $2 WHERE id IN (
                    SELECT id FROM outbox WHERE state = $3 AND nextAttempt <= $4
                    AND (claimedUntil IS NULL OR claimedUntil < $4 OR claimedBy = $1)
                    ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED)
                RETURNING *
                """,
                [.text(owner), .text(until), .text(OutboxEntry.State.pending.rawValue), .text(stamp), .int(limit)])
        }
        return try rows.sorted { ($0.id ?? 0) < ($1.id ?? 0) }.domains()
    }

    public func finish(_ id: Int, owner: String, _ outcome: OutboxOutcome) async throws(StorageError) {
        try await write(checked: false) { batch in
            let db = batch.db
            guard
                var row = try await db.fetchOne(
                    OutboxRow.self, "SELECT * FROM outbox WHERE id = $1 FOR UPDATE", [.int(id)]),
                row.claimedBy == owner, row.state == OutboxEntry.State.pending.rawValue
            else { throw StorageError.conflict("outbox entry \(id) is not held by \(owner)") }
            row.attempts += 1
            row.claimedBy = nil
            row.claimedUntil = nil
            switch outcome {
            case .sent(let at):
                (row.state, row.sentAt, row.lastError) = (OutboxEntry.State.sent.rawValue, at.description, nil)
            case .retry(let at, let error): (row.nextAttempt, row.lastError) = (at.description, error)
            case .failed(_, let error): (row.state, row.lastError) = (OutboxEntry.State.failed.rawValue, error)
            }
            try await db.update(row, in: "outbox", key: ["id"])
        }
    }

    public func queueLadung(_ record: LadungRecord, entries: [OutboxEntry]) async throws(StorageError) -> Bool {
        try await write { batch in
            let key = record.session
            let inserted = try await batch.db.rows(
                """
                INSERT INTO ladung (bodyId, seriesId, date, due, queued, actor, recipients)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING 1
                """,
                key.values + [
                    .text(record.due.description), .text(record.queued.description), .text(record.actor),
                    .int(record.recipients),
                ])
            guard inserted.count == 1 else { return false }
            batch.outbox(entries)
            return true
        }
    }

    public func ladungen(from: CivilDate) async throws(StorageError) -> [LadungRecord] {
        let rows = try await connection { db in
            try await db.fetch(
                LadungRow.self, "SELECT * FROM ladung WHERE date >= $1 ORDER BY date, bodyId", [.text(from.description)]
            )
        }
        return try rows.domains()
    }

    // MARK: - Replies

    public func save(_ links: [ReplyLink]) async throws(StorageError) {
        try await write(checked: false) { batch in
            for l in links {
                try await batch.db.upsert(ReplyLinkRow(l), into: "replyLink", key: ["hash"])
            }
        }
    }

    public func replyLink(hash: String) async throws(StorageError) -> ReplyLink? {
        let row = try await connection { db in
            try await db.fetchOne(ReplyLinkRow.self, "SELECT * FROM replyLink WHERE hash = $1", [.text(hash)])
        }
        return try row?.domain()
    }

    public func answer(linkHash: String, at time: LocalDateTime) async throws(StorageError) -> Reply {
        try await write { batch in
            let db = batch.db
            guard
                let link = try await db.fetchOne(
                    ReplyLinkRow.self, "SELECT * FROM replyLink WHERE hash = $1", [.text(linkHash)])?.domain()
            else { throw StorageError.notFound("no such answer link") }
            let key = link.session
            if let stored = try await Self.reply(db, key, link.person), stored.answer == link.answer {
                return Reply(session: key, person: link.person, answer: link.answer, time: stored.time, via: stored.via)
            }
            let reply = Reply(session: key, person: link.person, answer: link.answer, time: time, via: "link")
            try await db.upsert(ReplyRow(reply), into: "reply", key: SessionKey.columns + ["person"])
            batch.audit(reply.auditDraft())
            return reply
        }
    }

    private static func reply(_ db: SQLConnection, _ key: SessionKey, _ person: String) async throws -> Reply? {
        try await db.fetchOne(
            ReplyRow.self, "SELECT * FROM reply WHERE \(SessionKey.match) AND person = $4",
            key.values + [.text(person)])?.domain()
    }

    public func replies(of session: SessionKey) async throws(StorageError) -> [Reply] {
        let rows = try await connection { db in
            try await db.fetch(
                ReplyRow.self, "SELECT * FROM reply WHERE \(SessionKey.match) ORDER BY person", session.values)
        }
        return try rows.domains()
    }

    public func record(_ replies: [Reply]) async throws(StorageError) -> [Reply] {
        try await write { batch in
            var recorded: [Reply] = []
            for reply in replies {
                let stored = try? await Self.reply(batch.db, reply.session, reply.person)
                guard reply.replaces(stored) else { continue }
                try await batch.db.upsert(ReplyRow(reply), into: "reply", key: SessionKey.columns + ["person"])
                batch.audit(reply.auditDraft())
                recorded.append(reply)
            }
            return recorded
        }
    }

    public func log(_ refused: RefusedReply) async throws(StorageError) {
        try await write { batch in batch.audit(refused.auditDraft()) }
    }

    // MARK: - Changes of other instances

    /// Calls `changed` whenever a write of any instance on this database has committed, and
    /// once after (re)connecting, since notifications sent while not listening are lost. Runs
    /// until the task is cancelled; a lost connection is opened again at once, then with a
    /// growing pause of up to a second.
    public func watchChanges(_ changed: @escaping @Sendable (Announcement) async -> Void) async {
        var failures = 0
        while !Task.isCancelled {
            do {
                try await connections.client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        failures = 0
                        // What was announced while nobody listened is lost: read everything again.
                        await changed(.reconnected)
                        for try await note in notifications {
                            await changed(Announcement(rawValue: note.payload) ?? .feeds)
                        }
                    }
                }
            } catch {
                connections.logger.debug("listening for changes: \(error)")
            }
            // At once after a lost connection, then after 50 ms, 100 ms, … up to a second while the
            // server is away (the pool may first hand out the connection that was just lost).
            if failures > 0 { try? await Task.sleep(for: .milliseconds(min(1_000, 50 << min(failures - 1, 5)))) }
            failures += 1
        }
    }

    // MARK: - Copy

    /// The tables in the order a copy writes them (what a row refers to comes first), with the
    /// identity column of the numbered ones.
    private static let tables: [(name: String, identity: String?)] = [
        ("district", nil), ("office", nil), ("body", nil), ("membership", nil), ("series", nil), ("person", nil),
        ("sessionChange", "id"), ("attendance", nil), ("minutesState", nil), ("minutesRecord", nil),
        ("minutesVersion", nil), ("agendaItem", "id"), ("actionItem", "id"), ("seat", "id"), ("token", nil),
        ("account", nil), ("signInLink", nil), ("webSession", "n"), ("signInFailure", nil), ("outbox", "id"),
        ("reply", nil), ("replyLink", nil), ("ladung", nil), ("changeLog", "id"), ("event", nil),
    ]

    public func dump() async throws(StorageError) -> StoreDump {
        try await read { db in
            var d = StoreDump()
            d.district = try await db.fetch(DistrictRow.self, "SELECT * FROM district")
            d.offices = try await db.fetch(OfficeRow.self, "SELECT * FROM office ORDER BY id")
            d.bodies = try await db.fetch(BodyRow.self, "SELECT * FROM body ORDER BY id")
            d.memberships = try await db.fetch(MembershipRow.self, "SELECT * FROM membership ORDER BY bodyId, position")
            d.series = try await db.fetch(SeriesRow.self, "SELECT * FROM series ORDER BY bodyId, id")
            d.people = try await db.fetch(PersonRow.self, "SELECT * FROM person ORDER BY id")
            d.sessionChanges = try await db.fetch(SessionChangeRow.self, "SELECT * FROM sessionChange ORDER BY id")
            d.attendance = try await db.fetch(
                AttendanceRow.self, "SELECT * FROM attendance ORDER BY bodyId, seriesId, date, office, person")
            d.minutesStates = try await db.fetch(MinutesStateRow.self, "SELECT * FROM minutesState")
            d.minutesRecords = try await db.fetch(MinutesRecordRow.self, "SELECT * FROM minutesRecord")
            d.minutesVersions = try await db.fetch(MinutesVersionRow.self, "SELECT * FROM minutesVersion")
            d.agendaItems = try await db.fetch(AgendaItemRow.self, "SELECT * FROM agendaItem ORDER BY id")
            d.actionItems = try await db.fetch(ActionItemRow.self, "SELECT * FROM actionItem ORDER BY id")
            d.seats = try await db.fetch(SeatRow.self, "SELECT * FROM seat ORDER BY id")
            d.tokens = try await db.fetch(TokenRow.self, "SELECT * FROM token")
            d.accounts = try await db.fetch(AccountRow.self, "SELECT * FROM account")
            d.signInLinks = try await db.fetch(SignInLinkRow.self, "SELECT * FROM signInLink")
            d.webSessions = try await db.fetch(WebSessionRow.self, "SELECT * FROM webSession ORDER BY n")
            d.signInFailures = try await db.fetch(SignInFailureRow.self, "SELECT * FROM signInFailure")
            d.outbox = try await db.fetch(OutboxRow.self, "SELECT * FROM outbox ORDER BY id")
            d.replies = try await db.fetch(ReplyRow.self, "SELECT * FROM reply")
            d.replyLinks = try await db.fetch(ReplyLinkRow.self, "SELECT * FROM replyLink")
            d.ladungen = try await db.fetch(LadungRow.self, "SELECT * FROM ladung")
            d.changeLog = try await db.fetch(ChangeLogRow.self, "SELECT * FROM changeLog ORDER BY id")
            d.events = try await db.fetch(EventRow.self, "SELECT * FROM event ORDER BY seq")
            return d
        }
    }

    public func load(_ dump: StoreDump) async throws(StorageError) {
        let location = self.location.description
        try await write { batch in
            let db = batch.db
            let events = try await db.integer("SELECT COUNT(*) FROM event")
            guard events == 0, try await !db.exists("SELECT 1 FROM district") else {
                throw StorageError.notEmpty(location, events: events)
            }
            try await db.insertRows(dump.district, into: "district")
            try await db.insertRows(dump.offices, into: "office")
            try await db.insertRows(dump.bodies, into: "body")
            try await db.insertRows(dump.memberships, into: "membership")
            try await db.insertRows(dump.series, into: "series")
            try await db.insertRows(dump.people, into: "person")
            try await db.insertRows(dump.sessionChanges, into: "sessionChange")
            try await db.insertRows(dump.attendance, into: "attendance")
            try await db.insertRows(dump.minutesStates, into: "minutesState")
            try await db.insertRows(dump.minutesRecords, into: "minutesRecord")
            try await db.insertRows(dump.minutesVersions, into: "minutesVersion")
            try await db.insertRows(dump.agendaItems, into: "agendaItem")
            try await db.insertRows(dump.actionItems, into: "actionItem")
            try await db.insertRows(dump.seats, into: "seat")
            try await db.insertRows(dump.tokens, into: "token")
            try await db.insertRows(dump.accounts, into: "account")
            try await db.insertRows(dump.signInLinks, into: "signInLink")
            try await db.insertRows(dump.webSessions, into: "webSession")
            try await db.insertRows(dump.signInFailures, into: "signInFailure")
            try await db.insertRows(dump.outbox, into: "outbox")
            try await db.insertRows(dump.replies, into: "reply")
            try await db.insertRows(dump.replyLinks, into: "replyLink")
            try await db.insertRows(dump.ladungen, into: "ladung")
            try await db.insertRows(dump.changeLog, into: "changeLog")
            try await db.insertRows(dump.events, into: "event")
            // Rows came with their numbers: the next new row takes the one after the highest.
            for (table, column) in Self.tables.compactMap({ t in t.identity.map { (t.name, $0) } }) {
                try await db.execute(
                    "SELECT setval(pg_get_serial_sequence('\(table.lowercased())', '\(column)'), "
                        + "GREATEST(COALESCE(MAX(\(column)), 0), 1), MAX(\(column)) IS NOT NULL) FROM \(table)")
            }
        }
    }

}

/// The pool, and the one place its errors become `StorageError`.
struct Connections: Sendable {
    let client: PostgresClient
    let logger: Logger
    let location: PostgresLocation

    func with<T: Sendable>(_ work: (SQLConnection) async throws -> T) async throws(StorageError) -> T {
        do {
            return try await client.withConnection { connection in
                try await work(SQLConnection(connection: connection, logger: logger))
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw PostgresStore.translate(error, location)
        }
    }
}

/// What a write transaction notes as it goes and writes at its end: the change log, the event
/// log (continuing the chain from its head, under the write lock) and the outbox.
final class WriteBatch {
    let db: SQLConnection
    private var changes: [ChangeRecord] = []
    private var events: [AuditEvent.Draft] = []
    private var mail: [OutboxEntry] = []

    /// Whether the transaction holds the write lock (a checked write).
    private let locked: Bool

    init(_ db: SQLConnection, locked: Bool) { (self.db, self.locked) = (db, locked) }

    func log(_ record: ChangeRecord) { changes.append(record) }
    func audit(_ draft: AuditEvent.Draft) { events.append(draft) }
    func outbox(_ entries: [OutboxEntry]) { mail.append(contentsOf: entries) }

    static func head(_ db: SQLConnection) async throws -> ChainHead {
        guard let row = try await db.rows("SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1").first else {
            return .genesis
        }
        let (seq, hash) = try row.decode((Int, String).self)
        return ChainHead(seq: seq, hash: hash)
    }

    func flush() async throws {
        if !events.isEmpty && !locked {
            // An unchecked write that logs takes the lock a checked one already holds.
            try await db.execute("SELECT pg_advisory_xact_lock($1)", [.int(PostgresStore.writeLock)])
        }
        if !changes.isEmpty {
            try await db.insertMany(
                "changeLog", columns: ["time", "actor", "subject", "action", "detail"],
                rows: changes.map {
                    [
                        .text($0.time.description), .text($0.actor), .text($0.subject), .text($0.action),
                        .text($0.detail),
                    ]
                })
        }
        if !events.isEmpty {
            var chain = EventChain(head: try await Self.head(db))
            let rows: [[SQLValue]] = events.map { draft in
                let e = chain.append(draft)
                return [
                    .int(e.seq), .text(e.time.description), .text(e.actor), .text(e.kind.rawValue), .text(e.subject),
                    .text(e.payload), .text(e.previous), .text(e.hash),
                ]
            }
            try await db.insertMany(
                "event", columns: ["seq", "time", "actor", "kind", "subject", "payload", "previous", "hash"], rows: rows
            )
        }
        for e in mail {
            var row = OutboxRow(e)
            row.id = nil
            try await db.insert(row, into: "outbox")
        }
        (changes, events, mail) = ([], [], [])
    }
}

extension SQLValue {
    static func optional(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
}

extension SessionKey {
    /// The session's rows: `$1` to `$3` are its body, series and planned date (`values`).
    static let match = "bodyId = $1 AND seriesId = $2 AND date = $3"
    static let columns = ["bodyid", "seriesid", "date"]
    var values: [SQLValue] { [.text(body), .text(series), .text(date.description)] }
}

extension SQLConnection {
    /// `constraint` unless the store holds the series.
    func requireSeries(_ body: String, _ series: String) async throws {
        guard try await exists("SELECT 1 FROM series WHERE bodyId = $1 AND id = $2", [.text(body), .text(series)])
        else { throw StorageError.unknownSeries(body, series) }
    }

    /// `constraint` unless the store holds the office.
    func requireOffice(_ id: String) async throws {
        guard try await exists("SELECT 1 FROM office WHERE id = $1", [.text(id)]) else {
            throw StorageError.unknownOffice(id)
        }
    }
}
