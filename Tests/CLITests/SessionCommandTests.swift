import Foundation
import Testing

/// `gremien session cancel|move|add` on a synced store, and `sessions`/`generate` reading it.
struct SessionCommandTests {
    /// A synced store of the small fixture district in a fresh folder; `run` runs `gremien` there.
    struct Workspace {
        let folder: URL
        /// The SQLite file of the store.
        var database: String { folder.appendingPathComponent("gremien.sqlite").path }
        var store: String { "sqlite:" + database }

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "gremien-session-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let sync = try CommandLineTests.gremien([
                "sync", "--apply", "--calendars", CalendarCommandTests.small, "--store", store,
            ])
            #expect(sync.status == 0)
        }

        /// Runs a command on this workspace's store, in process.
        func run(_ arguments: [String]) async -> CommandLineTests.Run {
            await CommandLineTests.inProcess(arguments + ["--store", store])
        }

        func json(from: String, to: String) async throws -> [[String: Any]] {
            let out = await run(["sessions", "--from", from, "--to", to, "--format", "json"]).out
            return try #require(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]])
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    @Test func cancelMoveAddAndTheFeedsShowIt() async throws {
        let w = try Workspace()
        defer { w.remove() }
        let before = await w.run(["generate", "--out", w.folder.appendingPathComponent("before").path])
        #expect(before.status == 0)
        let cancel = await w.run(["session", "cancel", "runde", "2026-03-23", "--reason", "Klausurtagung"])
        #expect(cancel.out == "cancelled runde of 2026-03-23 (Klausurtagung); run gremien generate to publish it\n")
        // March lies in the past: the move is refused with a warning until --force.
        let moveArguments = [
            "session", "move", "runde", "2026-03-30", "--to", "2026-03-31T15:00", "--location", "Raum 7",
        ]
        let warned = await w.run(moveArguments)
        #expect(warned.status == 1)
        #expect(warned.err.hasPrefix("Error: warning: 2026-03-31 lies in the past (today is 20"))
        #expect(warned.err.hasSuffix("\nnothing was changed; repeat with --force to go ahead\n"))
        let move = await w.run(moveArguments + ["--force"])
        #expect(move.out == "moved runde of 2026-03-30 to 2026-03-31T15:00; run gremien generate to publish it\n")
        let add = await w.run([
            "session", "add", "runde", "2026-04-01T08:30", "--kind", "Fallbesprechung", "--duration", "45", "--force",
        ])
        #expect(add.status == 0)
        let list = try await w.json(from: "2026-03-23", to: "2026-04-02")
        #expect(
            list.map { "\($0["start"] ?? "") \($0["status"] ?? "")" } == [
                "2026-03-23T10:00:00+01:00 cancelled", "2026-03-25T09:00:00+01:00 scheduled",
                "2026-03-31T15:00:00+02:00 moved", "2026-04-01T08:30:00+02:00 scheduled",
            ])
        #expect(list[0]["reason"] as? String == "Klausurtagung")
        #expect(list[2]["location"] as? String == "Raum 7")
        #expect(list[3]["end"] as? String == "2026-04-01T09:15:00+02:00")
        #expect(list[3]["kind"] as? String == "Fallbesprechung")

        let out = w.folder.appendingPathComponent("after")
        #expect(await w.run(["generate", "--out", out.path]).status == 0)
        let feed = try String(contentsOf: out.appendingPathComponent("bodies/runde.ics"), encoding: .utf8)
        // cancelled_sessions: show (the default): the cancelled session is stated as cancelled.
        #expect(feed.contains("RECURRENCE-ID;TZID=Europe/Berlin:20260323T100000\r\n"))
        #expect(feed.contains("DESCRIPTION:Abgesagt: Klausurtagung\\n"))
        #expect(feed.contains("RECURRENCE-ID;TZID=Europe/Berlin:20260330T100000\r\n"))
        // The file says sequence 2; three recorded changes raise it to 5, DTSTAMP is their time.
        #expect(feed.contains("SEQUENCE:5\r\n"))
        #expect(!feed.contains("DTSTAMP:20260105T080000Z"))
        let old = try String(contentsOf: w.folder.appendingPathComponent("before/bodies/runde.ics"), encoding: .utf8)
        #expect(old.contains("SEQUENCE:2\r\n") && old.contains("DTSTAMP:20260105T080000Z"))
        // Unchanged store: the same bytes again.
        #expect(await w.run(["generate", "--out", out.path]).out.hasSuffix("0 written, 6 unchanged\n"))
    }

    @Test(arguments: [
        (
            ["session", "cancel", "nope", "2026-03-23", "--reason", "x"],
            "Error: unknown body 'nope'; known bodies: beirat, runde\n"
        ),
        (
            ["session", "cancel", "runde", "2026-03-24", "--reason", "x"],
            "Error: runde has no session planned on 2026-03-24; nearest: 2026-03-23, 2026-03-25\n"
        ),
        (["session", "cancel", "runde", "2026-03-23", "--reason", " "], "Error: --reason must not be empty\n"),
        (
            ["session", "remove", "runde", "2026-03-23", "--reason", "x"],
            "Error: runde of 2026-03-23 is a session of the series' rule; cancel it instead\n"
        ),
        (
            ["session", "cancel", "runde", "2026-03-09", "--reason", "x"],
            "Error: runde of 2026-03-09 is already cancelled (Personalversammlung)\n"
        ),
        (
            ["session", "move", "runde", "23.03.2026", "--to", "2026-03-24T10:00"],
            "Error: '23.03.2026' is not a date; write YYYY-MM-DD, e.g. 2026-03-10\n"
        ),
        (
            ["session", "move", "runde", "2026-03-23", "--to", "2026-03-24 10"],
            "Error: --to '2026-03-24 10' is not a date and time; write YYYY-MM-DDTHH:MM, e.g. 2026-04-16T14:00\n"
        ),
        (
            ["session", "add", "runde", "2026-04-01T08:30", "--kind", "Party"],
            "Error: --kind 'Party' is not allowed; allowed: Austausch, Fallbesprechung, Fortbildung, Konferenz, Sitzung\n"
        ),
        (
            ["session", "add", "beirat", "2026-11-05T10:00"],
            "Error: beirat does not exist on 2026-11-05\n"
        ),
    ])
    func badInputIsRefusedAndChangesNothing(arguments: [String], message: String) async throws {
        let w = try Workspace()
        defer { w.remove() }
        let before = try await w.json(from: "2026-01-01", to: "2027-01-01").count
        let run = await w.run(arguments)
        #expect(run.status != 0)
        #expect(run.err == message)
        await #expect(try w.json(from: "2026-01-01", to: "2027-01-01").count == before)
        #expect(await w.run(["sync", "--calendars", CalendarCommandTests.small]).out.contains("up to date"))
    }

    @Test func unsyncedStoreIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gremien-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = "sqlite:" + folder.appendingPathComponent("g.sqlite").path
        let run = try CommandLineTests.gremien([
            "session", "cancel", "runde", "2026-03-23", "--reason", "x", "--store", store,
        ])
        #expect(run.err == "Error: the store \(store) holds no definitions yet; run: gremien sync --apply\n")
        let sessions = try CommandLineTests.gremien(["sessions", "--store", store])
        #expect(sessions.err == run.err)
    }
}
