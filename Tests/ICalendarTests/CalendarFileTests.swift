import Coordination
import Foundation
import ICalendar
import Testing

struct CalendarFileTests {
    @Test func workload60MatchesTheGeneratorsCountAndChecksum() throws {
        // Figures from ../shared/bench/gen_workload.py (expected.json), computed there independently.
        let url = try #require(
            Bundle.module.url(forResource: "workload-60", withExtension: "ics", subdirectory: "Fixtures"))
        let file = try CalendarFile(text: String(contentsOf: url, encoding: .utf8))
        #expect(file.diagnostics.isEmpty)
        let expansion = file.expand(
            from: LocalDateTime(year: 2020, month: 1, day: 1), to: LocalDateTime(year: 2030, month: 1, day: 1))
        #expect(expansion.occurrences.count == 20_315)
        #expect(expansion.occurrences.reduce(Int64(0)) { $0 + $1.occurrence.utc } == 35_446_469_722_200)
        #expect(expansion.cutOff.isEmpty)
    }

    static let withOverrides = """
        BEGIN:VCALENDAR\r
        VERSION:2.0\r
        PRODID:-//test//DE\r
        BEGIN:VEVENT\r
        UID:ag78@kreis.invalid\r
        DTSTAMP:20260101T000000Z\r
        DTSTART;TZID=Europe/Berlin:20260113T140000\r
        DTEND;TZID=Europe/Berlin:20260113T160000\r
        RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=4\r
        EXDATE;TZID=Europe/Berlin:20260210T140000\r
        SUMMARY:AG nach § 78 SGB VIII\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:ag78@kreis.invalid\r
        DTSTAMP:20260101T000000Z\r
        RECURRENCE-ID;TZID=Europe/Berlin:20260310T140000\r
        DTSTART;TZID=Europe/Berlin:20260312T090000\r
        DTEND;TZID=Europe/Berlin:20260312T110000\r
        SUMMARY:AG nach § 78 SGB VIII (verlegt)\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:ag78@kreis.invalid\r
        DTSTAMP:20260101T000000Z\r
        RECURRENCE-ID;TZID=Europe/Berlin:20260414T140000\r
        DTSTART;TZID=Europe/Berlin:20260414T140000\r
        STATUS:CANCELLED\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:single@kreis.invalid\r
        DTSTAMP:20260101T000000Z\r
        DTSTART:20260115T080000Z\r
        SUMMARY:Runder Tisch Energiearmut\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:bad@kreis.invalid\r
        DTSTAMP:20260101T000000Z\r
        DTSTART;TZID=Mars/Olympus:20260115T080000\r
        RRULE:FREQ=WEEKLY\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:bad2@kreis.invalid\r
        DTSTAMP:20260101T000000Z\r
        DTSTART;TZID=Europe/Berlin:20260115T080000\r
        RRULE:FREQ=WEEKLY;BYDAY=1MO\r
        END:VEVENT\r
        END:VCALENDAR\r

        """

    @Test func overridesMoveAndCancelInstances() throws {
        let file = try CalendarFile(text: Self.withOverrides)
        let expansion = file.expand()
        let got = expansion.occurrences.map { "\($0.occurrence.formatted) \(expansion.event(of: $0).uid)" }
        #expect(
            got == [
                "2026-01-13T14:00:00+01:00 ag78@kreis.invalid",
                "2026-01-15T08:00:00+00:00 single@kreis.invalid",
                "2026-03-12T09:00:00+01:00 ag78@kreis.invalid",
            ])
    }

    @Test func unusableEventsAreReportedWithLineAndTheRestKept() throws {
        let file = try CalendarFile(text: Self.withOverrides)
        let errors = file.errors.map { "\($0.line) \($0.property)" }
        #expect(errors == ["37 DTSTART", "44 RRULE"])
        #expect(file.errors[0].message.contains("Mars/Olympus"))
        #expect(file.errors[1].message.contains("BYDAY=1MO"))
        #expect(file.events.count == 4)
    }
}
