import Coordination
import Foundation
import GremienTestSupport
import Platform
import Testing

@testable import ICalendar

/// A large calendar read in pieces on every core reads as the whole text does.
struct ICalPiecesTests {
    /// The 60-body workload with the same broken line in three events far apart (the same
    /// message three times: each must keep its own line) and a bad RRULE in a fourth.
    static func brokenWorkload() throws -> String {
        let text = try String(contentsOf: TestDistrict.workload60, encoding: .utf8)
        var lines = text.components(separatedBy: "\r\n")
        var seen = 0
        var index = 0
        while index < lines.count {
            if lines[index] == "BEGIN:VEVENT" {
                seen += 1
                if [3, 30, 57].contains(seen) { lines.insert("FOO BAR", at: index + 1) }
                if seen == 44 { lines.insert("RRULE:FREQ=FOO;BYDAY=MO", at: index + 1) }
            }
            index += 1
        }
        return lines.joined(separator: "\r\n")
    }

    @Test(arguments: [ICalParser.Selection.all, .expansion])
    func piecesReadAsTheWhole(_ selection: ICalParser.Selection) throws {
        let text = try Self.brokenWorkload()
        #expect(ICalParser.pieces(of: text, count: 4)?.count == 5)
        let whole = try ICalParser.parse(text, selection: selection, pieces: 1)
        let split = try ICalParser.parse(text, selection: selection, pieces: 4)
        #expect(split.calendars == whole.calendars)
        #expect(split.diagnostics == whole.diagnostics)
        let foo = whole.diagnostics.filter { $0.property == "FOO" }.map(\.line)
        #expect(foo.count == 3 && Set(foo).count == 3)
        #expect(whole.diagnostics.contains { $0.property == "RRULE" })
        #expect(whole.calendars.first?.components.filter { $0.name == "VEVENT" }.count == 60)
    }

    @Test func calendarsThatAreNotSplit() throws {
        let event = ["BEGIN:VEVENT", "UID:x", "DTSTART:20260105T100000Z", "END:VEVENT"]
        let events = (0..<8).flatMap { _ in event }
        let head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//DE"]
        func text(_ lines: [String]) -> String { lines.joined(separator: "\r\n") + "\r\n" }
        #expect(ICalParser.pieces(of: text(head + events + ["END:VCALENDAR"]), count: 2)?.count == 3)
        // Something other than a VEVENT after the first one.
        #expect(
            ICalParser.pieces(
                of: text(head + events + ["BEGIN:VTODO", "UID:t", "END:VTODO", "END:VCALENDAR"]), count: 2) == nil)
        // Two calendars; an event left open; an END:VEVENT without its BEGIN; too few events.
        #expect(
            ICalParser.pieces(of: text(head + events + ["END:VCALENDAR"] + head + ["END:VCALENDAR"]), count: 2) == nil)
        #expect(
            ICalParser.pieces(of: text(head + events + ["BEGIN:VEVENT", "UID:y", "END:VCALENDAR"]), count: 2) == nil)
        #expect(ICalParser.pieces(of: text(head + ["END:VEVENT"] + events + ["END:VCALENDAR"]), count: 2) == nil)
        #expect(ICalParser.pieces(of: text(head + events + ["END:VCALENDAR"]), count: 5) == nil)
    }

    @Test func theSummaryCountsWhatExpandGives() throws {
        let text = try String(contentsOf: TestDistrict.workload60, encoding: .utf8)
        let file = try CalendarFile(text: text, systemZones: SystemTimeZones.lookupTZID)
        let from = LocalDateTime(date: CivilDate(year: 2020, month: 1, day: 1))
        let to = LocalDateTime(date: CivilDate(year: 2030, month: 1, day: 1))
        let all = file.expand(from: from, to: to, limit: 100_000)
        let summary = file.instanceSummary(from: from, to: to, limit: 100_000)
        #expect(summary.count == 20_315)
        #expect(summary.count == all.occurrences.count)
        #expect(summary.checksum == all.occurrences.reduce(Int64(0)) { $0 &+ $1.occurrence.utc })
        #expect(summary.checksum == 35_446_469_722_200)
        let cut = file.instanceSummary(from: from, to: to, limit: 10)
        #expect(cut.cutOff == file.expand(from: from, to: to, limit: 10).cutOff && !cut.cutOff.isEmpty)
    }

    /// Events are read in runs on every core; the problems of events in different runs keep
    /// their order (after libical's own) and each its own line.
    @Test func problemsOfEventsReadInRunsKeepTheirLines() throws {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//DE"]
        var libical: [Int] = []
        var ours: [Int] = []
        for i in 0..<200 {
            lines += ["BEGIN:VEVENT", "UID:e\(i)", "DTSTART:20260105T100000Z", "RRULE:FREQ=WEEKLY;COUNT=3"]
            if [5, 70, 130, 190].contains(i) {
                lines.append("DTEND:20260105T090000Z")
                ours.append(lines.count)
            }
            if i == 100 {
                lines.append("DURATION:P1X")
                libical.append(lines.count)
            }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        let file = try CalendarFile(text: lines.joined(separator: "\r\n") + "\r\n", systemZones: TestDistrict.zones)
        #expect(file.diagnostics.map(\.line) == libical + ours)
        #expect(file.diagnostics.map(\.property) == ["DURATION", "DTEND", "DTEND", "DTEND", "DTEND"])
        #expect(file.diagnostics.dropFirst().map(\.message).allSatisfy { $0.contains("DTEND lies before DTSTART") })
        #expect(file.events.map(\.uid) == (0..<200).map { "e\($0)" })
    }
}
