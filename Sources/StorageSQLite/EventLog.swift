import Coordination
import GRDB
import Storage

/// Appends to the `event` table inside a write transaction, continuing the chain from the
/// last stored entry.
struct EventLog {
    private(set) var chain: EventChain
    private let rows: BulkInsert<AuditEvent>

    init(_ db: Database) throws {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1")
        if let last, let seq: Int = last["seq"], let hash: String = last["hash"] {
            chain = EventChain(head: ChainHead(seq: seq, hash: hash))
        } else {
            chain = EventChain()
        }
        // Bound straight through SQLite, many entries at once: an import appends an entry for
        // each of many thousand rows. A batch's entries share one time, written once.
        let times = TimeTexts()
        rows = try BulkInsert(
            db, "INSERT INTO event (seq, time, actor, kind, subject, payload, previous, hash)", columns: 8
        ) { v, e in
            v.integer(e.seq)
            v.text(times.text(of: e.time))
            v.text(e.actor)
            v.text(e.kind.rawValue)
            v.text(e.subject)
            v.text(e.payload)
            v.text(e.previous)
            v.text(e.hash)
        }
    }

    /// The text of the last time written.
    private final class TimeTexts {
        private var last: (time: LocalDateTime, text: String)?
        func text(of time: LocalDateTime) -> String {
            if let last, last.time == time { return last.text }
            let text = time.description
            last = (time, text)
            return text
        }
    }

    mutating func append(_ draft: AuditEvent.Draft) throws {
        try rows.insert(CollectionOfOne(chain.append(draft)))
    }

    /// Writes entries chained already (from the head as it stands, one after the other) and
    /// makes the last the head.
    mutating func insert(contentsOf events: [AuditEvent]) throws {
        for e in events {
            precondition(e.seq == chain.head.seq + 1 && e.previous == chain.head.hash, "an entry off the chain")
            chain = EventChain(head: ChainHead(seq: e.seq, hash: e.hash))
        }
        try rows.insert(events)
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
