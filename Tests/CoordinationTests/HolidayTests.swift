import Coordination
import Testing

/// NRW's public holidays against a table written by hand from the official calendars
/// (Feiertagsgesetz NW § 2), not computed by the code under test.
@Suite struct HolidayTests {
    static let table: [(year: Int, easter: String, dates: [String])] = [
        (
            2024, "2024-03-31",
            [
                "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-01", "2024-05-09", "2024-05-20", "2024-05-30",
                "2024-10-03", "2024-11-01", "2024-12-25", "2024-12-26",
            ]
        ),
        (
            2025, "2025-04-20",
            [
                "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-01", "2025-05-29", "2025-06-09", "2025-06-19",
                "2025-10-03", "2025-11-01", "2025-12-25", "2025-12-26",
            ]
        ),
        (
            2026, "2026-04-05",
            [
                "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25", "2026-06-04",
                "2026-10-03", "2026-11-01", "2026-12-25", "2026-12-26",
            ]
        ),
        (
            2027, "2027-03-28",
            [
                "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-01", "2027-05-06", "2027-05-17", "2027-05-27",
                "2027-10-03", "2027-11-01", "2027-12-25", "2027-12-26",
            ]
        ),
        (
            2030, "2030-04-21",
            [
                "2030-01-01", "2030-04-19", "2030-04-22", "2030-05-01", "2030-05-30", "2030-06-10", "2030-06-20",
                "2030-10-03", "2030-11-01", "2030-12-25", "2030-12-26",
            ]
        ),
    ]

    @Test(arguments: 0..<table.count)
    func northRhineWestphalia(index: Int) {
        let row = Self.table[index]
        #expect(HolidayCalendar.easterSunday(row.year).description == row.easter)
        let computed = HolidayCalendar().publicHolidays(in: row.year).map(\.date.description)
        #expect(computed == row.dates)
    }

    @Test func namesAndClosingDays() {
        var calendar = HolidayCalendar(closingDays: [
            .init(name: "Rosenmontag", rule: .easter(offset: -48)),
            .init(name: "Heiligabend", rule: .yearly(month: 12, day: 24)),
            .init(name: "Betriebsausflug", rule: .once(CivilDate(year: 2026, month: 6, day: 19))),
        ])
        for _ in 0..<2 {
            #expect(calendar.name(of: CivilDate(year: 2026, month: 2, day: 16)) == "Rosenmontag")
            #expect(calendar.name(of: CivilDate(year: 2027, month: 2, day: 8)) == "Rosenmontag")
            #expect(calendar.name(of: CivilDate(year: 2026, month: 6, day: 4)) == "Fronleichnam")
            #expect(calendar.name(of: CivilDate(year: 2026, month: 6, day: 19)) == "Betriebsausflug")
            #expect(calendar.name(of: CivilDate(year: 2027, month: 6, day: 19)) == nil)
            #expect(calendar.name(of: CivilDate(year: 2026, month: 12, day: 24)) == "Heiligabend")
            // Working days skip weekends, holidays and closing days: 24.12.2026 is a Thursday.
            #expect(
                calendar.workingDay(from: CivilDate(year: 2026, month: 12, day: 23), step: 1).description
                    == "2026-12-28")
            #expect(
                calendar.workingDay(from: CivilDate(year: 2026, month: 4, day: 6), step: -1).description == "2026-04-02"
            )
            calendar.prepare(years: 2025...2027)  // the second round reads the precomputed table
        }
    }
}
