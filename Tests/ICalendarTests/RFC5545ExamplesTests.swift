import Coordination
import ICalendar
import Platform
import Testing

/// The examples of RFC 5545 section 3.8.5.3 (America/New_York, as in the RFC), with the
/// instances the RFC lists, written out by hand as local wall times.
enum RFC5545Table {
    struct Example: Sendable, CustomTestStringConvertible {
        var name: String
        var start: String
        var rule: String
        /// Instances expected (local, minute precision); `count` checks the total when given.
        var expected: [String]
        var count: Int?
        var testDescription: String { name }
    }

    static let examples: [Example] = [
        .init(
            name: "daily for 10", start: "1997-09-02T09:00", rule: "FREQ=DAILY;COUNT=10",
            expected: (2...11).map { "1997-09-\($0 < 10 ? "0" : "")\($0)T09:00" }, count: 10),
        .init(
            name: "daily until Dec 24", start: "1997-09-02T09:00", rule: "FREQ=DAILY;UNTIL=19971224T000000Z",
            expected: ["1997-09-02T09:00", "1997-09-03T09:00"], count: 113),
        .init(
            name: "every other day", start: "1997-09-02T09:00", rule: "FREQ=DAILY;INTERVAL=2;COUNT=5",
            expected: [
                "1997-09-02T09:00", "1997-09-04T09:00", "1997-09-06T09:00", "1997-09-08T09:00", "1997-09-10T09:00",
            ]),
        .init(
            name: "every 10 days, 5", start: "1997-09-02T09:00", rule: "FREQ=DAILY;INTERVAL=10;COUNT=5",
            expected: [
                "1997-09-02T09:00", "1997-09-12T09:00", "1997-09-22T09:00", "1997-10-02T09:00", "1997-10-12T09:00",
            ]),
        .init(
            name: "every day in January for 3 years", start: "1998-01-01T09:00",
            rule: "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
            expected: ["1998-01-01T09:00", "1998-01-02T09:00"], count: 93),
        .init(
            name: "weekly for 10", start: "1997-09-02T09:00", rule: "FREQ=WEEKLY;COUNT=10",
            expected: [
                "1997-09-02T09:00", "1997-09-09T09:00", "1997-09-16T09:00", "1997-09-23T09:00", "1997-09-30T09:00",
                "1997-10-07T09:00", "1997-10-14T09:00", "1997-10-21T09:00", "1997-10-28T09:00", "1997-11-04T09:00",
            ]),
        .init(
            name: "Tuesday and Thursday for five weeks", start: "1997-09-02T09:00",
            rule: "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH",
            expected: [
                "1997-09-02T09:00", "1997-09-04T09:00", "1997-09-09T09:00", "1997-09-11T09:00", "1997-09-16T09:00",
                "1997-09-18T09:00", "1997-09-23T09:00", "1997-09-25T09:00", "1997-09-30T09:00", "1997-10-02T09:00",
            ], count: 10),
        .init(
            name: "every other week MO, WE, FR until Dec 24", start: "1997-09-01T09:00",
            rule: "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR",
            expected: ["1997-09-01T09:00", "1997-09-03T09:00", "1997-09-05T09:00", "1997-09-15T09:00"], count: 25),
        .init(
            name: "first Friday for 10", start: "1997-09-05T09:00", rule: "FREQ=MONTHLY;COUNT=10;BYDAY=1FR",
            expected: [
                "1997-09-05T09:00", "1997-10-03T09:00", "1997-11-07T09:00", "1997-12-05T09:00", "1998-01-02T09:00",
                "1998-02-06T09:00", "1998-03-06T09:00", "1998-04-03T09:00", "1998-05-01T09:00", "1998-06-05T09:00",
            ]),
        .init(
            name: "every other month first and last Sunday", start: "1997-09-07T09:00",
            rule: "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU",
            expected: [
                "1997-09-07T09:00", "1997-09-28T09:00", "1997-11-02T09:00", "1997-11-30T09:00", "1998-01-04T09:00",
                "1998-01-25T09:00", "1998-03-01T09:00", "1998-03-29T09:00", "1998-05-03T09:00", "1998-05-31T09:00",
            ]),
        .init(
            name: "second-to-last Monday for 6 months", start: "1997-09-22T09:00",
            rule: "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",
            expected: [
                "1997-09-22T09:00", "1997-10-20T09:00", "1997-11-17T09:00", "1997-12-22T09:00", "1998-01-19T09:00",
                "1998-02-16T09:00",
            ]),
        .init(
            name: "third-to-last day of the month", start: "1997-09-28T09:00",
            rule: "FREQ=MONTHLY;BYMONTHDAY=-3;COUNT=6",
            expected: [
                "1997-09-28T09:00", "1997-10-29T09:00", "1997-11-28T09:00", "1997-12-29T09:00", "1998-01-29T09:00",
                "1998-02-26T09:00",
            ]),
        .init(
            name: "2nd and 15th for 10", start: "1997-09-02T09:00", rule: "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15",
            expected: [
                "1997-09-02T09:00", "1997-09-15T09:00", "1997-10-02T09:00", "1997-10-15T09:00", "1997-11-02T09:00",
                "1997-11-15T09:00", "1997-12-02T09:00", "1997-12-15T09:00", "1998-01-02T09:00", "1998-01-15T09:00",
            ]),
        .init(
            name: "first and last day for 10", start: "1997-09-30T09:00", rule: "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1",
            expected: [
                "1997-09-30T09:00", "1997-10-01T09:00", "1997-10-31T09:00", "1997-11-01T09:00", "1997-11-30T09:00",
                "1997-12-01T09:00", "1997-12-31T09:00", "1998-01-01T09:00", "1998-01-31T09:00", "1998-02-01T09:00",
            ]),
        .init(
            name: "every 18 months 10th to 15th", start: "1997-09-10T09:00",
            rule: "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15",
            expected: [
                "1997-09-10T09:00", "1997-09-11T09:00", "1997-09-12T09:00", "1997-09-13T09:00", "1997-09-14T09:00",
                "1997-09-15T09:00", "1999-03-10T09:00", "1999-03-11T09:00", "1999-03-12T09:00", "1999-03-13T09:00",
            ]),
        .init(
            name: "every Tuesday every other month", start: "1997-09-02T09:00",
            rule: "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU;COUNT=9",
            expected: [
                "1997-09-02T09:00", "1997-09-09T09:00", "1997-09-16T09:00", "1997-09-23T09:00", "1997-09-30T09:00",
                "1997-11-04T09:00", "1997-11-11T09:00", "1997-11-18T09:00", "1997-11-25T09:00",
            ]),
        .init(
            name: "June and July for 10", start: "1997-06-10T09:00", rule: "FREQ=YEARLY;COUNT=10;BYMONTH=6,7",
            expected: [
                "1997-06-10T09:00", "1997-07-10T09:00", "1998-06-10T09:00", "1998-07-10T09:00", "1999-06-10T09:00",
                "1999-07-10T09:00", "2000-06-10T09:00", "2000-07-10T09:00", "2001-06-10T09:00", "2001-07-10T09:00",
            ]),
        .init(
            name: "every other year Jan-Mar", start: "1997-03-10T09:00",
            rule: "FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3",
            expected: [
                "1997-03-10T09:00", "1999-01-10T09:00", "1999-02-10T09:00", "1999-03-10T09:00", "2001-01-10T09:00",
                "2001-02-10T09:00", "2001-03-10T09:00", "2003-01-10T09:00", "2003-02-10T09:00", "2003-03-10T09:00",
            ]),
        .init(
            name: "every third year days 1, 100, 200", start: "1997-01-01T09:00",
            rule: "FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200",
            expected: [
                "1997-01-01T09:00", "1997-04-10T09:00", "1997-07-19T09:00", "2000-01-01T09:00", "2000-04-09T09:00",
                "2000-07-18T09:00", "2003-01-01T09:00", "2003-04-10T09:00", "2003-07-19T09:00", "2006-01-01T09:00",
            ]),
        .init(
            name: "20th Monday of the year", start: "1997-05-19T09:00", rule: "FREQ=YEARLY;BYDAY=20MO;COUNT=3",
            expected: ["1997-05-19T09:00", "1998-05-18T09:00", "1999-05-17T09:00"]),
        .init(
            name: "Monday of week 20", start: "1997-05-12T09:00", rule: "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO;COUNT=3",
            expected: ["1997-05-12T09:00", "1998-05-11T09:00", "1999-05-17T09:00"]),
        .init(
            name: "every Thursday in March", start: "1997-03-13T09:00", rule: "FREQ=YEARLY;BYMONTH=3;BYDAY=TH;COUNT=11",
            expected: [
                "1997-03-13T09:00", "1997-03-20T09:00", "1997-03-27T09:00", "1998-03-05T09:00", "1998-03-12T09:00",
                "1998-03-19T09:00", "1998-03-26T09:00", "1999-03-04T09:00", "1999-03-11T09:00", "1999-03-18T09:00",
                "1999-03-25T09:00",
            ]),
        .init(
            name: "Friday the 13th", start: "1998-02-13T09:00", rule: "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13;COUNT=5",
            expected: [
                "1998-02-13T09:00", "1998-03-13T09:00", "1998-11-13T09:00", "1999-08-13T09:00", "2000-10-13T09:00",
            ]),
        .init(
            name: "first Saturday after first Sunday", start: "1997-09-13T09:00",
            rule: "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13;COUNT=10",
            expected: [
                "1997-09-13T09:00", "1997-10-11T09:00", "1997-11-08T09:00", "1997-12-13T09:00", "1998-01-10T09:00",
                "1998-02-07T09:00", "1998-03-07T09:00", "1998-04-11T09:00", "1998-05-09T09:00", "1998-06-13T09:00",
            ]),
        .init(
            name: "US presidential election day", start: "1996-11-05T09:00",
            rule: "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8;COUNT=3",
            expected: ["1996-11-05T09:00", "2000-11-07T09:00", "2004-11-02T09:00"]),
        .init(
            name: "third of TU, WE, TH for 3 months", start: "1997-09-04T09:00",
            rule: "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3",
            expected: ["1997-09-04T09:00", "1997-10-07T09:00", "1997-11-06T09:00"]),
        .init(
            name: "second-to-last weekday", start: "1997-09-29T09:00",
            rule: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2;COUNT=7",
            expected: [
                "1997-09-29T09:00", "1997-10-30T09:00", "1997-11-27T09:00", "1997-12-30T09:00", "1998-01-29T09:00",
                "1998-02-26T09:00", "1998-03-30T09:00",
            ]),
        .init(
            name: "every 15 minutes for 6", start: "1997-09-02T09:00", rule: "FREQ=MINUTELY;INTERVAL=15;COUNT=6",
            expected: [
                "1997-09-02T09:00", "1997-09-02T09:15", "1997-09-02T09:30", "1997-09-02T09:45", "1997-09-02T10:00",
                "1997-09-02T10:15",
            ]),
        .init(
            name: "every hour and a half for 4", start: "1997-09-02T09:00", rule: "FREQ=MINUTELY;INTERVAL=90;COUNT=4",
            expected: ["1997-09-02T09:00", "1997-09-02T10:30", "1997-09-02T12:00", "1997-09-02T13:30"]),
        .init(
            name: "every 20 minutes 9:00-16:40 (DAILY)", start: "1997-09-02T09:00",
            rule: "FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40;COUNT=26",
            expected: ["1997-09-02T09:00", "1997-09-02T09:20", "1997-09-02T09:40", "1997-09-02T10:00"]),
        .init(
            name: "every 20 minutes 9:00-16:40 (MINUTELY)", start: "1997-09-02T09:00",
            rule: "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16;COUNT=26",
            expected: ["1997-09-02T09:00", "1997-09-02T09:20", "1997-09-02T09:40", "1997-09-02T10:00"]),
        .init(
            name: "WKST=MO", start: "1997-08-05T09:00", rule: "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
            expected: ["1997-08-05T09:00", "1997-08-10T09:00", "1997-08-19T09:00", "1997-08-24T09:00"]),
        .init(
            name: "WKST=SU", start: "1997-08-05T09:00", rule: "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
            expected: ["1997-08-05T09:00", "1997-08-17T09:00", "1997-08-19T09:00", "1997-08-31T09:00"]),
        .init(
            name: "invalid dates are skipped", start: "2007-01-15T09:00", rule: "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5",
            expected: [
                "2007-01-15T09:00", "2007-01-30T09:00", "2007-02-15T09:00", "2007-03-15T09:00", "2007-03-30T09:00",
            ]),
    ]
}

struct RFC5545ExamplesTests {
    static func expand(_ start: String, _ rule: String) throws -> Expansion {
        let c = RandomCase(zone: "America/New_York", start: start, rule: rule)
        let set = RecurrenceSet(
            start: .dateTime(c.start), zone: try SystemTimeZones.rules(for: c.zone),
            rules: [try RecurrenceRule(parsing: rule)])
        try set.validate()
        return set.expand()
    }

    @Test(arguments: RFC5545Table.examples)
    func example(_ e: RFC5545Table.Example) throws {
        let expansion = try Self.expand(e.start, e.rule)
        let got = expansion.occurrences.map { String($0.local.description.prefix(16)) }
        #expect(Array(got.prefix(e.expected.count)) == e.expected)
        if let count = e.count { #expect(got.count == count) }
        #expect(!expansion.cutOff)
    }

    @Test func offsetsFollowNewYorkDaylightSavingTime() throws {
        let expansion = try Self.expand("1997-10-20T09:00", "FREQ=WEEKLY;COUNT=2")
        #expect(expansion.occurrences.map(\.formatted) == ["1997-10-20T09:00:00-04:00", "1997-10-27T09:00:00-05:00"])
    }
}
