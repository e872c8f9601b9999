import Foundation
import Testing

/// `gremien sync` as a coordinator runs it: plan, apply, re-plan to nothing, edit, refuse bad input.
struct SyncCommandTests {
    static let small = CalendarCommandTests.small

    @Test func planApplyEditAndReplan() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("gremien-sync-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let calendars = work.appendingPathComponent("calendars")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.small, toPath: calendars.path)
        let store = "sqlite:" + work.appendingPathComponent("gremien.sqlite").path
        func sync(_ extra: [String] = []) throws -> CommandLineTests.Run {
            try CommandLineTests.gremien(["sync", "--calendars", calendars.path, "--store", store] + extra)
        }
        let plan = try sync()
        #expect(plan.status == 0)
        #expect(plan.out.hasPrefix("+ district: added\n    name: Kreis Muster\n    uid_domain: example.org\n"))
        #expect(plan.out.contains("+ office jc: added\n    name: Amt 56 – job-com\n    short: JC\n"))
        #expect(plan.out.contains("    closing day Rosenmontag: Easter -48\n"))
        #expect(plan.out.hasSuffix("9 change(s): 9 added\nnothing changed yet; apply with: gremien sync --apply\n"))
        #expect(try sync().out == plan.out)  // planning changed nothing
        let applied = try sync(["--apply"])
        #expect(applied.out.hasSuffix("applied 9 change(s) to \(store)\n"))
        #expect(try sync().out == "the store is up to date with calendars/: nothing to do\n")

        let body = calendars.appendingPathComponent("bodies/runde.yaml")
        let text = try String(contentsOf: body, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "location: Kreishaus, Raum 1", with: "location: Raum 5").utf8).write(
            to: body)
        try FileManager.default.removeItem(at: calendars.appendingPathComponent("bodies/beirat.yaml"))
        let edited = try sync()
        // The new place holds from the day of the sync (UTC) on; the sessions before keep theirs.
        let day = DateFormatter()
        (day.dateFormat, day.timeZone) = ("yyyy-MM-dd", TimeZone(identifier: "UTC"))
        #expect(
            edited.out == """
                ~ series runde/montag: changed
                    location: Kreishaus, Raum 1 → Raum 5
                    applies from: \(day.string(from: Date()))
                - body beirat: archived
                2 change(s): 1 changed, 1 archived
                nothing changed yet; apply with: gremien sync --apply

                """)
        #expect(try sync(["--apply"]).status == 0)
        #expect(try sync().out == "the store is up to date with calendars/: nothing to do\n")

        // Broken files: refused, the store keeps what it had.
        try Data("id: runde\nname: [\n".utf8).write(to: body)
        let broken = try sync(["--apply"])
        #expect(broken.status == 1)
        #expect(broken.err.contains("runde.yaml:3: file: not valid YAML"))
        try Data(text.replacingOccurrences(of: "location: Kreishaus, Raum 1", with: "location: Raum 5").utf8).write(
            to: body)
        #expect(try sync().out == "the store is up to date with calendars/: nothing to do\n")
    }

    @Test func badStoreIsNamed() throws {
        let run = try CommandLineTests.gremien(["sync", "--calendars", Self.small, "--store", "mysql://x"])
        #expect(run.status == 1)
        #expect(
            run.err
                == "Error: --store 'mysql://x' is not a store; use sqlite:PATH, e.g. sqlite:gremien.sqlite, "
                + "or postgresql://USER@HOST:PORT/DATABASE\n")
        let noUser = try CommandLineTests.gremien(["sync", "--calendars", Self.small, "--store", "postgres://x/g"])
        #expect(noUser.status == 1)
        #expect(
            noUser.err
                == "Error: --store 'postgres://x/g' is not a PostgreSQL address: the user is missing (USER@); "
                + "use postgresql://USER@HOST:PORT/DATABASE, e.g. postgresql://gremien@localhost:5432/gremien\n")
        // Nobody listens on port 1: said at once, not after the pool's minute of retries.
        let away = try CommandLineTests.gremien([
            "sync", "--calendars", Self.small, "--store", "postgresql://gremien@127.0.0.1:1/g?sslmode=disable",
        ])
        #expect(away.status == 1)
        #expect(away.err.hasPrefix("Error: cannot reach the PostgreSQL server at 127.0.0.1:1 ("))
        #expect(away.err.hasSuffix("): is it running, and is the address right?\n"))
        let missing = try CommandLineTests.gremien([
            "sync", "--calendars", Self.small, "--store", "sqlite:/nonexistent-folder/g.sqlite",
        ])
        #expect(missing.status == 1)
        #expect(missing.err.hasPrefix("Error: cannot open the store /nonexistent-folder/g.sqlite: "))
    }
}
