import Coordination
import Foundation
import GremienTestSupport
import ICalendar
import Publishing
import Storage
import Testing
import Workflows

/// History (issue 14): a sync that changes a series' place applies from its day on; the sessions
/// before keep time, place and text in sessions, minutes, reports and feeds. Regression: the
/// minutes of a session held in November showed the new room after a sync.
@Suite struct SeriesHistoryTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let admin = Principal.localOperator("admin")

    /// What a reader sees of the sessions before 1 October 2026: the minutes of 28 September, the
    /// report rows of January to September and the feed's instances with their place.
    static func earlierRecords(_ w: Workflows) async throws -> String {
        let found = try await w.session(SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 9, day: 28)))
        let minutes = try await MinutesRenderer(folder: TestDistrict.templates).text(
            try await w.minutesView(of: found), format: .md)
        let report = try await w.participationReport(
            .init(from: CivilDate(year: 2026, month: 1, day: 1), through: CivilDate(year: 2026, month: 9, day: 30)))
        // Without the stamp (it names the event log's head, which every change moves).
        let rows = String(decoding: report.data, as: UTF8.self).components(separatedBy: "\r\n").filter {
            !$0.contains(report.head.hash.prefix(16))
        }
        let planning = try await w.planning()
        let all = try FeedBuilder(planner: planning.planner).feeds()[0].text
        let file = try CalendarFile(text: all, systemZones: TestDistrict.zones)
        let cut = LocalDateTime(year: 2026, month: 10, day: 1).localSeconds
        let expansion = file.expand(limit: 10_000)
        let instances = expansion.occurrences.filter { $0.occurrence.utc < cut }.map { o in
            let event = expansion.event(of: o)
            return "\(o.occurrence.formatted) \(event.uid) \(event.location ?? "")"
        }
        return "# minutes of 2026-09-28\n\(minutes)\n# report rows\n" + rows.joined(separator: "\n")
            + "\n# feed instances before 2026-10-01\n" + instances.sorted().joined(separator: "\n") + "\n"
    }

    @Test(arguments: StoreKind.allCases)
    func aChangedPlaceLeavesEarlierSessionsAsTheyWere(kind: StoreKind) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(kind)
        defer { cleanup() }
        let held = SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 9, day: 28))
        try await w.recordAttendance(
            [
                AttendanceLine(label: "1", session: held, office: "jc", person: "Anna Beispiel", status: "present"),
                AttendanceLine(label: "2", session: held, office: "ja-k", status: "excused"),
            ], by: Self.admin)
        let before = try await Self.earlierRecords(w)
        var files = try TestDistrict.district()
        files.bodies[1].series[0].location = "Neuer Sitzungssaal"
        let plan = try await w.syncPlan(files: files)
        #expect(plan.changes.map { "\($0.subject)" } == ["series runde/montag"])
        #expect(plan.changes[0].fields.map(\.field) == ["location", "applies from"])
        try await w.applySync(plan, by: Self.admin)
        let after = try await Self.earlierRecords(w)
        // Golden: written once, read by every run; before and after the sync alike.
        let url = Self.golden.appendingPathComponent("history-earlier-sessions.txt")
        if ProcessInfo.processInfo.environment["GREMIEN_RECORD_GOLDEN"] == "1" { try Data(before.utf8).write(to: url) }
        let expected = try String(decoding: Data(contentsOf: url), as: UTF8.self)
        #expect(before == expected)
        #expect(after == expected)
        #expect(before.contains("Kreishaus, Raum 1") && !before.contains("Neuer Sitzungssaal"))
        // From the day of the sync (the clock's 1 October) on, the new place holds, under a new UID.
        let coming = try await w.session(SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 10, day: 5)))
        #expect(coming.session.location == "Neuer Sitzungssaal")
        #expect(coming.session.uid == "montag-20261001.runde@gremien.example.org")
        #expect(try await w.session(held).session.location == "Kreishaus, Raum 1")
        // The same files again: nothing more to do; the history stays.
        #expect(try await w.syncPlan(files: files).isEmpty)
    }

    /// `effective_from` in the files sets the day instead of the sync's; the feed states the old
    /// series up to that day (UNTIL) and the new one from it, with its own UID.
    @Test func effectiveFromSplitsTheFeed() async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(.memory)
        defer { cleanup() }
        var files = try TestDistrict.district()
        files.bodies[1].series[0].start = LocalDateTime(year: 2026, month: 3, day: 2, hour: 13)
        files.bodies[1].series[0].effectiveFrom = CivilDate(year: 2026, month: 11, day: 1)
        try await w.applySync(try await w.syncPlan(files: files), by: Self.admin)
        let planning = try await w.planning()
        let feed = try #require(
            try FeedBuilder(planner: planning.planner).feeds().first { $0.path == "bodies/runde.ics" })
        let unfolded = feed.text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("UID:montag.runde@gremien.example.org\r\n"))
        #expect(unfolded.contains("RRULE:FREQ=WEEKLY;UNTIL=20261031T225959Z;BYDAY=MO\r\n"))
        #expect(unfolded.contains("UID:montag-20261101.runde@gremien.example.org\r\n"))
        #expect(unfolded.contains("DTSTART;TZID=Europe/Berlin:20261102T130000\r\n"))
        let oct = try await w.session(SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 10, day: 26)))
        let nov = try await w.session(SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 11, day: 2)))
        #expect(oct.session.start.local.clock == "10:00" && nov.session.start.local.clock == "13:00")
    }
}
