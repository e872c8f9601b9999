import Foundation
import GremienTestSupport
import Testing

/// Hardening (issue 12): the store outside Gremien's own writes — a copy for the auditors, a
/// file only readable, a store of a newer version, entries deleted behind Gremien's back.
@Suite struct StoreHardeningTests {
    /// Runs the built `gremien` as a user who may not write `folder` (as `nobody` when the tests
    /// run as root, whom file modes do not stop).
    static func gremienWithoutWriteAccess(_ arguments: [String], in folder: URL) throws -> CommandLineTests.Run {
        if getuid() == 0 {
            return try CommandLineTests.program(
                "runuser", ["-u", "nobody", "--", CommandLineTests.executable.path] + arguments, in: folder)
        }
        return try CommandLineTests.gremien(arguments, in: folder)
    }

    /// A read-only store could not be read by any command (each opened it to write).
    @Test func aReadOnlyStoreIsReadByEveryReadingCommand() async throws {
        let w = try SessionCommandTests.Workspace()
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: w.folder.path + "/ro")
            w.remove()
        }
        let folder = w.folder.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(await w.run(["store", "backup", "--to", folder.path + "/copy.sqlite"]).status == 0)
        // The copy in WAL mode, as a live store is: SQLite then wants a file beside it.
        #expect(
            try CommandLineTests.program("sqlite3", [folder.path + "/copy.sqlite", "PRAGMA journal_mode=WAL"]).out
                == "wal\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: folder.path + "/copy.sqlite")
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        let verify = try Self.gremienWithoutWriteAccess(
            ["audit", "verify", "--store", "sqlite:copy.sqlite"], in: folder)
        #expect(verify.status == 0 && verify.out.contains("chain intact"), "\(verify.err)")
        let sessions = try Self.gremienWithoutWriteAccess(
            ["sessions", "--store", "sqlite:copy.sqlite", "--from", "2026-09-01", "--to", "2026-09-30"], in: folder)
        #expect(sessions.status == 0 && sessions.out.contains("beirat"), "\(sessions.err)")
        let write = try Self.gremienWithoutWriteAccess(
            [
                "attendance", "record", "beirat", "2026-09-01", "--office", "jc", "--status", "present", "--store",
                "sqlite:copy.sqlite",
            ], in: folder)
        #expect(write.status == 1)
        #expect(
            write.err
                == "Error: the store copy.sqlite may only be read here (the file or its folder is not writable); this command writes to it\n"
        )
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["copy.sqlite"])
    }

    /// A store migrated by a newer version was written without warning.
    @Test func aStoreOfANewerVersionIsRefused() async throws {
        let w = try SessionCommandTests.Workspace()
        defer { w.remove() }
        let path = String(w.store.dropFirst("sqlite:".count))
        _ = try CommandLineTests.program(
            "sqlite3", [path, "INSERT INTO grdb_migrations VALUES ('v9 meetings of the future')"])
        let expected =
            "Error: the store \(path) was written by a newer version of Gremien (schema step 'v9 meetings of the future' "
            + "is unknown to this one); use that version, or a backup made before it\n"
        let read = await w.run(["sessions", "--from", "2026-09-01", "--to", "2026-09-30"])
        #expect(read.status == 1 && read.err == expected)
        let write = await w.run([
            "attendance", "record", "beirat", "2026-09-01", "--office", "jc", "--status", "present",
        ])
        #expect(write.status == 1 && write.err == expected)
    }

    /// An empty file where a store should be was read as an empty store ("chain intact").
    @Test func anEmptyFileIsNoStore() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gremien-leer-\(UUID().uuidString).sqlite"
        ).path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = await CommandLineTests.inProcess(["audit", "verify", "--store", "sqlite:" + path])
        #expect(run.status == 1)
        #expect(
            run.err == "Error: the store \(path) is empty: it holds no definitions yet; run: gremien sync --apply\n")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int == 0)
    }

    /// A plain `cp` of a live store copied an older state; nothing said how to take a copy.
    @Test func backupCopiesALiveStoreIntoOneFile() async throws {
        let w = try await AttendanceCommandTests.workspace()
        defer { w.remove() }
        #expect(
            await w.run(["attendance", "record", "beirat", "2026-09-01", "--office", "jc", "--status", "present"])
                .status == 0)
        let copy = w.folder.appendingPathComponent("copy.sqlite").path
        let made = await w.run(["store", "backup", "--to", copy])
        #expect(made.status == 0 && made.out == "copied \(w.store) to \(copy)\n")
        #expect(!FileManager.default.fileExists(atPath: copy + "-wal"))
        let shown = await CommandLineTests.inProcess([
            "attendance", "show", "beirat", "2026-09-01", "--store", "sqlite:" + copy,
        ])
        #expect(shown.out.contains("jc      Vorsitz   present"))
        let again = await w.run(["store", "backup", "--to", copy])
        #expect(again.status == 1 && again.err == "Error: \(copy) exists already; name a new file for the copy\n")
    }

    /// Deleting the newest log entries with their records left a chain that verifies.
    @Test func anAnchorNoticesDeletedNewestEntries() async throws {
        let w = try await AttendanceCommandTests.workspace()
        defer { w.remove() }
        let key = w.folder.appendingPathComponent("pruefung.key").path
        let anchor = w.folder.appendingPathComponent("anker.txt").path
        #expect(await CommandLineTests.inProcess(["audit", "keygen", "--to", key]).status == 0)
        let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(
            await w.run(["attendance", "record", "beirat", "2026-09-01", "--office", "jc", "--status", "present"])
                .status == 0)
        let written = await w.run(["audit", "anchor", "--key", key, "--to", anchor])
        #expect(written.status == 0, "\(written.err)")
        let text = try String(contentsOfFile: anchor, encoding: .utf8)
        let head = try #require(text.split(separator: "\n").first { $0.hasPrefix("head: ") }?.dropFirst(6))
        let seq = try #require(Int(head.split(separator: ":")[0]))

        let holds = await w.run(["audit", "verify", "--anchor", anchor, "--auditor-key", key + ".pub"])
        #expect(holds.status == 0 && holds.out.contains("anchor \(anchor): the log holds entry \(seq) as anchored"))

        // The newest entry and its record deleted behind Gremien's back: the chain alone still verifies.
        let path = String(w.store.dropFirst("sqlite:".count))
        _ = try CommandLineTests.program(
            "sqlite3",
            [
                path,
                "DELETE FROM event WHERE seq = \(seq); DELETE FROM attendance; DELETE FROM changeLog WHERE subject LIKE 'attendance%'",
            ])
        let alone = await w.run(["audit", "verify"])
        #expect(alone.status == 0 && alone.out.contains("chain intact"), "\(alone.err)")
        let against = await w.run(["audit", "verify", "--anchor", anchor])
        #expect(against.status == 1)
        #expect(
            against.err.contains(
                "anchor \(anchor): does NOT hold: the event log ends at entry \(seq - 1); the anchor of "))
        #expect(against.err.hasSuffix("holds entry \(seq): entries were removed after the anchor was written\n"))

        // An edited anchor, and one signed with another key, are refused.
        try text.replacingOccurrences(of: "head: \(seq):", with: "head: \(seq - 1):").write(
            toFile: anchor, atomically: true, encoding: .utf8)
        let edited = await w.run(["audit", "verify", "--anchor", anchor])
        #expect(edited.err == "Error: \(anchor): the signature does not match its content; the anchor was altered\n")
        let other = w.folder.appendingPathComponent("other.key").path
        _ = await CommandLineTests.inProcess(["audit", "keygen", "--to", other])
        try text.write(toFile: anchor, atomically: true, encoding: .utf8)
        let foreign = await w.run(["audit", "verify", "--anchor", anchor, "--auditor-key", other + ".pub"])
        #expect(foreign.err == "Error: \(anchor) was signed with another key than the auditors' public key given\n")
    }
}
