import GRDB
import Testing

@testable import StorageSQLite

/// The statement an import runs for each row, its values bound through SQLite's C API: the
/// same values stored as GRDB stores them, and SQLite's refusals as GRDB reports them.
@Suite struct BulkStatementTests {
    static func queue() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE parent (id TEXT PRIMARY KEY);
                    INSERT INTO parent VALUES ('a');
                    CREATE TABLE t (n INTEGER, s TEXT NOT NULL, o TEXT, p TEXT REFERENCES parent(id));
                    """)
        }
        return queue
    }

    /// Text (empty, non-ASCII, with quotes), NULL and integers arrive as `execute(arguments:)`
    /// stores them: same values, same storage classes.
    @Test func valuesAreStoredAsGRDBStoresThem() throws {
        let queue = try Self.queue()
        let rows: [(Int, String, String?, String?)] = [
            (1, "", nil, "a"), (-7, "Sitzung „Beirat“ – 3. Mai", "", nil), (Int(Int32.max) + 5, "a'b\"c;", "x", "a"),
        ]
        try queue.write { db in
            let bulk = try BulkStatement(db, sql: "INSERT INTO t (n, s, o, p) VALUES (?, ?, ?, ?)")
            for (n, s, o, p) in rows {
                try bulk.execute { v in
                    v.integer(n)
                    v.text(s)
                    v.text(o)
                    v.text(p)
                }
                try db.execute(sql: "INSERT INTO t (n, s, o, p) VALUES (?, ?, ?, ?)", arguments: [n + 1000, s, o, p])
            }
        }
        let stored = try queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT n, typeof(n), s, typeof(s), o, typeof(o), p, typeof(p) FROM t ORDER BY rowid")
        }
        #expect(stored.count == 6)
        for pair in stride(from: 0, to: stored.count, by: 2) {
            let (bulk, grdb) = (stored[pair], stored[pair + 1])
            #expect((bulk["n"] as Int) + 1000 == grdb["n"] as Int)
            for column in ["typeof(n)", "s", "typeof(s)", "typeof(o)", "typeof(p)"] {
                #expect(bulk[column] as DatabaseValue == grdb[column] as DatabaseValue, "\(column) of row \(pair / 2)")
            }
            #expect(bulk["o"] as String? == grdb["o"] as String?)
        }
        #expect(stored[0]["typeof(s)"] as String == "text", "an empty text is '', not NULL")
        #expect(stored[0]["typeof(o)"] as String == "null")
    }

    /// A refused row throws GRDB's error with SQLite's message and the SQL; the statement is
    /// ready for the next row, and the transaction keeps what was written before.
    @Test func aRefusedRowThrowsAndTheStatementGoesOn() throws {
        let queue = try Self.queue()
        let sql = "INSERT INTO t (n, s, o, p) VALUES (?, ?, ?, ?)"
        try queue.write { db in
            let bulk = try BulkStatement(db, sql: sql)
            let refusal = #expect(throws: DatabaseError.self) {
                try bulk.execute { v in
                    v.integer(1)
                    v.text("x")
                    v.text(nil)
                    v.text("unbekannt")
                }
            }
            #expect(refusal?.resultCode == .SQLITE_CONSTRAINT)
            #expect(
                refusal?.message?.contains("FOREIGN KEY constraint failed") == true, "\(String(describing: refusal))")
            #expect(refusal?.sql == sql)
            let notNull = #expect(throws: DatabaseError.self) {
                try bulk.execute { v in
                    v.integer(2)
                    v.text(nil)
                    v.text(nil)
                    v.text(nil)
                }
            }
            #expect(notNull?.message?.contains("NOT NULL constraint failed: t.s") == true)
            try bulk.execute { v in
                v.integer(3)
                v.text("y")
                v.text(nil)
                v.text("a")
            }
        }
        #expect(try queue.read { db in try Int.fetchAll(db, sql: "SELECT n FROM t") } == [3])
    }

    /// SQL SQLite cannot prepare is refused when the statement is made, naming the SQL.
    @Test func badSQLIsRefusedWhenPrepared() throws {
        let queue = try Self.queue()
        try queue.write { db in
            let error = #expect(throws: DatabaseError.self) {
                _ = try BulkStatement(db, sql: "INSERT INTO nirgends (a) VALUES (?)")
            }
            #expect(error?.message?.contains("no such table: nirgends") == true)
            #expect(error?.sql == "INSERT INTO nirgends (a) VALUES (?)")
        }
    }
    /// Many rows per statement store what one statement per row stores, in the same order: whole
    /// groups and the rest, a later row replacing an earlier one of the same key within a group,
    /// and a refused group leaving the rows before it.
    @Test func groupsOfRowsAreStoredAsRowByRow() throws {
        let queue = try DatabaseQueue()
        let rows = (0..<200).map { i in (key: i % 150, text: i % 7 == 0 ? nil : "Zeile \(i) – ä") }
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE grouped (id INTEGER PRIMARY KEY, k INTEGER UNIQUE, s TEXT);
                    CREATE TABLE single (id INTEGER PRIMARY KEY, k INTEGER UNIQUE, s TEXT);
                    """)
            let grouped = try BulkInsert<(key: Int, text: String?)>(
                db, "INSERT OR REPLACE INTO grouped (k, s)", columns: 2, rows: 64
            ) { v, row in
                v.integer(row.key)
                v.text(row.text)
            }
            try grouped.insert(rows)
            for row in rows {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO single (k, s) VALUES (?, ?)", arguments: [row.key, row.text])
            }
        }
        let (grouped, single) = try queue.read { db in
            (
                try Row.fetchAll(db, sql: "SELECT id, k, s, typeof(s) FROM grouped ORDER BY id"),
                try Row.fetchAll(db, sql: "SELECT id, k, s, typeof(s) FROM single ORDER BY id")
            )
        }
        #expect(grouped.count == 150)
        #expect(grouped == single)
        #expect(grouped.last?["s"] as String? == "Zeile 199 – ä")

        let refused = try Self.queue()
        try refused.write { db in
            let bulk = try BulkInsert<Int>(db, "INSERT INTO t (n, s, o, p)", columns: 4, rows: 4) { v, n in
                v.integer(n)
                v.text("x")
                v.text(nil)
                v.text(n == 6 ? "unbekannt" : "a")
            }
            try bulk.insert([1, 2, 3, 4])
            let refusal = #expect(throws: DatabaseError.self) { try bulk.insert([5, 6, 7, 8]) }
            #expect(refusal?.resultCode == .SQLITE_CONSTRAINT)
            #expect(refusal?.sql == "INSERT INTO t (n, s, o, p) VALUES (?, ?, ?, ?) (4 rows at once)")
            try bulk.insert([9, 10, 11, 12, 13])
        }
        #expect(
            try refused.read { db in try Int.fetchAll(db, sql: "SELECT n FROM t ORDER BY n") } == [
                1, 2, 3, 4, 9, 10, 11, 12, 13,
            ])
    }
}
