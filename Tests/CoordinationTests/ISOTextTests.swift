import Testing

@testable import Coordination

/// Dates and times as the store keeps them (`YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS`): read back to
/// what was written, and anything else refused.
@Suite struct ISOTextTests {
    @Test func everyDayOfFourHundredYearsReadsBackToItself() {
        for n in CivilDate(year: 1900, month: 1, day: 1).dayNumber...CivilDate(year: 2299, month: 12, day: 31).dayNumber
        {
            let date = CivilDate(dayNumber: n)
            #expect(CivilDate(iso: date.description) == date, "\(date)")
        }
    }

    @Test(arguments: [
        "", "2026-1-05", "2026-01-5", "2026/01/05", "2026-13-01", "2026-02-29", "2026-00-10", "2026-01-32",
        "2026-01-05 ", " 2026-01-05", "20x6-01-05", "2026-0a-05", "2026-01-0:", "２026-01-05", "2026-01-05T10:00",
    ])
    func malformedDatesAreRefused(_ text: String) {
        #expect(CivilDate(iso: text) == nil)
    }

    @Test func timesReadBackWithOrWithoutSeconds() throws {
        for (text, seconds) in [
            ("2026-03-02T00:00:00", 0), ("2026-03-02T14:30:15", 52_215), ("2026-03-02 23:59:59", 86_399),
            ("2026-03-02T09:05", 32_700), ("2024-02-29 07:00", 25_200),
        ] {
            let time = try #require(LocalDateTime(iso: text), "\(text)")
            #expect(time.date == CivilDate(iso: String(text.prefix(10))))
            #expect(time.hour * 3600 + time.minute * 60 + time.second == seconds, "\(text)")
        }
        let written = LocalDateTime(date: CivilDate(year: 2031, month: 12, day: 31), secondOfDay: 86_399)
        #expect(LocalDateTime(iso: written.description) == written)
    }

    @Test(arguments: [
        "", "2026-03-02", "2026-03-02T24:00:00", "2026-03-02T10:60:00", "2026-03-02T10:00:60", "2026-03-02X10:00:00",
        "2026-03-02T10:00:0", "2026-03-02T10-00-00", "2026-03-02T1a:00:00", "2026-02-30T10:00:00",
        "2026-03-02T10:00:00Z", "2026-03-02T10:00:", "2026-03-02T10:00:00.5",
    ])
    func malformedTimesAreRefused(_ text: String) {
        #expect(LocalDateTime(iso: text) == nil)
    }
}
