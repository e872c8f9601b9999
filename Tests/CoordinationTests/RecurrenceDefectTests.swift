import Coordination
import Testing

/// Where libical 3.0.16 is wrong and RFC 5545 is clear, our engine follows the RFC. Each test
/// pins one of those cases (libical's output is noted for contrast).
struct RecurrenceDefectTests {
    @Test func springForwardGapShiftsOnlyThatInstance() throws {
        // libical: 02:30, 03:30, 03:30 (keeps the shifted time), 02:30.
        let e = try TestZones.expand("2026-03-28T02:30:00", "FREQ=DAILY;COUNT=4")
        #expect(
            e.occurrences.map(\.formatted) == [
                "2026-03-28T02:30:00+01:00", "2026-03-29T03:30:00+02:00", "2026-03-30T02:30:00+02:00",
                "2026-03-31T02:30:00+02:00",
            ])
        // The RECURRENCE-ID of the shifted instance stays the nominal 02:30.
        #expect(e.occurrences[1].nominal.description == "2026-03-29T02:30:00")
    }

    @Test func ambiguousAutumnTimeTakesFirstOccurrence() throws {
        // libical reads 2026-10-25 02:30 with +01:00 (the second occurrence).
        let e = try TestZones.expand("2026-10-24T02:30:00", "FREQ=DAILY;COUNT=3")
        #expect(
            e.occurrences.map(\.formatted) == [
                "2026-10-24T02:30:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00",
            ])
    }

    @Test func recurrenceDateHonoursItsOwnZone() throws {
        let berlin = try TestZones.rules("Europe/Berlin")
        let newYork = try TestZones.rules("America/New_York")
        let set = RecurrenceSet(
            start: .dateTime(TestZones.local("2026-05-04T10:00:00")), zone: berlin,
            recurrenceDates: [.local(TestZones.local("2026-05-06T09:00:00"), zone: newYork)])
        #expect(
            set.expand().occurrences.map(\.formatted) == ["2026-05-04T10:00:00+02:00", "2026-05-06T15:00:00+02:00"])
    }

    @Test func bySetPosCountsInstancesAlsoWithByHour() throws {
        // libical applies BYSETPOS to days and returns 09, 10 and 11 o'clock.
        let e = try TestZones.expand("2026-01-01T09:00:00", "FREQ=DAILY;BYHOUR=9,10,11;BYSETPOS=2;COUNT=3", zone: "UTC")
        #expect(
            e.occurrences.map(\.formatted) == [
                "2026-01-01T10:00:00+00:00", "2026-01-02T10:00:00+00:00", "2026-01-03T10:00:00+00:00",
            ])
    }

    @Test func dailyByMonthDayMinusOneGivesMonthEnds() throws {
        // libical returns nothing at all.
        let e = try TestZones.expand("2026-01-01T10:00:00", "FREQ=DAILY;BYMONTHDAY=-1;COUNT=4")
        #expect(
            e.occurrences.map(\.formatted) == [
                "2026-01-31T10:00:00+01:00", "2026-02-28T10:00:00+01:00", "2026-03-31T10:00:00+02:00",
                "2026-04-30T10:00:00+02:00",
            ])
    }

    @Test func byWeekNo53OnlyInYearsWithWeek53() throws {
        // libical also returns 2031-12-29, which is in week 1 of 2032.
        let e = try TestZones.expand("2026-01-01T09:00:00", "FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO;COUNT=4", zone: "UTC")
        #expect(
            e.occurrences.map(\.formatted) == [
                "2026-12-28T09:00:00+00:00", "2032-12-27T09:00:00+00:00", "2037-12-28T09:00:00+00:00",
                "2043-12-28T09:00:00+00:00",
            ])
    }
}

struct RecurrenceWindowTests {
    @Test func windowIsHalfOpenAndLimitCutsOff() throws {
        let e = try TestZones.expand(
            "2026-01-05T10:00:00", "FREQ=WEEKLY;BYDAY=MO", from: "2026-01-12T10:00:00", to: "2026-01-26T10:00:00")
        #expect(e.occurrences.map(\.formatted) == ["2026-01-12T10:00:00+01:00", "2026-01-19T10:00:00+01:00"])
        #expect(!e.cutOff)
        let limited = try TestZones.expand("2026-01-05T10:00:00", "FREQ=WEEKLY;BYDAY=MO", limit: 3)
        #expect(limited.occurrences.count == 3)
        #expect(limited.cutOff)
        let exact = try TestZones.expand("2026-01-05T10:00:00", "FREQ=WEEKLY;COUNT=3", limit: 3)
        #expect(!exact.cutOff)
    }

    @Test func windowFarAfterStartKeepsTheIntervalGrid() throws {
        let e = try TestZones.expand(
            "2015-03-03T08:00:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", from: "2026-01-01", to: "2026-02-01")
        // 566 weeks after the first week: an on-week of the two-week grid.
        #expect(e.occurrences.map(\.formatted) == ["2026-01-06T08:00:00+01:00", "2026-01-20T08:00:00+01:00"])
    }

    @Test func exceptionDatesRemoveInstances() throws {
        let berlin = try TestZones.rules("Europe/Berlin")
        let set = RecurrenceSet(
            start: .dateTime(TestZones.local("2026-01-13T14:00:00")), zone: berlin,
            rules: [try RecurrenceRule(parsing: "FREQ=MONTHLY;BYDAY=2TU;COUNT=3")],
            exceptionDates: [.local(TestZones.local("2026-02-10T14:00:00"), zone: nil)])
        #expect(
            set.expand().occurrences.map(\.formatted) == ["2026-01-13T14:00:00+01:00", "2026-03-10T14:00:00+01:00"])
    }

    @Test func allDaySeriesPrintDates() throws {
        let set = RecurrenceSet(
            start: .date(CivilDate(year: 2026, month: 12, day: 24)),
            rules: [try RecurrenceRule(parsing: "FREQ=YEARLY;COUNT=2")])
        #expect(set.expand().occurrences.map(\.formatted) == ["2026-12-24", "2027-12-24"])
    }

    @Test(arguments: [
        "FREQ=SECONDLY;BYHOUR=0;BYSETPOS=-4", "FREQ=MINUTELY;BYSECOND=60", "FREQ=DAILY;BYSETPOS=2",
        "FREQ=MINUTELY;INTERVAL=4;BYMINUTE=35", "FREQ=HOURLY;INTERVAL=6;BYHOUR=2",
    ])
    func impossibleRulesEndAtOnce(_ rule: String) throws {
        let e = try TestZones.expand("2022-09-13T15:00:00", rule)
        #expect(e.occurrences.isEmpty)
        #expect(!e.cutOff)
    }

    @Test func finerRulesWithIntervalReachTheirFilters() throws {
        // Regression: the reachability check once looked at DTSTART's minute for HOURLY rules.
        let e = try TestZones.expand("2026-09-15T04:00:34", "FREQ=HOURLY;COUNT=4;INTERVAL=3;BYMINUTE=44;BYSECOND=29,20")
        #expect(
            e.occurrences.map(\.formatted) == [
                "2026-09-15T04:44:20+02:00", "2026-09-15T04:44:29+02:00", "2026-09-15T07:44:20+02:00",
                "2026-09-15T07:44:29+02:00",
            ])
        let hourly = try TestZones.expand(
            "2026-10-02T00:02:00", "FREQ=HOURLY;COUNT=2;INTERVAL=3;BYHOUR=1,9", zone: "Asia/Kolkata")
        #expect(hourly.occurrences.map(\.formatted) == ["2026-10-02T09:02:00+05:30", "2026-10-03T09:02:00+05:30"])
    }

    @Test func zoneBeyondTheTableFollowsTheTailRule() throws {
        let e = try TestZones.expand("2150-03-28T12:00:00", "FREQ=DAILY;COUNT=2")
        #expect(e.occurrences.map(\.formatted) == ["2150-03-28T12:00:00+01:00", "2150-03-29T12:00:00+02:00"])
    }
}
