import Coordination
import Foundation
import GremienTestSupport
import ICalendar
import Testing

struct CalendarFileTests {
    @Test func workload60MatchesTheGeneratorsCountAndChecksum() throws {
        // Figures from ../shared/bench/gen_workload.py (expected.json), computed there independently.
        let url = TestDistrict.workload60
        let file = try CalendarFile(text: String(contentsOf: url, encoding: .utf8), systemZones: TestDistrict.zones)
        #expect(file.diagnostics.isEmpty)
        let expansion = file.expand(
            from: LocalDateTime(year: 2020, month: 1, day: 1), to: LocalDateTime(year: 2030, month: 1, day: 1))
        #expect(expansion.occurrences.count == 20_315)
        #expect(expansion.occurrences.reduce(Int64(0)) { $0 + $1.occurrence.utc } == 35_446_469_722_200)
        #expect(expansion.cutOff.isEmpty)
    }

    @Test func overridesMoveAndCancelInstances() throws {
        let file = try CalendarFile(text: ICSFixtures.withOverrides, systemZones: TestDistrict.zones)
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
        let file = try CalendarFile(text: ICSFixtures.withOverrides, systemZones: TestDistrict.zones)
        let errors = file.errors.map { "\($0.line) \($0.property)" }
        #expect(errors == ["37 DTSTART", "44 RRULE"])
        #expect(file.errors[0].message.contains("Mars/Olympus"))
        #expect(file.errors[1].message.contains("BYDAY=1MO"))
        #expect(file.events.count == 4)
    }
}
