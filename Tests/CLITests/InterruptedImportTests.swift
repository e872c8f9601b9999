import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// An attendance import killed part way leaves the SQLite file consistent and unchanged: checked
/// with the `sqlite3` command-line tool, not with our own code.
struct InterruptedImportTests {
    /// A synced store with 500 members of staff of jc (inserted with sqlite3) and a CSV with one
    /// row per person and held session of `runde` from January to October 2026 (attendance is
    /// recorded only for sessions that have begun): 34 sessions × 500 = 17,000 rows.
    static func prepare() async throws -> (SessionCommandTests.Workspace, csv: URL, rows: Int) {
        let w = try SessionCommandTests.Workspace()
        let db = w.database
        #expect(
            try sqlite(
                db,
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
                    + "INSERT INTO person (id, name, office, level) SELECT 'person-' || i, 'Person ' || i, 'jc', 'staff' FROM n; "
                    + "SELECT count(*) FROM person;"
            )
                == "500\n")
        let out = await w.run([
            "sessions", "--body", "runde", "--from", "2026-01-01", "--to", "2026-11-01", "--format", "json",
        ]).out
        let sessions = try #require(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]])
        let dates = sessions.filter { $0["status"] as? String != "cancelled" }.compactMap {
            ($0["recurrenceId"] as? String).map { String($0.prefix(10)) }
        }
        var text = "body,date,office,person,status,by,arrival,departure\n"
        for date in dates {
            for i in 1...500 { text += "runde,\(date),jc,Person \(i),present,,,\n" }
        }
        let csv = w.folder.appendingPathComponent("liste.csv")
        try Data(text.utf8).write(to: csv)
        return (w, csv, dates.count * 500)
    }

    static func sqlite(_ db: String, _ sql: String) throws -> String {
        try CommandLineTests.program("sqlite3", [db, sql]).out
    }

    /// The lines are checked batch by batch (4,096 lines) while the batches before are written:
    /// problems in the third and the last batch are both named, and nothing of the two batches
    /// written before the first problem is kept.
    @Test func problemsInLaterBatchesAreAllNamedAndNothingIsKept() async throws {
        let (w, csv, rows) = try await Self.prepare()
        defer { w.remove() }
        #expect(rows > 3 * 4096)
        var lines = try String(contentsOf: csv, encoding: .utf8).components(separatedBy: "\n")
        // Line numbers of the file (line 1 names the columns).
        for (line, bad) in [(9_001, "anwesend"), (rows + 1, "da")] {
            lines[line - 1] = lines[line - 1].replacingOccurrences(of: ",present,", with: ",\(bad),")
        }
        try Data(lines.joined(separator: "\n").utf8).write(to: csv)
        let db = w.database
        let before = try Self.sqlite(db, "SELECT count(*) FROM changeLog; SELECT count(*) FROM event;")
        let result = try CommandLineTests.gremien(["attendance", "import", csv.path, "--store", w.store])
        #expect(result.status != 0)
        let named = result.err.split(separator: "\n").filter { $0.contains("is not allowed") }
        #expect(
            named.map { $0.prefix { $0 != " " } } == [
                "\(csv.path):9001:", "\(csv.path):\(rows + 1):",
            ],
            "\(result.err)")
        #expect(result.err.contains("2 of \(rows) row(s) are not valid; nothing was imported"), "\(result.err)")
        #expect(try Self.sqlite(db, "SELECT count(*) FROM attendance;") == "0\n")
        #expect(try Self.sqlite(db, "SELECT count(*) FROM changeLog; SELECT count(*) FROM event;") == before)
        #expect(try Self.sqlite(db, "PRAGMA integrity_check;") == "ok\n")
    }

    /// Whether another process holds the store's write lock: the `sqlite3` tool (which does not
    /// wait for a lock) is refused `BEGIN IMMEDIATE` ("database is locked", SQLITE_BUSY) while a
    /// write transaction is open (or the last connection checkpoints as it closes), and given
    /// it otherwise.
    static func writeLocked(_ db: String) throws -> Bool {
        let probe = try CommandLineTests.program("sqlite3", [db, "BEGIN IMMEDIATE; ROLLBACK;"])
        if probe.status == 0 { return false }
        if probe.err.contains("database is locked") { return true }
        throw CocoaError(.fileReadUnknown, userInfo: ["sqlite3": "exit \(probe.status): \(probe.err)"])
    }

    /// Starts `gremien attendance import` (its standard output into `output`) and waits until
    /// its write transaction is open; nil if the process ended before the lock was seen.
    static func importHoldingTheLock(
        _ csv: URL, _ w: SessionCommandTests.Workspace, output: Pipe? = nil
    ) throws -> Process? {
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = ["attendance", "import", csv.path, "--store", w.store]
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        while process.isRunning {
            if try writeLocked(w.database) { return process }
        }
        return nil
    }

    @Test func killedImportLeavesTheStoreUnchanged() async throws {
        // A complete import first, as a process like the ones killed below, to know how long it
        // holds the write lock here (the time before, starting and reading the file, varies
        // with the machine's load and is not what the kills below are about).
        let (full, fullCSV, rows) = try await Self.prepare()
        defer { full.remove() }
        let fullDB = full.database
        let output = Pipe()
        let first = try #require(
            try Self.importHoldingTheLock(fullCSV, full, output: output), "the write lock was never seen")
        let locked = Date()
        while try Self.writeLocked(fullDB) {}
        let holding = Date().timeIntervalSince(locked)
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(printed == "imported \(rows) row(s) from \(fullCSV.path)\n")
        #expect(try Self.sqlite(fullDB, "SELECT count(*) FROM attendance;") == "\(rows)\n")

        // Killed at several points of its transaction: before the commit the store must be
        // exactly as it was; a kill that lands after the commit (the process was about to exit)
        // finds the whole import. Never a part of it, and always a sound file.
        var unchanged = 0
        var whole = 0
        for fraction in [0.0, 0.1, 0.3, 0.6, 0.9] {
            let (w, csv, _) = try await Self.prepare()
            defer { w.remove() }
            let db = w.database
            let before = try Self.sqlite(db, "SELECT count(*) FROM changeLog;")
            guard let process = try Self.importHoldingTheLock(csv, w) else { continue }  // it finished first
            try await Task.sleep(for: .seconds(holding * fraction))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            guard process.terminationReason == .uncaughtSignal else { continue }  // it finished first
            #expect(try Self.sqlite(db, "PRAGMA integrity_check;") == "ok\n", "killed at \(fraction)")
            let count = try Self.sqlite(db, "SELECT count(*) FROM attendance;")
            #expect(count == "0\n" || count == "\(rows)\n", "killed at \(fraction): \(count) rows")
            if count == "0\n" {
                #expect(try Self.sqlite(db, "SELECT count(*) FROM changeLog;") == before, "killed at \(fraction)")
                unchanged += 1
            } else {
                whole += 1
            }
        }
        print(
            "interrupted import: \(rows) rows, the write lock held \(Int(holding * 1000)) ms; "
                + "killed before the commit \(unchanged), after it \(whole) of 5")
        #expect(
            unchanged >= 2,
            "killed before its commit in \(unchanged) of 5 attempts (unkilled: the lock held \(holding) s)")
    }
}
