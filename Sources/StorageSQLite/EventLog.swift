import Coordination
import GRDB
import Storage

/// Appends to the `event` table inside a write transaction, continuing the chain from the
/// last stored entry.
struct EventLog {
    private(set) var chain: EventChain
    private let insert: BulkStatement

    init(_ db: Database) throws {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1")
        if let last, let seq: Int = last["seq"], let hash: String = last["hash"] {
            chain = EventChain(head: ChainHead(seq: seq, hash: hash))
        } else {
            chain = EventChain()
        }
        // Bound straight through SQLite: an import appends an entry for each of many thousand rows.
        insert = try BulkStatement(
            db,
            sql:
                "INSERT INTO event (seq, time, actor, kind, subject, payload, previous, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        )
    }

    /// The text of the last entry's time: a batch's entries share one.
    private var time: (value: LocalDateTime, text: String)?

    mutating func append(_ draft: AuditEvent.Draft) throws {
        try write(chain.append(draft))
    }

    /// Writes an entry chained already (from the head as it stands) and makes it the head.
    mutating func insert(_ e: AuditEvent) throws {
        precondition(e.seq == chain.head.seq + 1 && e.previous == chain.head.hash, "an entry off the chain")
        chain = EventChain(head: ChainHead(seq: e.seq, hash: e.hash))
        try write(e)
    }

    private mutating func write(_ e: AuditEvent) throws {
        let text = time.flatMap { $0.value == e.time ? $0.text : nil } ?? e.time.description
        time = (e.time, text)
        try insert.execute { v in
            v.integer(e.seq)
            v.text(text)
            v.text(e.actor)
            v.text(e.kind.rawValue)
            v.text(e.subject)
            v.text(e.payload)
            v.text(e.previous)
            v.text(e.hash)
        }
    }

    /// Migration v2: a store made before the event log gets one entry for each session change,
    /// attendance row and minutes state it holds, so that what is there from now on verifies.
    /// Their time is the latest of the change log; their actor `migration v2`.
    static func backfill(_ db: Database) throws {
        let time =
            try String.fetchOne(db, sql: "SELECT MAX(time) FROM changeLog").flatMap(LocalDateTime.init(iso:))
            ?? LocalDateTime(localSeconds: 0)
        var log = try EventLog(db)
        for r in try SessionChangeRow.order(Column("id")).fetchAll(db) {
            try log.append(try r.domain().auditDraft)
        }
        for r in try AttendanceRow.order(
            Column("bodyId"), Column("seriesId"), Column("date"), Column("office"), Column("person")
        ).fetchAll(db) {
            try log.append(try r.domain().auditDraft(at: time, actor: "migration v2"))
        }
        for r in try MinutesStateRow.order(Column("bodyId"), Column("seriesId"), Column("date")).fetchAll(db) {
            try log.append(try r.domain().auditDraft)
        }
    }
}
