import Coordination
import GRDB
import Storage

/// Writes attendance inside one transaction of `SQLiteStore`: what the rows may name (offices,
/// series, sessions whose minutes are not approved) read once at the start, and prepared
/// statements reused for every row (a signed list of a year has many thousands).
struct AttendanceWriter {
    private let db: Database
    private let offices: Set<String>
    private let series: Set<String>
    private let approved: Set<String>
    private let upsert: BulkInsert<AttendanceRow>
    private let log: BulkInsert<ChangeRecord>
    private let time: LocalDateTime
    private let actor: String
    private(set) var events: EventLog

    init(_ db: Database, at time: LocalDateTime, actor: String) throws {
        self.db = db
        offices = try String.fetchSet(db, sql: "SELECT id FROM office")
        series = try Set(
            Row.fetchAll(db, sql: "SELECT bodyId, id FROM series").map { "\($0[0] as String)/\($0[1] as String)" })
        // The approved minutes, read once: an import names thousands of sessions.
        approved = try Set(
            Row.fetchAll(
                db, sql: "SELECT bodyId, seriesId, date FROM minutesState WHERE status = ?",
                arguments: [MinutesState.Status.approved.rawValue]
            ).map { "\($0[0] as String)/\($0[1] as String)/\($0[2] as String)" })
        // Bound straight through SQLite, many rows at once (`BulkInsert`): an import writes these
        // for each of many thousand rows.
        upsert = try BulkInsert(
            db,
            "INSERT OR REPLACE INTO attendance (bodyId, seriesId, date, office, person, status, deputy, arrival, departure)",
            columns: 9
        ) { v, r in
            v.text(r.bodyId)
            v.text(r.seriesId)
            v.text(r.date)
            v.text(r.office)
            v.text(r.person)
            v.text(r.status)
            v.text(r.deputy)
            v.text(r.arrival)
            v.text(r.departure)
        }
        let stamp = time.description
        log = try BulkInsert(db, "INSERT INTO changeLog (time, actor, subject, action, detail)", columns: 5) {
            v, line in
            v.text(stamp)
            v.text(actor)
            v.text(line.subject)
            v.text(line.action)
            v.text(line.detail)
        }
        events = try EventLog(db)
        self.time = time
        self.actor = actor
    }

    /// Why the store refuses to write `entries`: an unknown series or office (`constraint`),
    /// or a session whose minutes are approved (`conflict`).
    func refusal(_ entries: [AttendanceEntry]) -> StorageError? {
        if let refusal = AttendanceEntry.unknown(in: entries, offices: offices, series: series) { return refusal }
        return AttendanceEntry.locked(in: entries, approved: approved).map(StorageError.minutesLocked)
    }

    /// Takes out the stored entry of `entry`'s session, office and person, if there is one, and
    /// logs it with `reason`.
    mutating func remove(_ entry: AttendanceEntry, reason: String) throws {
        let key = AttendanceRow(entry)
        let row = try AttendanceRow.filter(
            entry.session.rows && Column("office") == key.office && Column("person") == key.person
        ).fetchOne(db)
        guard let stored = try row?.domain() else { return }
        try db.execute(
            sql: "DELETE FROM attendance WHERE bodyId = ? AND seriesId = ? AND date = ? AND office = ? AND person = ?",
            arguments: [key.bodyId, key.seriesId, key.date, key.office, key.person])
        try logged(stored.removalRecord(reason: reason, at: time, actor: actor))
        try events.append(stored.removalDraft(at: time, actor: actor, reason: reason))
    }

    /// Writes the batches' entries, each batch refused or written as it comes, while the next is
    /// made on another thread (the entries' hashes along the event log's chain too).
    /// - Returns: whether every batch was written (`false`: a batch had a problem).
    mutating func write(_ batches: AttendanceBatches, reason: String?) throws -> Bool {
        var events = self.events
        defer { self.events = events }
        return try AttendanceTexts.pipelined(batches, reason: reason, at: time, actor: actor, chain: events.chain) {
            entries, texts in
            if let refusal = refusal(entries) { throw refusal }
            // Table by table: the rows of one table do not depend on another's.
            try upsert.insert(texts.lazy.map(\.row))
            try log.insert(texts.lazy.map(\.line))
            let chained = texts.compactMap(\.event)
            if chained.count == texts.count {
                try events.insert(contentsOf: chained)
            } else {
                for t in texts { try events.append(t.draft) }
            }
        }
    }

    private func logged(_ line: ChangeRecord) throws {
        try log.insert(CollectionOfOne(line))
    }
}
