import Coordination
import GremienTestSupport
import Platform
import Testing

/// Hardening (issue 12): random rules built from the extreme values of every part of RFC 5545
/// 3.3.10 (and some just outside them), from a fixed seed. Each is either refused with a message
/// that names a part, or expands without a trap to instances in order, inside the window and
/// within the limit. A trap would end the test process. The rules come from the differential
/// test's generator (`SplitMix64`), with another seed.
@Suite struct RandomRuleTests {
    static func pick<T>(_ values: [T], _ random: inout SplitMix64) -> T { values[random.below(values.count)] }

    static let parts: [(String, [String])] = [
        ("INTERVAL", ["0", "1", "2", "7", "53", "9999", "10000", "10001", "9223372036854775807", "-1", "x"]),
        ("COUNT", ["0", "1", "3", "1000", "1000000", "1000001", "9223372036854775807", "-5"]),
        ("UNTIL", ["19000101", "20260105T100000Z", "20270101", "99991231T235959Z", "00010101T000000Z", "2026"]),
        ("BYSECOND", ["0", "59", "60", "61", "-1", "0,15,30,45"]),
        ("BYMINUTE", ["0", "59", "60", "0,30"]),
        ("BYHOUR", ["0", "23", "24", "0,12,23"]),
        ("BYDAY", ["MO", "-5SU", "53MO", "-53FR", "54MO", "1FR", "+1TU", "0MO", "MO,TU,WE,TH,FR,SA,SU", "XX"]),
        ("BYMONTHDAY", ["1", "31", "-31", "0", "32", "29,30,31", "-1"]),
        ("BYYEARDAY", ["1", "366", "-366", "367", "0", "60"]),
        ("BYWEEKNO", ["1", "53", "-53", "54", "0", "-1"]),
        ("BYMONTH", ["1", "2", "12", "13", "0", "2,4,6"]),
        ("BYSETPOS", ["1", "-1", "366", "-366", "367", "0"]),
        ("WKST", ["MO", "SU", "XX"]),
    ]

    static let starts = [
        LocalDateTime(year: 2026, month: 1, day: 5, hour: 10),
        LocalDateTime(year: 2026, month: 3, day: 29, hour: 2, minute: 30),  // in the spring-forward gap
        LocalDateTime(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59),
        LocalDateTime(year: 1, month: 1, day: 1),
        LocalDateTime(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59),
    ]

    @Test func randomExtremeRulesAreRefusedClearlyOrExpandInsideTheWindow() throws {
        let zone = try #require(SystemTimeZones.lookup("Europe/Berlin"))
        var random = SplitMix64(seed: 20_261_130)
        var refused = 0
        var expanded = 0
        var instances = 0
        for _ in 0..<3000 {
            var text = "FREQ=" + Self.pick(RecurrenceRule.Frequency.allCases, &random).rawValue
            for (name, values) in Self.parts where random.chance(25) {
                text += ";\(name)=\(Self.pick(values, &random))"
            }
            let start = Self.pick(Self.starts, &random)
            let rule: RecurrenceRule
            do {
                rule = try RecurrenceRule(parsing: text)
                try rule.validate(start: start, utcOffsetOfStart: zone.offset(forLocal: start.localSeconds))
            } catch {
                let message = error.description
                #expect(message.hasPrefix("RRULE "), "\(text): \(message)")
                #expect(message.count < 400, "\(text): \(message)")
                refused += 1
                continue
            }
            let from = LocalDateTime(localSeconds: start.localSeconds - Int64(random.next() % 86_400))
            let days = Int64(Self.pick([1, 31, 400], &random))
            let to = LocalDateTime(localSeconds: from.localSeconds + days * 86_400)
            let limit = Self.pick([1, 10, 500], &random)
            let result = RecurrenceSet(start: .dateTime(start), zone: zone, rules: [rule]).expand(
                from: from, to: to, limit: limit)
            let times = result.occurrences.map(\.utc)
            let lower = zone.utc(forLocal: from.localSeconds)
            let upper = zone.utc(forLocal: to.localSeconds)
            #expect(times == times.sorted(), "\(text) from \(start)")
            #expect(times.count <= limit, "\(text) from \(start)")
            #expect(times.allSatisfy { $0 >= lower && $0 < upper }, "\(text) from \(start): \(times.prefix(3))")
            expanded += 1
            instances += times.count
        }
        #expect(refused > 500 && expanded > 500, "refused \(refused), expanded \(expanded)")
        print("random rules: \(refused) refused, \(expanded) expanded to \(instances) instances")
    }
}
