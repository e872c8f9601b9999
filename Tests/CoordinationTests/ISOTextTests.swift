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

    /// iCalendar's basic forms (`YYYYMMDD`, `YYYYMMDDTHHMMSS`) are the padded fields, read
    /// back by `ICalDateText`; years beyond four digits and times beyond a day are still padded.
    @Test func basicFormsAreThePaddedFields() {
        var days = Array(
            CivilDate(year: 1899, month: 12, day: 25).dayNumber...CivilDate(year: 1900, month: 3, day: 1).dayNumber)
        days += Array(
            CivilDate(year: 2026, month: 1, day: 1).dayNumber...CivilDate(year: 2029, month: 12, day: 31).dayNumber)
        for n in days {
            let date = CivilDate(dayNumber: n)
            let padded = "\(pad(date.year, 4))\(pad(date.month, 2))\(pad(date.day, 2))"
            #expect(date.basicFormat == padded)
            #expect(ICalDateText.parse(date.basicFormat) == .date(date))
            let time = LocalDateTime(date: date, secondOfDay: ((n * 7_919) % 86_400 + 86_400) % 86_400)
            let clock = "T\(pad(time.hour, 2))\(pad(time.minute, 2))\(pad(time.second, 2))"
            #expect(time.basicFormat == padded + clock)
            #expect(ICalDateText.parse(time.basicFormat) == .dateTime(time, isUTC: false))
        }
        #expect(CivilDate(year: 12_026, month: 1, day: 5).basicFormat == "120260105")
        #expect(CivilDate(year: 26, month: 1, day: 5).basicFormat == "00260105")
        #expect(
            LocalDateTime(date: CivilDate(year: 2026, month: 1, day: 5), secondOfDay: 0).basicFormat
                == "20260105T000000")
        #expect(
            LocalDateTime(date: CivilDate(year: 2026, month: 1, day: 5), secondOfDay: 86_400).basicFormat
                == "20260105T240000")
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
