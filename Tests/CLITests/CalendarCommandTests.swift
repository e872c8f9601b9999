import Foundation
import GremienTestSupport
import Testing

/// `gremien validate`, `sessions` and `generate` as a coordinator runs them.
struct CalendarCommandTests {
    static let root = TestDistrict.root
    static let shipped = root.appendingPathComponent("calendars").path
    static let small = TestDistrict.calendars
    static let invalid = TestDistrict.invalidCalendars

    @Test func validateShippedCalendars() throws {
        let run = try CommandLineTests.gremien(["validate", Self.shipped])
        #expect(run.status == 0)
        #expect(run.out == "\(Self.shipped): 26 offices, 18 bodies, 21 series: no errors\n")
    }

    @Test func validateReportsEveryProblemAndFails() throws {
        let run = try CommandLineTests.gremien(["validate", Self.invalid])
        #expect(run.status == 1)
        let lines = run.out.split(separator: "\n")
        #expect(lines.count == 16)
        #expect(lines.allSatisfy { $0.hasPrefix(Self.invalid + "/") })
        #expect(lines.contains { $0.hasSuffix("bodies/a.yaml:4: chair: unknown office 'xx'; known offices: jc, soza") })
        #expect(run.err == "\(Self.invalid): 16 error(s), 0 warning(s)\n")
    }

    @Test func sessionsRefuseInvalidCalendarsAndPrintNothing() throws {
        let run = try CommandLineTests.gremien(["sessions", "--calendars", Self.invalid, "--format", "json"])
        #expect(run.status == 1)
        #expect(run.out == "")
        #expect(
            run.err.hasSuffix(
                "Error: \(Self.invalid): 16 error(s); nothing was done (check with: gremien validate \(Self.invalid))\n"
            ))
    }

    @Test func sessionsAsJSON() throws {
        let run = try CommandLineTests.gremien([
            "sessions", "--calendars", Self.small, "--from", "2026-03-09", "--to", "2026-03-19", "--format", "json",
        ])
        #expect(run.status == 0)
        let list = try #require(JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [[String: Any]])
        #expect(list.map { $0["status"] as? String } == ["cancelled", "moved"])
        let moved = list[1]
        #expect(moved["uid"] as? String == "montag.runde@gremien.example.org")
        #expect(moved["recurrenceId"] as? String == "2026-03-16T10:00:00+01:00")
        #expect(moved["start"] as? String == "2026-03-18T14:00:00+01:00")
        #expect(moved["end"] as? String == "2026-03-18T15:30:00+01:00")
        #expect(moved["location"] as? String == "Raum 2")
        #expect(moved["kind"] as? String == "Austausch")
        #expect(moved["body"] as? String == "runde")
        #expect(list[0]["reason"] as? String == "Personalversammlung")
        // A single session has recurrenceId null (present, not left out).
        let single = try CommandLineTests.gremien([
            "sessions", "--calendars", Self.small, "--from", "2026-06-12", "--to", "2026-06-13", "--format", "json",
        ])
        #expect(single.out.contains("\"recurrenceId\" : null"))
    }

    @Test func sessionsFilterByOfficeAndRejectUnknownIds() throws {
        let run = try CommandLineTests.gremien([
            "sessions", "--calendars", Self.small, "--from", "2026-01-01", "--to", "2027-01-01", "--office", "aa",
        ])
        #expect(run.status == 0)
        #expect(run.out.hasSuffix("4 session(s)\n"))  // Beirat 1 Jan, 1 May (cancelled), 1 Sep; Klausur
        let unknown = try CommandLineTests.gremien(["sessions", "--calendars", Self.small, "--body", "ag-99"])
        #expect(unknown.status == 1)
        #expect(unknown.err == "Error: --body: unknown body 'ag-99'; known bodies: beirat, runde\n")
        let badDate = try CommandLineTests.gremien(["sessions", "--calendars", Self.small, "--from", "13.01.2026"])
        #expect(badDate.err == "Error: --from '13.01.2026' is not a date; write YYYY-MM-DD, e.g. 2026-01-13\n")
    }

    @Test func generateTwiceGivesTheSameBytesAndRemovesStaleFeeds() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gremien-gen-\(getpid())")
        defer { try? FileManager.default.removeItem(at: out) }
        let first = try CommandLineTests.gremien(["generate", "--calendars", Self.small, "--out", out.path])
        #expect(first.status == 0)
        // 3 series, 1 extra session, 3 overrides (one planned move, Ostermontag, Pfingstmontag) and
        // 3 cancelled sessions shown as such (cancelled_sessions: show; 9 March, 1 January, 1 May).
        #expect(first.out == "\(out.path): all.ics (10 events), 2 body feeds, 3 office feeds; 6 written, 0 unchanged\n")
        let all = try Data(contentsOf: out.appendingPathComponent("all.ics"))
        try Data("stale".utf8).write(to: out.appendingPathComponent("bodies/removed-body.ics"))
        let second = try CommandLineTests.gremien(["generate", "--calendars", Self.small, "--out", out.path])
        #expect(second.out.hasSuffix("; 0 written, 6 unchanged; removed 1 stale feed(s)\n"))
        #expect(try Data(contentsOf: out.appendingPathComponent("all.ics")) == all)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("bodies/removed-body.ics").path))
        // A feed changed by hand to other bytes of the same length, and one cut short, are written again.
        var changed = all
        changed[changed.count - 3] = UInt8(ascii: "X")
        try changed.write(to: out.appendingPathComponent("all.ics"))
        let office = out.appendingPathComponent("offices/jc.ics")
        try Data(try Data(contentsOf: office).dropLast()).write(to: office)
        let third = try CommandLineTests.gremien(["generate", "--calendars", Self.small, "--out", out.path])
        #expect(third.out.hasSuffix("; 2 written, 4 unchanged\n"))
        #expect(try Data(contentsOf: out.appendingPathComponent("all.ics")) == all)
    }

    /// Invalid definitions change nothing: the feeds already written stay as they were.
    @Test func generateWithInvalidCalendarsKeepsTheFeeds() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gremien-keep-\(getpid())")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try CommandLineTests.gremien(["generate", "--calendars", Self.small, "--out", out.path]).status == 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: out.path + "/bodies").sorted()
        let all = try Data(contentsOf: out.appendingPathComponent("all.ics"))
        let run = try CommandLineTests.gremien(["generate", "--calendars", Self.invalid, "--out", out.path])
        #expect(run.status == 1)
        #expect(run.out == "")
        #expect(run.err.contains("bodies/a.yaml:4: chair: unknown office 'xx'"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path + "/bodies").sorted() == before)
        #expect(try Data(contentsOf: out.appendingPathComponent("all.ics")) == all)
    }

    /// The same calendars/ give byte-identical feeds in another process, a second later, under
    /// another system time zone and locale, from another working folder: nothing of the machine
    /// or the wall clock reaches a feed.
    @Test func generateWritesTheSameBytesInAnotherProcessAtAnotherTime() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("gremien-same-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let first = base.appendingPathComponent("a")
        let second = base.appendingPathComponent("b/c")
        for folder in [first, second] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        let one = try CommandLineTests.gremien(
            ["generate", "--calendars", Self.shipped, "--out", "feeds"], in: first,
            environment: ["TZ": "UTC", "LANG": "C"])
        Thread.sleep(forTimeInterval: 1.1)
        let two = try CommandLineTests.gremien(
            ["generate", "--calendars", Self.shipped, "--out", "feeds"], in: second,
            environment: ["TZ": "America/New_York", "LANG": "de_DE.UTF-8"])
        #expect(one.status == 0 && two.status == 0)
        let names = try FileManager.default.subpathsOfDirectory(atPath: first.appendingPathComponent("feeds").path)
            .filter { $0.hasSuffix(".ics") }.sorted()
        #expect(names.count == 45)
        for name in names {
            let a = try Data(contentsOf: first.appendingPathComponent("feeds/\(name)"))
            let b = try Data(contentsOf: second.appendingPathComponent("feeds/\(name)"))
            #expect(a == b, "\(name)")
        }
    }
}
