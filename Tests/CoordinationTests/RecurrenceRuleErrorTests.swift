import Coordination
import Testing

/// Invalid rules and the exact message a coordinator sees.
struct RecurrenceRuleErrorTests {
    static let cases: [(String, String)] = [
        (
            "FREQ=FOO",
            "RRULE FREQ=FOO is not valid; allowed: SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY"
        ),
        ("BYDAY=MO", "RRULE has no FREQ; allowed: FREQ=SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY"),
        (
            "FREQ=WEEKLY;BYDAY=XX",
            "RRULE BYDAY=XX is not valid; allowed: comma-separated MO, TU, WE, TH, FR, SA, SU, each optionally numbered -53 to -1 or 1 to 53 (2TU, -1TH)"
        ),
        (
            "FREQ=MONTHLY;BYDAY=6MO",
            "RRULE BYDAY=6MO is out of range; allowed: comma-separated MO, TU, WE, TH, FR, SA, SU, each optionally numbered -5 to -1 or 1 to 5 (2TU, -1TH)"
        ),
        ("FREQ=DAILY;COUNT=5;UNTIL=20270101T000000Z", "RRULE has both COUNT and UNTIL; allowed: at most one of them"),
        ("FREQ=DAILY;BYHOUR=24", "RRULE BYHOUR=24 is out of range; allowed: 0 to 23"),
        ("FREQ=HOURLY;BYMINUTE=5,60", "RRULE BYMINUTE=5,60 is out of range; allowed: 0 to 59"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "RRULE BYMONTHDAY=0 is out of range; allowed: -31 to -1 or 1 to 31"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "RRULE BYMONTHDAY=32 is out of range; allowed: -31 to -1 or 1 to 31"),
        ("FREQ=YEARLY;BYYEARDAY=-367", "RRULE BYYEARDAY=-367 is out of range; allowed: -366 to -1 or 1 to 366"),
        ("FREQ=YEARLY;BYWEEKNO=54", "RRULE BYWEEKNO=54 is out of range; allowed: -53 to -1 or 1 to 53"),
        ("FREQ=YEARLY;BYMONTH=13", "RRULE BYMONTH=13 is out of range; allowed: 1 to 12"),
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", "RRULE BYSETPOS=0 is out of range; allowed: -366 to -1 or 1 to 366"),
        ("FREQ=DAILY;INTERVAL=0", "RRULE INTERVAL=0 is out of range; allowed: 1 to 10000"),
        // Hardening: values near 2^63 trapped in the engine (7 * interval, count + 1).
        (
            "FREQ=WEEKLY;INTERVAL=9223372036854775807",
            "RRULE INTERVAL=9223372036854775807 is out of range; allowed: 1 to 10000"
        ),
        (
            "FREQ=DAILY;COUNT=9223372036854775807",
            "RRULE COUNT=9223372036854775807 is out of range; allowed: 1 to 1000000"
        ),
        (
            "FREQ=DAILY;COUNT=99999999999999999999999",
            "RRULE COUNT=99999999999999999999999 is out of range; allowed: 1 to 1000000"
        ),
        ("FREQ=DAILY;COUNT=x", "RRULE COUNT=x is not valid; allowed: a whole number from 1"),
        (
            "FREQ=DAILY;UNTIL=2027-01-01",
            "RRULE UNTIL=2027-01-01 is not valid; allowed: a DATE (YYYYMMDD) or DATE-TIME (YYYYMMDDTHHMMSS, with Z for UTC)"
        ),
        ("FREQ=WEEKLY;WKST=XY", "RRULE WKST=XY is not valid; allowed: MO, TU, WE, TH, FR, SA, SU"),
        (
            "FREQ=WEEKLY;BYDAY=1MO",
            "RRULE BYDAY=1MO is not allowed with FREQ=WEEKLY; allowed: numbered weekdays (1MO) only with FREQ=MONTHLY or YEARLY"
        ),
        (
            "FREQ=MONTHLY;BYWEEKNO=1",
            "RRULE BYWEEKNO=1 is not allowed with FREQ=MONTHLY; allowed: BYWEEKNO only with FREQ=YEARLY"
        ),
        (
            "FREQ=WEEKLY;BYMONTHDAY=1",
            "RRULE BYMONTHDAY=1 is not allowed with FREQ=WEEKLY; allowed: BYMONTHDAY with any FREQ but WEEKLY"
        ),
        (
            "FREQ=DAILY;FOO=1",
            "RRULE part FOO is unknown; allowed: FREQ, UNTIL, COUNT, INTERVAL, BYSECOND, BYMINUTE, BYHOUR, BYDAY, BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYMONTH, BYSETPOS, WKST"
        ),
        ("FREQ=DAILY;FREQ=WEEKLY", "RRULE part FREQ is given more than once; allowed: once"),
        // Not ASCII: split by Characters, with the same messages.
        (
            "FREQ=WEEKLY;BYDAY=MO,DÏ",
            "RRULE BYDAY=MO,DÏ is not valid; allowed: comma-separated MO, TU, WE, TH, FR, SA, SU, each optionally numbered -53 to -1 or 1 to 53 (2TU, -1TH)"
        ),
        ("FREQ=DAILY;BYHOUR=1,ß", "RRULE BYHOUR=1,ß is not valid; allowed: comma-separated whole numbers, 0 to 23"),
        (
            "FREQ=DAILY;ÜBER=1",
            "RRULE part ÜBER is unknown; allowed: FREQ, UNTIL, COUNT, INTERVAL, BYSECOND, BYMINUTE, BYHOUR, BYDAY, BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYMONTH, BYSETPOS, WKST"
        ),
    ]

    @Test(arguments: cases)
    func rejected(_ rule: String, _ message: String) {
        #expect {
            _ = try RecurrenceRule(parsing: rule)
        } throws: { error in
            (error as? RecurrenceRuleError)?.description == message
        }
    }

    @Test func untilBeforeStartIsRejected() throws {
        let rule = try RecurrenceRule(parsing: "FREQ=DAILY;UNTIL=20200101T000000Z")
        #expect(throws: RecurrenceRuleError.untilBeforeStart(until: "20200101T000000Z", start: "2026-01-01T10:00:00")) {
            try rule.validate(start: TestZones.local("2026-01-01T10:00:00"), utcOffsetOfStart: 3600)
        }
        #expect(
            RecurrenceRuleError.untilBeforeStart(until: "20200101T000000Z", start: "2026-01-01T10:00:00").description
                == "RRULE UNTIL=20200101T000000Z is before DTSTART 2026-01-01T10:00:00; allowed: UNTIL at or after DTSTART"
        )
    }

    @Test(arguments: [
        "FREQ=MONTHLY;BYDAY=2TU", "FREQ=WEEKLY;UNTIL=20271231T230000Z;INTERVAL=2;BYDAY=MO,TH;WKST=SU",
        "FREQ=YEARLY;COUNT=3;BYMONTH=1,4,7,10;BYSETPOS=-1",
    ])
    func textRoundTrips(_ text: String) throws {
        #expect(try RecurrenceRule(parsing: text).description == text)
    }
}

/// Hardening: the largest INTERVAL and COUNT the parser reads, with every FREQ and the parts
/// that multiply them, expand without a trap, in order, inside the window and the limit.
@Suite struct ExtremeRuleTests {
    @Test(arguments: RecurrenceRule.Frequency.allCases)
    func largestIntervalAndCountExpandWithoutATrap(frequency: RecurrenceRule.Frequency) throws {
        let zone = try TestZones.rules("Europe/Berlin")
        for extra in ["", ";BYDAY=MO,-1FR", ";BYMONTH=2;BYMONTHDAY=29", ";BYSETPOS=-1;BYHOUR=0,23", ";BYWEEKNO=53"] {
            let text =
                "FREQ=\(frequency.rawValue);INTERVAL=\(RecurrenceRule.maxInterval);COUNT=\(RecurrenceRule.maxCount)\(extra)"
            guard let rule = try? RecurrenceRule(parsing: text) else { continue }  // a part FREQ does not allow
            let start = LocalDateTime(year: 2026, month: 1, day: 5, hour: 10)
            let from = LocalDateTime(year: 2026, month: 1, day: 1)
            let to = LocalDateTime(year: 9999, month: 1, day: 1)
            let result = RecurrenceSet(start: .dateTime(start), zone: zone, rules: [rule]).expand(
                from: from, to: to, limit: 5)
            let times = result.occurrences.map(\.utc)
            #expect(times == times.sorted() && times.count <= 5, "\(text)")
            #expect(times.allSatisfy { $0 >= zone.utc(forLocal: from.localSeconds) }, "\(text)")
        }
    }
}
