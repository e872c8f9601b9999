import CSQLiteSettings
import Coordination
import Foundation
import GRDB
import Storage

/// The default store: one SQLite file (WAL mode), schema from named migrations.
///
/// Errors of SQLite and GRDB are turned into `StorageError` here and nowhere else.
public final class SQLiteStore: Store, BackupStore, StoreHealth {
    private let pool: DatabasePool
    public let path: String

    /// How a store is opened: commands that only read open it read-only, so a store whose file
    /// the user may only read (an auditor's copy) can be read, and nothing is written by accident.
    public enum Access: Sendable { case readWrite, readOnly }

    /// Opens (or creates) the store at `path`; read-write brings its schema up to date.
    ///
    /// A store written by a newer Gremien (a migration this version does not know) is refused
    /// either way: writing it with an older schema in mind could damage what the newer one keeps.
    public init(path: String, access: Access = .readWrite) throws(StorageError) {
        self.path = path
        let migrator = Schema.migrator
        let opened: (pool: DatabasePool, schema: SchemaState)
        do {
            opened = try Self.connect(path, readOnly: access == .readOnly, migrator: migrator)
        } catch let error as DatabaseError
            where access == .readOnly && [.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(error.resultCode)
        {
            // A store in WAL mode in a folder the user may only read: SQLite cannot make the
            // shared-memory file beside it. Nobody can be writing it then, so it is read as
            // immutable.
            do { opened = try Self.connect(Self.immutableURI(path), readOnly: true, migrator: migrator) } catch {
                throw .unavailable("cannot open the store \(path): \(Self.message(error))")
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY {
            throw .unavailable(
                "the store \(path) may only be read here (the file or its folder is not writable); "
                    + "this command writes to it")
        } catch {
            throw .unavailable("cannot open the store \(path): \(Self.message(error))")
        }
        pool = opened.pool
        let schema = opened.schema
        if let newest = schema.unknown.last {
            throw .unavailable(
                "the store \(path) was written by a newer version of Gremien (schema step '\(newest)' is unknown "
                    + "to this one); use that version, or a backup made before it")
        }
        switch access {
        case .readOnly where schema.applied == 0:
            throw .unavailable("the store \(path) is empty: it holds no definitions yet; run: gremien sync --apply")
        case .readOnly where !schema.complete:
            throw .unavailable(
                "the store \(path) has an older schema and is opened read-only; "
                    + "run a command that writes to it once (e.g. gremien sync --apply) to bring it up to date")
        case .readOnly:
            break
        case .readWrite:
            do { try migrator.migrate(pool) } catch {
                throw .unavailable("cannot open the store \(path): \(Self.message(error))")
            }
        }
    }

    /// Below this much free space on the store's disk, writes may fail (SQLite needs room for
    /// its journal): `/healthz` says so before they do.
    public static let minimumFreeBytes: Int64 = 32 << 20

    public func healthProblems() -> [String] {
        let folder = (path as NSString).deletingLastPathComponent
        var stats = statvfs()
        guard statvfs(folder.isEmpty ? "." : folder, &stats) == 0 else {
            return ["the disk of the store \(path) cannot be examined"]
        }
        let free = Int64(stats.f_bavail) * Int64(stats.f_frsize)
        guard free < Self.minimumFreeBytes else { return [] }
        return ["only \(free >> 20) MiB are free on the disk of the store \(path); writes will fail"]
    }

    /// SQLite's process-wide settings, made once before the process opens its first connection:
    /// no memory statistics. With them, every allocation and free of every connection takes
    /// one process-wide mutex; an import of 300,000 rows spent about 0.8 s of its 9 s there
    /// (nothing in Gremien or GRDB reads the statistics).
    private static let sqliteSettings: Void = { _ = gremien_sqlite_memory_statistics_off() }()

    /// What a store's schema says before anything is written to it.
    private struct SchemaState {
        /// Migrations applied that this version does not know (a newer Gremien wrote them), sorted.
        var unknown: [String]
        /// How many migrations were applied: 0 for a new, empty file.
        var applied: Int
        /// Whether every migration this version knows has been applied.
        var complete: Bool
    }

    /// A pool on `path` and what its schema says.
    private static func connect(_ path: String, readOnly: Bool, migrator: DatabaseMigrator) throws -> (
        pool: DatabasePool, schema: SchemaState
    ) {
        _ = sqliteSettings
        var configuration = Configuration()
        // A second writer (the command line beside the server) waits for the first instead
        // of failing at once with "database is locked".
        configuration.busyMode = .timeout(5)
        configuration.readonly = readOnly
        let pool = try DatabasePool(path: path, configuration: configuration)
        return try pool.read { db in
            // A new, empty file has no table of migrations yet.
            guard try db.tableExists("grdb_migrations") else {
                return (pool, SchemaState(unknown: [], applied: 0, complete: false))
            }
            let applied = try migrator.appliedIdentifiers(db)
            return (
                pool,
                SchemaState(
                    unknown: applied.subtracting(migrator.migrations).sorted(), applied: applied.count,
                    complete: try migrator.hasCompletedMigrations(db))
            )
        }
    }

    /// `file:PATH?immutable=1`, the path escaped for a URI (SQLite is built with URI names).
    static func immutableURI(_ path: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return "file:" + (absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute) + "?immutable=1"
    }

    /// Copies the store, as one consistent state, to a new SQLite file at `destination`
    /// (SQLite's online backup: writers go on meanwhile; a plain `cp` can miss what is still in
    /// the write-ahead log). The copy is written beside the destination and renamed into place.
    public func backup(to destination: String) async throws(StorageError) {
        // In a synchronous function: in an async one GRDB's async overloads would be chosen.
        try copy(to: destination)
    }

    private func copy(to destination: String) throws(StorageError) {
        let partial = destination + ".partial"
        TemporaryStoreFiles.remove(partial)
        do {
            let target = try DatabaseQueue(path: partial)
            try pool.backup(to: target)
            try target.writeWithoutTransaction { db in
                // One file for the auditors: no -wal beside it.
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
            try target.close()
            try FileManager.default.moveItem(atPath: partial, toPath: destination)
        } catch let error as StorageError {
            TemporaryStoreFiles.remove(partial)
            throw error
        } catch {
            TemporaryStoreFiles.remove(partial)
            throw .unavailable("cannot copy the store to \(destination): \(Self.message(error))")
        }
    }

    public func definitions() async throws(StorageError) -> StoredDefinitions {
        let rows: DefinitionRows = try await read { db in
            DefinitionRows(
                district: try DistrictRow.fetchOne(db),
                offices: try OfficeRow.order(Column("id")).fetchAll(db),
                bodies: try BodyRow.order(Column("id")).fetchAll(db),
                members: try MembershipRow.order(Column("bodyId"), Column("position")).fetchAll(db),
                series: try SeriesRow.order(Column("bodyId"), Column("position"), Column("id")).fetchAll(db),
                archivedOn: try Row.fetchAll(
                    db,
                    sql: "SELECT subject, MAX(time) AS time FROM changeLog WHERE action = 'archived' GROUP BY subject"
                ).map { ($0["subject"], $0["time"]) })
        }
        return try rows.definitions()
    }

    public func apply(_ plan: SyncPlan, at time: LocalDateTime, actor: String, outbox: [OutboxEntry])
        async throws(StorageError)
    {
        try await write { db in
            let stored = try String.fetchSet(db, sql: "SELECT id FROM body")
            if let refusal = plan.unknownBody(stored: stored) { throw refusal }
            try Self.insert(outbox, db)
            var events = try EventLog(db)
            for change in plan.changes {
                let archived = change.action == .archived
                switch change.value {
                case .district(let settings):
                    try DistrictRow(settings).save(db)
                case .office(let office):
                    try OfficeRow(office, archived: archived).save(db)
                case .body(let body):
                    try BodyRow(body, archived: archived).save(db)
                    if !archived {
                        let all = try MembershipRow.filter(Column("bodyId") == body.id).fetchAll(db)
                        let (past, current) = try MembershipRow.replacing(all, with: body, at: time)
                        for row in past { try row.insert(db) }
                        try MembershipRow.filter(Column("bodyId") == body.id && !Column("past")).deleteAll(db)
                        for row in current { try row.insert(db) }
                    }
                case .series(let body, let s, let position):
                    try SeriesRow(s, body: body, position: position, archived: archived).save(db)
                }
                try ChangeLogRow(change.record(at: time, actor: actor)).insert(db)
                try events.append(change.auditDraft(at: time, actor: actor))
            }
        }
    }

    public func changes(last count: Int) async throws(StorageError) -> (entries: [ChangeRecord], total: Int) {
        // One read: the entries and their number of the same moment.
        let (rows, total): ([ChangeLogRow], Int) = try await read { db in
            let rows = try ChangeLogRow.order(Column("id").desc).limit(max(count, 0)).fetchAll(db)
            return (Array(rows.reversed()), try ChangeLogRow.fetchCount(db))
        }
        return (try rows.domains(), total)
    }

    public func changes(before: Int64?, count: Int) async throws(StorageError) -> [NumberedChange] {
        let rows: [ChangeLogRow] = try await read { db in
            var request = ChangeLogRow.order(Column("id").desc).limit(max(count, 0))
            if let before { request = request.filter(Column("id") < before) }
            return try request.fetchAll(db)
        }
        return try rows.numbered()
    }

    public func subjectTimes() async throws(StorageError) -> [SubjectTimes] {
        let rows: [SubjectTimesRow] = try await read { db in
            try SubjectTimesRow.fetchAll(db, sql: SubjectTimesRow.sql)
        }
        return try rows.domains()
    }

    public func changes(matching filter: ChangeFilter) async throws(StorageError) -> [ChangeRecord] {
        // substr and instr compare the exact text (LIKE would ignore case and read % and _).
        let rows: [ChangeLogRow] = try await read { db in
            try ChangeLogRow.fetchAll(
                db,
                sql: """
                    SELECT * FROM changeLog WHERE substr(subject, 1, length(?1)) = ?1
                    AND (?2 IS NULL OR action = ?2) AND (?3 IS NULL OR instr(detail, ?3) > 0) ORDER BY id
                    """,
                arguments: [filter.subjectPrefix, filter.action, filter.detailContaining])
        }
        return try rows.domains()
    }

    public func record(_ change: SessionChange, expecting changes: Expected<Int>, outbox: [OutboxEntry])
        async throws(StorageError)
    {
        try await write { db in
            try db.requireSeries(change.body, change.series)
            let recorded = {
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM sessionChange WHERE bodyId = ? AND seriesId = ?",
                    arguments: [change.body, change.series]) ?? 0
            }
            guard try changes.holds(recorded) else {
                throw StorageError.changedMeanwhile("the sessions of \(change.body)/\(change.series)")
            }
            try SessionChangeRow(change).insert(db)
            try ChangeLogRow(change.record).insert(db)
            var events = try EventLog(db)
            try events.append(change.auditDraft)
            try Self.insert(outbox, db)
        }
    }

    public func sessionChanges() async throws(StorageError) -> [SessionChange] {
        let rows: [SessionChangeRow] = try await read { db in
            try SessionChangeRow.order(Column("id")).fetchAll(db)
        }
        return try rows.domains()
    }

    public func save(_ person: Person, endingSeatsOn day: CivilDate?, at time: LocalDateTime, actor: String)
        async throws(StorageError)
    {
        let entry = ChangeRecord.saved(person, at: time, actor: actor)
        try await write { db in
            try db.requireOffice(person.office)
            try PersonRow(person).save(db)
            try ChangeLogRow(entry).insert(db)
            var events = try EventLog(db)
            try events.append(person.auditDraft(at: time, actor: actor))
            guard let day else { return }
            let running = try SeatRow.filter(
                Column("person") == person.id && (Column("validUntil") == nil || Column("validUntil") > day.description)
            ).order(Column("id")).fetchAll(db)
            for var row in running {
                row.validUntil = day.description
                try row.update(db)
                let seat = try row.domain()
                try ChangeLogRow(.seat(seat, "ended", at: time, actor: actor)).insert(db)
                try events.append(seat.auditDraft("ended", at: time, actor: actor))
            }
        }
    }

    public func people() async throws(StorageError) -> [Person] {
        let rows: [PersonRow] = try await read { db in
            try PersonRow.order(Column("name"), Column("id")).fetchAll(db)
        }
        return try rows.domains()
    }

    public func person(id: String) async throws(StorageError) -> Person? {
        let row: PersonRow? = try await read { db in try PersonRow.fetchOne(db, key: id) }
        return try row?.domain()
    }

    public func seats() async throws(StorageError) -> [Seat] {
        let rows: [SeatRow] = try await read { db in try SeatRow.order(Column("id")).fetchAll(db) }
        return try rows.domains()
    }

    public func assign(_ seat: Seat, at time: LocalDateTime, actor: String, outbox: [OutboxEntry])
        async throws(StorageError) -> Seat
    {
        try await write { db in
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM body WHERE id = ?", arguments: [seat.body]) != nil else {
                throw StorageError.unknownBody(seat.body)
            }
            try db.requireOffice(seat.office)
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM person WHERE id = ?", arguments: [seat.person]) != nil else {
                throw StorageError.unknownPerson(seat.person)
            }
            var row = SeatRow(seat)
            row.id = nil
            try row.insert(db)
            let stored = try row.domain()
            try ChangeLogRow(.seat(stored, "assigned", at: time, actor: actor)).insert(db)
            var events = try EventLog(db)
            try events.append(stored.auditDraft("assigned", at: time, actor: actor))
            try Self.insert(outbox, db)
            return stored
        }
    }

    public func endSeat(_ id: Int, on day: CivilDate, at time: LocalDateTime, actor: String, outbox: [OutboxEntry])
        async throws(StorageError) -> Seat
    {
        try await write { db in
            guard var row = try SeatRow.fetchOne(db, key: id) else { throw StorageError.noSeat(id) }
            row.validUntil = day.description
            try row.update(db)
            let seat = try row.domain()
            try ChangeLogRow(.seat(seat, "ended", at: time, actor: actor)).insert(db)
            var events = try EventLog(db)
            try events.append(seat.auditDraft("ended", at: time, actor: actor))
            try Self.insert(outbox, db)
            return seat
        }
    }

    public func record(
        _ attendance: [AttendanceEntry], removing: [AttendanceEntry], reason: String?, at time: LocalDateTime,
        actor: String, expecting current: Expected<[AttendanceEntry]>
    ) async throws(StorageError) {
        // The offices and series the rows name are read and checked in the transaction itself,
        // so SQLite's own lookup of both for every row (a third of the attendance table's
        // write) is left out.
        _ = try await writeReferencesChecked { db -> Void? in
            var writer = try AttendanceWriter(db, at: time, actor: actor)
            if let refusal = writer.refusal(attendance) ?? writer.refusal(removing) { throw refusal }
            if let first = (attendance.first ?? removing.first)?.session {
                let stored = {
                    try AttendanceRow.filter(first.rows).order(Column("office"), Column("person")).fetchAll(db).map {
                        try $0.domain()
                    }
                }
                guard try current.holds(stored) else {
                    throw StorageError.changedMeanwhile("the attendance of \(first)")
                }
            }
            for entry in removing { try writer.remove(entry, reason: reason ?? "") }
            _ = try writer.write(AttendanceBatches(attendance), reason: reason)
            return ()
        }
    }

    /// Each batch is written while the next is made (checked) on another thread; a batch with a
    /// problem rolls the transaction back.
    public func record(_ batches: AttendanceBatches, reason: String?, at time: LocalDateTime, actor: String)
        async throws(StorageError) -> Bool
    {
        try await writeReferencesChecked { db -> Bool? in
            var writer = try AttendanceWriter(db, at: time, actor: actor)
            return try writer.write(batches, reason: reason) ? true : nil
        } ?? false
    }

    public func attendance(of session: SessionKey) async throws(StorageError) -> [AttendanceEntry] {
        let rows: [AttendanceRow] = try await read { db in
            try AttendanceRow.filter(session.rows).order(Column("office"), Column("person")).fetchAll(db)
        }
        return try rows.domains()
    }

    public func minutesState(of session: SessionKey) async throws(StorageError) -> MinutesState? {
        let row: MinutesStateRow? = try await read { db in
            try MinutesStateRow.filter(session.rows).fetchOne(db)
        }
        return try row?.domain()
    }

    public func save(
        _ state: MinutesState, freezing version: MinutesVersion?, expecting previous: Expected<MinutesState?>
    )
        async throws(StorageError)
    {
        try await write { db in
            try db.requireSeries(state.session.body, state.session.series)
            let key = state.session
            guard try previous.holds({ try MinutesStateRow.filter(key.rows).fetchOne(db)?.domain() }) else {
                throw StorageError.changedMeanwhile("the minutes of \(key)")
            }
            if let version {
                guard try MinutesVersionRow.filter(key.rows && Column("number") == version.number).fetchOne(db) == nil
                else { throw StorageError.changedMeanwhile("version \(version.number) of the minutes of \(key)") }
                try MinutesVersionRow(version).insert(db)
            }
            try MinutesStateRow(state).save(db)
            try ChangeLogRow(state.record).insert(db)
            var events = try EventLog(db)
            try events.append(state.auditDraft)
        }
    }

    public func minutesRecord(of session: SessionKey) async throws(StorageError) -> MinutesRecord? {
        let row: MinutesRecordRow? = try await read { db in try MinutesRecordRow.filter(session.rows).fetchOne(db) }
        return try row?.domain()
    }

    public func save(
        _ record: MinutesRecord, expecting revision: Int, at time: LocalDateTime, actor: String, action: String
    )
        async throws(StorageError) -> MinutesRecord
    {
        let session = record.session
        return try await write { db in
            try db.requireSeries(session.body, session.series)
            let state = try MinutesStateRow.filter(session.rows).fetchOne(db)
            if state?.status == MinutesState.Status.approved.rawValue { throw StorageError.minutesLocked(session) }
            let stored = try MinutesRecordRow.filter(session.rows).fetchOne(db)
            guard (stored?.revision ?? 0) == revision else {
                throw StorageError.changedMeanwhile("the minutes of \(session)")
            }
            var saved = record
            saved.revision = revision + 1
            try MinutesRecordRow(saved).save(db)
            try AgendaItemRow.filter(session.rows).deleteAll(db)
            for text in saved.addedTexts { try AgendaItemRow(AgendaItem(session: session, text: text)).insert(db) }
            try ChangeLogRow(.written(saved, action, at: time, actor: actor)).insert(db)
            var events = try EventLog(db)
            try events.append(saved.auditDraft(at: time, actor: actor))
            return saved
        }
    }

    public func minutesVersions(of session: SessionKey) async throws(StorageError) -> [MinutesVersion] {
        let rows: [MinutesVersionRow] = try await read { db in
            try MinutesVersionRow.filter(session.rows).order(Column("number")).fetchAll(db)
        }
        return try rows.domains()
    }

    public func agendas() async throws(StorageError) -> [SessionKey: [String]] {
        let rows: [AgendaItemRow] = try await read { db in try AgendaItemRow.order(Column("id")).fetchAll(db) }
        var result: [SessionKey: [String]] = [:]
        for r in rows {
            let item = try r.domain()
            result[item.session, default: []].append(item.text)
        }
        return result
    }

    public func agenda(of session: SessionKey) async throws(StorageError) -> [AgendaItem] {
        let rows: [AgendaItemRow] = try await read { db in
            try AgendaItemRow.filter(session.rows).order(Column("id")).fetchAll(db)
        }
        return try rows.domains()
    }

    public func add(_ item: ActionItem, at time: LocalDateTime, actor: String) async throws(StorageError) -> ActionItem
    {
        let stored: ActionItemRow = try await write { db in
            try db.requireSeries(item.session.body, item.session.series)
            try db.requireOffice(item.office)
            let state = try MinutesStateRow.filter(item.session.rows).fetchOne(db)
            if state?.status == MinutesState.Status.approved.rawValue { throw StorageError.minutesLocked(item.session) }
            var record = ActionItemRow(item)
            record.id = nil
            record.done = nil
            try record.insert(db)
            try ChangeLogRow(.added(item, id: Int(record.id ?? 0), at: time, actor: actor)).insert(db)
            return record
        }
        return try stored.domain()
    }

    public func closeActionItem(_ id: Int, at time: LocalDateTime, actor: String) async throws(StorageError) {
        try await updateOnce(
            "UPDATE actionItem SET done = ? WHERE id = ? AND done IS NULL", [time.description, id],
            log: .actionDone(id, at: time, actor: actor),
            exists: ("SELECT 1 FROM actionItem WHERE id = ?", [id]), missing: .noActionItem(id),
            already: .actionItemDone(id))
    }

    public func actionItem(_ id: Int) async throws(StorageError) -> ActionItem? {
        let row: ActionItemRow? = try await read { db in try ActionItemRow.fetchOne(db, key: id) }
        return try row?.domain()
    }

    public func actionItems(of body: String) async throws(StorageError) -> [ActionItem] {
        let rows: [ActionItemRow] = try await read { db in
            try ActionItemRow.filter(Column("bodyId") == body).order(Column("id")).fetchAll(db)
        }
        return try rows.domains()
    }

    public func attendance(from: CivilDate, through: CivilDate, bodies: [String]?) async throws(StorageError)
        -> [AttendanceEntry]
    {
        // Each row becomes an entry as it is read: ten years are hundreds of thousands of rows.
        try await read { db in
            var period = AttendanceRow.filter(
                Column("date") >= from.description && Column("date") <= through.description)
            if let bodies { period = period.filter(bodies.contains(Column("bodyId"))) }
            // Counted first: grown by doubling, the list would hold up to twice the room it needs.
            var entries: [AttendanceEntry] = []
            entries.reserveCapacity(try period.fetchCount(db))
            let rows = try period.order(
                Column("bodyId"), Column("seriesId"), Column("date"), Column("office"), Column("person")
            ).fetchCursor(db)
            while let row = try rows.next() { entries.append(try row.domain()) }
            return entries
        }
    }

    public func minutesStates() async throws(StorageError) -> [MinutesState] {
        let rows: [MinutesStateRow] = try await read { db in
            try MinutesStateRow.order(Column("bodyId"), Column("seriesId"), Column("date")).fetchAll(db)
        }
        return try rows.domains()
    }

    public func save(_ token: AccessToken, actor: String) async throws(StorageError) {
        try await write { db in
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM person WHERE id = ?", arguments: [token.person]) != nil
            else { throw StorageError.unknownPerson(token.person) }
            let taken = try Row.fetchOne(
                db, sql: "SELECT 1 FROM token WHERE id = ? OR hash = ?", arguments: [token.id, token.hash])
            guard taken == nil else { throw StorageError.tokenTaken(token.id) }
            try TokenRow(token).insert(db)
            try ChangeLogRow(token.issueRecord(actor: actor)).insert(db)
        }
    }

    public func token(hash: String) async throws(StorageError) -> AccessToken? {
        let row: TokenRow? = try await read { db in try TokenRow.filter(Column("hash") == hash).fetchOne(db) }
        return try row?.domain()
    }

    public func tokens() async throws(StorageError) -> [AccessToken] {
        let rows: [TokenRow] = try await read { db in
            try TokenRow.order(Column("created"), Column("id")).fetchAll(db)
        }
        return try rows.domains()
    }

    public func revokeToken(id: String, at time: LocalDateTime, actor: String) async throws(StorageError) {
        try await updateOnce(
            "UPDATE token SET revoked = ? WHERE id = ? AND revoked IS NULL", [time.description, id],
            log: .tokenRevoked(id, at: time, actor: actor),
            exists: ("SELECT 1 FROM token WHERE id = ?", [id]), missing: .noActiveToken(id),
            already: .noActiveToken(id))
    }

    public func markUsed(tokenID: String, at time: LocalDateTime) async throws(StorageError) {
        try await write { db in
            try db.execute(sql: "UPDATE token SET lastUsed = ? WHERE id = ?", arguments: [time.description, tokenID])
        }
    }

    public func save(_ account: Account, at time: LocalDateTime, actor: String, action: String)
        async throws(StorageError)
    {
        try await write { db in
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM person WHERE id = ?", arguments: [account.person]) != nil
            else { throw StorageError.unknownPerson(account.person) }
            let other = try Row.fetchOne(
                db, sql: "SELECT 1 FROM account WHERE email = ? AND person <> ?",
                arguments: [account.email, account.person])
            guard other == nil else { throw StorageError.emailTaken(account.email) }
            try AccountRow(account).save(db)
            try ChangeLogRow(.accountSaved(account, action: action, at: time, actor: actor)).insert(db)
        }
    }

    public func accounts() async throws(StorageError) -> [Account] {
        let rows: [AccountRow] = try await read { db in try AccountRow.order(Column("person")).fetchAll(db) }
        return try rows.domains()
    }

    public func account(email: String) async throws(StorageError) -> Account? {
        let row: AccountRow? = try await read { db in try AccountRow.filter(Column("email") == email).fetchOne(db) }
        return try row?.domain()
    }

    public func account(person: String) async throws(StorageError) -> Account? {
        let row: AccountRow? = try await read { db in try AccountRow.fetchOne(db, key: person) }
        return try row?.domain()
    }

    public func save(_ link: SignInLink) async throws(StorageError) {
        try await write { db in
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM person WHERE id = ?", arguments: [link.person]) != nil
            else { throw StorageError.unknownPerson(link.person) }
            try db.execute(sql: "DELETE FROM signInLink WHERE person = ?", arguments: [link.person])
            try SignInLinkRow(link).insert(db)
        }
    }

    public func redeemSignInLink(hash: String, at time: LocalDateTime) async throws(StorageError) -> SignInLink? {
        let row: SignInLinkRow? = try await write { db in
            let row = try SignInLinkRow.fetchOne(db, key: hash)
            if row != nil { try db.execute(sql: "DELETE FROM signInLink WHERE hash = ?", arguments: [hash]) }
            return row
        }
        guard let link = try row?.domain(), time < link.expires else { return nil }
        return link
    }

    public func open(_ session: WebSessionRecord, replacing: String?, staleBefore: LocalDateTime, keeping: Int)
        async throws(StorageError)
    {
        try await write { db in
            if let replacing { try db.execute(sql: "DELETE FROM webSession WHERE hash = ?", arguments: [replacing]) }
            try db.execute(sql: "DELETE FROM webSession WHERE lastSeen < ?", arguments: [staleBefore.description])
            try WebSessionRow(session).insert(db)
            try db.execute(
                sql: """
                    DELETE FROM webSession WHERE person = ? AND hash <> ? AND hash NOT IN (
                        SELECT hash FROM webSession WHERE person = ? AND hash <> ?
                        ORDER BY lastSeen DESC, rowid DESC LIMIT ?)
                    """, arguments: [session.person, session.hash, session.person, session.hash, max(0, keeping - 1)])
        }
    }

    public func webSession(hash: String) async throws(StorageError) -> WebSessionRecord? {
        let row: WebSessionRow? = try await read { db in try WebSessionRow.fetchOne(db, key: hash) }
        return try row?.domain()
    }

    public func touchWebSession(hash: String, at time: LocalDateTime) async throws(StorageError) {
        try await write { db in
            try db.execute(
                sql: "UPDATE webSession SET lastSeen = ? WHERE hash = ?", arguments: [time.description, hash])
        }
    }

    public func closeWebSessions(hash: String?, person: String?) async throws(StorageError) {
        try await write { db in
            if let hash { try db.execute(sql: "DELETE FROM webSession WHERE hash = ?", arguments: [hash]) }
            if let person { try db.execute(sql: "DELETE FROM webSession WHERE person = ?", arguments: [person]) }
        }
    }

    public func signInFailures(_ key: String) async throws(StorageError) -> SignInFailures? {
        let row: SignInFailureRow? = try await read { db in try SignInFailureRow.fetchOne(db, key: key) }
        return try row?.domain()
    }

    public func noteSignIn(_ keys: [String], failed: Bool, at time: LocalDateTime) async throws(StorageError) {
        try await write { db in
            for key in keys {
                if failed {
                    try db.execute(
                        sql: """
                            INSERT INTO signInFailure (key, count, last) VALUES (?, 1, ?)
                            ON CONFLICT(key) DO UPDATE SET count = count + 1, last = excluded.last
                            """, arguments: [key, time.description])
                } else {
                    try db.execute(sql: "DELETE FROM signInFailure WHERE key = ?", arguments: [key])
                }
            }
        }
    }

    public func chainHead() async throws(StorageError) -> ChainHead {
        let head: ChainHead? = try await read { db in
            try Row.fetchOne(db, sql: "SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1").map {
                ChainHead(seq: $0["seq"], hash: $0["hash"])
            }
        }
        return head ?? .genesis
    }

    public func events(of kind: AuditEvent.Kind, limit: Int) async throws(StorageError) -> [AuditEvent] {
        let rows: [EventRow] = try await read { db in
            try EventRow.filter(Column("kind") == kind.rawValue).order(Column("seq").desc).limit(limit).fetchAll(db)
        }
        return try rows.domains()
    }

    public func auditVerification(keepingReplayAt keptAt: Int?) async throws(StorageError) -> AuditVerification {
        try await read { db in
            var verifier = AuditVerifier(keepingReplayAt: keptAt)
            verifier.expect(attendanceRows: try AttendanceRow.fetchCount(db))
            // This thread reads the rows and applies them in order; another hashes each entry
            // and reads its payload (the log), or reads the rows' values and looks them up in
            // the replayed log (the table) meanwhile.
            let events = try EventRow.order(Column("seq")).fetchCursor(db)
            try Pipeline.run(
                next: { try Self.batch(of: events) },
                prepare: { rows in Result { () throws(StorageError) in AuditVerifier.checked(try rows.domains()) } },
                apply: { checked in for entry in try checked.get() { verifier.add(entry) } })
            let attendance = try AttendanceRow.fetchCursor(db)
            let matcher = verifier.matcher
            try Pipeline.run(
                next: { try Self.batch(of: attendance) },
                prepare: { rows in Result { () throws(StorageError) in matcher.matched(try rows.domains()) } },
                apply: { matched in for row in try matched.get() { verifier.compare(row) } })
            return verifier.finish(records: try Self.auditRows(db).snapshot().records)
        }
    }

    public func auditReplay(upTo last: Int) async throws(StorageError) -> AuditReplay {
        try await read { db in
            var replayed = ReplayedRecords()
            // This thread reads the log and replays it; another reads the payloads meanwhile.
            let events = try EventRow.filter(Column("seq") <= last).order(Column("seq")).fetchCursor(db)
            try Pipeline.run(
                next: { try Self.batch(of: events) },
                prepare: { rows in Result { () throws(StorageError) in ReplayedRecords.read(try rows.domains()) } },
                apply: { read in
                    for one in try read.get() { replayed.replay(one) }
                })
            return AuditReplay(replayed: replayed, entry: try Self.event(last, db))
        }
    }

    public func auditEvent(seq: Int) async throws(StorageError) -> AuditEvent? {
        try await read { db in try Self.event(seq, db) }
    }

    /// Entry `seq` of the log, read in the caller's transaction.
    private static func event(_ seq: Int, _ db: Database) throws -> AuditEvent? {
        try EventRow.filter(Column("seq") == seq).fetchOne(db)?.domain()
    }

    public func auditSnapshot() async throws(StorageError) -> AuditSnapshot {
        let rows: AuditRows = try await read { db in
            try Self.auditRows(
                db, events: try EventRow.order(Column("seq")).fetchAll(db), attendance: try AttendanceRow.fetchAll(db))
        }
        return try rows.snapshot()
    }

    /// The next rows of `cursor`, up to `size`; `nil` when it has none left.
    private static func batch<C: Cursor>(of cursor: C, size: Int = 4096) throws -> [C.Element]? {
        var rows: [C.Element] = []
        rows.reserveCapacity(size)
        while rows.count < size, let row = try cursor.next() { rows.append(row) }
        return rows.isEmpty ? nil : rows
    }

    /// The tables the event log vouches for, read in the caller's transaction; the log and the
    /// attendance table only when given (`auditVerification` streams them).
    private static func auditRows(_ db: Database, events: [EventRow] = [], attendance: [AttendanceRow] = [])
        throws -> AuditRows
    {
        AuditRows(
            events: events, attendance: attendance,
            sessionChanges: try SessionChangeRow.order(Column("id")).fetchAll(db),
            minutes: try MinutesStateRow.fetchAll(db),
            seats: try SeatRow.order(Column("id")).fetchAll(db),
            people: try PersonRow.order(Column("id")).fetchAll(db),
            contents: try MinutesRecordRow.fetchAll(db),
            versions: try MinutesVersionRow.fetchAll(db))
    }

    /// An UPDATE that must change exactly one row, logged in the same transaction. When it
    /// changes none, the row is missing (`missing`) or already in that state (`already`).
    private func updateOnce(
        _ sql: String, _ arguments: StatementArguments, log: ChangeRecord,
        exists: (sql: String, arguments: StatementArguments), missing: StorageError, already: StorageError
    ) async throws(StorageError) {
        try await write { db in
            try db.execute(sql: sql, arguments: arguments)
            guard db.changesCount == 1 else {
                let found = try Row.fetchOne(db, sql: exists.sql, arguments: exists.arguments) != nil
                throw found ? already : missing
            }
            try ChangeLogRow(log).insert(db)
        }
    }

    /// A read, with driver errors turned into `StorageError`.
    func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws(StorageError) -> T {
        try await Self.translating { try await pool.read(work) }
    }

    /// One write transaction: a `StorageError` thrown by a check inside it passes through (and
    /// rolls the transaction back); driver errors are translated.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws(StorageError)
        -> T
    {
        try await Self.translating { try await pool.write(work) }
    }

    /// `write` with SQLite's foreign-key check off for the transaction: only for a write that
    /// reads and checks every reference it makes itself, in the same transaction (a bulk write
    /// of attendance names only a few dozen offices and series, but SQLite would look both up
    /// again for every row). The check is on again before the connection writes anything else.
    /// When `work` gives `nil`, the transaction is rolled back (and `nil` returned).
    func writeReferencesChecked<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T?)
        async throws(StorageError) -> T?
    {
        try await Self.translating {
            try await pool.writeWithoutTransaction { db in
                // Outside a transaction only: inside one SQLite ignores this pragma.
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                defer {
                    do { try db.execute(sql: "PRAGMA foreign_keys = ON") } catch {
                        preconditionFailure("cannot switch SQLite's foreign-key check on again: \(error)")
                    }
                }
                var result: T?
                try db.inTransaction {
                    result = try work(db)
                    return result == nil ? .rollback : .commit
                }
                return result
            }
        }
    }

    /// Whether the writing connection checks foreign keys (for tests: a bulk write switches the
    /// check off for its transaction only).
    func writerChecksForeignKeys() async throws(StorageError) -> Bool {
        try await write { db in try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false }
    }

    /// Runs `work`: a `StorageError` thrown by a check inside it passes through, driver errors
    /// are translated.
    private static func translating<T>(_ work: () async throws -> T) async throws(StorageError) -> T {
        do {
            return try await work()
        } catch let error as StorageError {
            throw error
        } catch {
            throw translate(error)
        }
    }

    /// The one translation of SQLite's and GRDB's errors.
    static func translate(_ error: any Error) -> StorageError {
        guard let e = error as? DatabaseError else { return .unavailable("store error: \(error)") }
        switch e.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_FORMAT: return .corrupt("the store: \(e.description)")
        case .SQLITE_CONSTRAINT: return .constraint(e.description)
        default: return .unavailable("store error: \(e.description)")
        }
    }

    /// SQLite's own message for a database error (`SQLite error 5: database is locked`).
    static func message(_ error: any Error) -> String {
        if let e = error as? DatabaseError { return e.description }
        return String(describing: error)
    }
}

extension Database {
    /// `constraint` unless the store holds the series.
    func requireSeries(_ body: String, _ series: String) throws {
        let found = try Row.fetchOne(
            self, sql: "SELECT 1 FROM series WHERE bodyId = ? AND id = ?", arguments: [body, series])
        guard found != nil else { throw StorageError.unknownSeries(body, series) }
    }

    /// `constraint` unless the store holds the office.
    func requireOffice(_ id: String) throws {
        guard try Row.fetchOne(self, sql: "SELECT 1 FROM office WHERE id = ?", arguments: [id]) != nil else {
            throw StorageError.unknownOffice(id)
        }
    }
}

extension SessionKey {
    /// The rows of the session's records: its body, series and planned date.
    var rows: SQLExpression {
        Column("bodyId") == body && Column("seriesId") == series && Column("date") == date.description
    }
}

/// The files of a SQLite database that is being written: the file, its journal and WAL.
enum TemporaryStoreFiles {
    static func remove(_ path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

// MARK: - Outbox

extension SQLiteStore {
    /// Writes outbox entries inside the caller's transaction.
    static func insert(_ entries: [OutboxEntry], _ db: Database) throws {
        for e in entries {
            var row = OutboxRow(e)
            row.id = nil
            try row.insert(db)
        }
    }

    public func enqueue(_ entries: [OutboxEntry]) async throws(StorageError) {
        try await write { db in try Self.insert(entries, db) }
    }

    public func outbox(limit: Int) async throws(StorageError) -> [OutboxEntry] {
        let rows: [OutboxRow] = try await read { db in
            try OutboxRow.order(Column("id").desc).limit(limit).fetchAll(db)
        }
        return try rows.domains()
    }

    public func claimOutbox(owner: String, now: LocalDateTime, lease: Int, limit: Int) async throws(StorageError)
        -> [OutboxEntry]
    {
        let until = LocalDateTime(localSeconds: now.localSeconds + Int64(lease)).description
        let stamp = now.description
        let rows: [OutboxRow] = try await write { db in
            let due = try OutboxRow.filter(
                Column("state") == OutboxEntry.State.pending.rawValue && Column("nextAttempt") <= stamp
                    && (Column("claimedUntil") == nil || Column("claimedUntil") < stamp || Column("claimedBy") == owner)
            ).order(Column("id")).limit(limit).fetchAll(db)
            var claimed: [OutboxRow] = []
            for var row in due {
                row.claimedBy = owner
                row.claimedUntil = until
                try row.update(db)
                claimed.append(row)
            }
            return claimed
        }
        return try rows.domains()
    }

    public func finish(_ id: Int, owner: String, _ outcome: OutboxOutcome) async throws(StorageError) {
        try await write { db in
            guard var row = try OutboxRow.fetchOne(db, key: id), row.claimedBy == owner,
                row.state == OutboxEntry.State.pending.rawValue
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
            try row.update(db)
        }
    }
}

// MARK: - Ladung

extension SQLiteStore {
    public func queueLadung(_ record: LadungRecord, entries: [OutboxEntry]) async throws(StorageError) -> Bool {
        try await write { db in
            let key = record.session
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO ladung (bodyId, seriesId, date, due, queued, actor, recipients)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.body, key.series, key.date.description, record.due.description, record.queued.description,
                    record.actor, record.recipients,
                ])
            guard db.changesCount == 1 else { return false }
            try Self.insert(entries, db)
            return true
        }
    }

    public func ladungen(from: CivilDate) async throws(StorageError) -> [LadungRecord] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM ladung WHERE date >= ? ORDER BY date, bodyId", arguments: [from.description]
            ).map { row throws(StorageError) -> LadungRecord in
                guard let date = CivilDate(iso: row["date"]), let due = CivilDate(iso: row["due"]),
                    let queued = LocalDateTime(iso: row["queued"])
                else { throw .unreadable(what: "Ladung", reason: "date or time") }
                return LadungRecord(
                    session: SessionKey(body: row["bodyId"], series: row["seriesId"], date: date), due: due,
                    queued: queued, actor: row["actor"], recipients: row["recipients"])
            }
        }
    }
}

// MARK: - Replies

extension SQLiteStore {
    public func save(_ links: [ReplyLink]) async throws(StorageError) {
        try await write { db in
            for l in links {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO replyLink (hash, bodyId, seriesId, date, person, answer, expires)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        l.hash, l.session.body, l.session.series, l.session.date.description, l.person,
                        l.answer.rawValue, l.expires.description,
                    ])
            }
        }
    }

    public func replyLink(hash: String) async throws(StorageError) -> ReplyLink? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM replyLink WHERE hash = ?", arguments: [hash]).map(Self.link)
        }
    }

    static func link(_ row: Row) throws(StorageError) -> ReplyLink {
        let date: String = row["date"]
        let answer: String = row["answer"]
        let expires: String = row["expires"]
        guard let day = CivilDate(iso: date), let a = Reply.Answer(rawValue: answer),
            let until = LocalDateTime(iso: expires)
        else { throw .unreadable(what: "answer link", reason: "date, answer or time") }
        return ReplyLink(
            hash: row["hash"], session: SessionKey(body: row["bodyId"], series: row["seriesId"], date: day),
            person: row["person"], answer: a, expires: until)
    }

    public func answer(linkHash: String, at time: LocalDateTime) async throws(StorageError) -> Reply {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM replyLink WHERE hash = ?", arguments: [linkHash])
            else { throw StorageError.notFound("no such answer link") }
            let link = try Self.link(row)
            let key = link.session
            if let stored = try Row.fetchOne(
                db, sql: "SELECT * FROM reply WHERE bodyId = ? AND seriesId = ? AND date = ? AND person = ?",
                arguments: [key.body, key.series, key.date.description, link.person]),
                (stored["answer"] as String) == link.answer.rawValue
            {
                return Reply(
                    session: key, person: link.person, answer: link.answer,
                    time: LocalDateTime(iso: stored["time"]) ?? time, via: stored["via"])
            }
            let reply = Reply(session: key, person: link.person, answer: link.answer, time: time, via: "link")
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO reply (bodyId, seriesId, date, person, answer, time, via)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.body, key.series, key.date.description, link.person, link.answer.rawValue,
                    time.description, "link",
                ])
            var events = try EventLog(db)
            try events.append(reply.auditDraft())
            return reply
        }
    }

    public func replies(of session: SessionKey) async throws(StorageError) -> [Reply] {
        try await read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM reply WHERE bodyId = ? AND seriesId = ? AND date = ? ORDER BY person",
                arguments: [session.body, session.series, session.date.description])
            var result: [Reply] = []
            for row in rows {
                let answer: String = row["answer"]
                let time: String = row["time"]
                guard let a = Reply.Answer(rawValue: answer), let t = LocalDateTime(iso: time) else {
                    throw StorageError.unreadable(what: "answer of \(session)", reason: "answer or time")
                }
                result.append(
                    Reply(
                        session: session, person: row["person"], answer: a, time: t, via: row["via"],
                        comment: row["comment"]))
            }
            return result
        }
    }

    public func record(_ replies: [Reply]) async throws(StorageError) -> [Reply] {
        try await write { db in
            var events = try EventLog(db)
            var recorded: [Reply] = []
            for reply in replies {
                let key = reply.session
                let stored = try Row.fetchOne(
                    db, sql: "SELECT * FROM reply WHERE bodyId = ? AND seriesId = ? AND date = ? AND person = ?",
                    arguments: [key.body, key.series, key.date.description, reply.person]
                ).flatMap { row -> Reply? in
                    guard let a = Reply.Answer(rawValue: row["answer"]), let t = LocalDateTime(iso: row["time"]) else {
                        return nil
                    }
                    return Reply(
                        session: key, person: reply.person, answer: a, time: t, via: row["via"], comment: row["comment"]
                    )
                }
                guard reply.replaces(stored) else { continue }
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO reply (bodyId, seriesId, date, person, answer, time, via, comment)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        key.body, key.series, key.date.description, reply.person, reply.answer.rawValue,
                        reply.time.description, reply.via, reply.comment,
                    ])
                try events.append(reply.auditDraft())
                recorded.append(reply)
            }
            return recorded
        }
    }

    public func log(_ refused: RefusedReply) async throws(StorageError) {
        try await write { db in
            var events = try EventLog(db)
            try events.append(refused.auditDraft())
        }
    }
}
