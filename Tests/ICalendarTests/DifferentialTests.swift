import Coordination
import Foundation
import GremienTestSupport
import ICalendar
import Platform
import Testing

/// Our engine and libical 3.0.16 side by side: on the RFC 5545 table and on a few thousand
/// random rules (fixed seed, every FREQ and BY-part, several zones). They must agree except
/// where libical has one of the defects listed in `LibicalDefect`, each with its reason.
struct DifferentialTests {
    static let zones = [
        "UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo",
    ]
    static let ruleCount = 3000

    @Test func randomRulesAgreeWithLibicalExceptKnownDefects() throws {
        var rng = SplitMix64(seed: 0x6772_656D_6965_6E)
        let cases = (0..<Self.ruleCount).map { _ in RandomCase(&rng) }
        // In parts, each with an oracle of its own, on every core: in one piece this test ran
        // alone on one core for the last half of `swift test`. The parts' summaries together
        // are the one a single run gives (cases are independent, unexplained ones in order).
        let parts = 4
        let size = (cases.count + parts - 1) / parts
        let results = ParallelResults<Summary, any Error>(count: parts)
        results.run(parts, state: {}) { part, _ in
            try Self.run(Array(cases[part * size..<min(cases.count, part * size + size)]))
        }
        let summary = try results.values().reduce(into: Summary()) { $0.add($1) }
        #expect(
            summary.unexplained.isEmpty,
            Comment(
                rawValue: "\(summary.unexplained.count) unexplained:\n"
                    + summary.unexplained.prefix(30).joined(separator: "\n")))
        #expect(summary.agreed > Self.ruleCount / 2)
        print("differential: \(summary.agreed) of \(cases.count) agree; explained: \(summary.explainedText)")
    }

    @Test func rfcTableAgreesWithLibical() throws {
        let cases = RFC5545Table.examples.map { RandomCase(zone: "America/New_York", start: $0.start, rule: $0.rule) }
        let summary = try Self.run(cases)
        #expect(summary.unexplained.isEmpty, Comment(rawValue: summary.unexplained.joined(separator: "\n")))
        #expect(summary.agreed == cases.count)
    }

    struct Summary {
        var agreed = 0
        var explained: [LibicalDefect: Int] = [:]
        var unexplained: [String] = []

        /// Adds the counts and unexplained cases of another part of the cases (after these).
        mutating func add(_ other: Summary) {
            agreed += other.agreed
            explained.merge(other.explained, uniquingKeysWith: +)
            unexplained += other.unexplained
        }

        var explainedText: String {
            explained.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue): \($0.value)" }.joined(
                separator: ", ")
        }
    }

    /// Compares our expansion with libical's for every case. Where they differ (or libical
    /// crashes or refuses a rule we read), libical is asked again with one of its defects worked
    /// around (`Variant`); only when that answer agrees with ours does the defect count as the
    /// explanation. Nothing is explained by the rule's shape alone.
    static func run(_ cases: [RandomCase]) throws -> Summary {
        let answers = try LibicalOracle.answers(cases)
        var summary = Summary()
        var pending: [Pending] = []
        for (index, (c, answer)) in zip(cases, answers).enumerated() {
            let zone = try SystemTimeZones.rules(for: c.zone)
            let rule = try RecurrenceRule(parsing: c.rule)
            let ours = RecurrenceSet(start: .dateTime(c.start), zone: zone, rules: [rule]).expand(limit: c.limit)
                .occurrences
            // Made only for a case that does not agree: the same rule in UTC and the workarounds.
            func variants(_ theirs: [LibicalInstance]? = nil) -> [Variant] {
                let probe = Pending(index: index, ours: ours, theirs: theirs, variants: [], outcome: "")
                let inUTC =
                    Self.touchesGapOrFold(probe, c, zone)
                    ? RecurrenceSet(start: .dateTime(c.start), zone: .utc, rules: [rule]).expand(limit: c.limit)
                        .occurrences.map(\.nominalSeconds) : nil
                return Variant.candidates(for: rule, start: c.start, oursInUTC: inUTC)
            }
            switch answer {
            case .crashed:
                pending.append(Pending(index: index, ours: ours, theirs: nil, variants: variants(), outcome: "crashed"))
            case .refused(let why):
                pending.append(
                    Pending(index: index, ours: ours, theirs: nil, variants: variants(), outcome: "refused (\(why))"))
            case .instants(let theirs):
                if ours.map(\.utc) == theirs.map(\.utc) {
                    summary.agreed += 1
                } else if ours.map(\.nominalSeconds) == theirs.map(\.local), Self.foundationAgrees(ours, c.zone) {
                    // The same wall times; libical's zone offsets differ from tzdata's, and
                    // Foundation's own zone data agrees with ours.
                    summary.explained[.zoneConversion, default: 0] += 1
                } else {
                    pending.append(
                        Pending(index: index, ours: ours, theirs: theirs, variants: variants(theirs), outcome: ""))
                }
            }
        }
        // First the targeted workarounds; what they leave, with libical asked only for every day
        // of the rule's months and the day parts applied here.
        pending = try recheck(pending, cases, &summary)
        for i in pending.indices {
            let c = cases[pending[i].index]
            let rule = try RecurrenceRule(parsing: c.rule)
            pending[i].variants = Variant.dayPartsApplied(rule, start: c.start).map { [$0] } ?? []
        }
        pending = try recheck(pending, cases, &summary)
        for p in pending {
            let c = cases[p.index]
            let zone = try SystemTimeZones.rules(for: c.zone)
            let o = p.ours.prefix(6).map(\.formatted).joined(separator: " ")
            let t = (p.theirs ?? []).prefix(6).map { i in
                Occurrence(utc: i.utc, offset: zone.offset(atUTC: i.utc), nominalSeconds: 0, isDate: false).formatted
            }.joined(separator: " ")
            summary.unexplained.append(
                "\(c.zone) \(c.start) \(c.rule)\n  ours    (\(p.ours.count)) \(o)\n  libical \(p.outcome)(\(p.theirs?.count ?? 0)) \(t)"
            )
        }
        return summary
    }

    /// Asks libical about every variant of every pending case and counts those a variant
    /// confirms; returns the cases still unexplained.
    static func recheck(_ pending: [Pending], _ cases: [RandomCase], _ summary: inout Summary) throws -> [Pending] {
        var questions: [RandomCase] = []
        for p in pending {
            let c = cases[p.index]
            for v in p.variants {
                questions.append(RandomCase(zone: v.zone ?? c.zone, start: c.start, rule: v.rule, limit: v.limit))
            }
        }
        var reanswers = try LibicalOracle.answers(questions)[...]
        var left: [Pending] = []
        for p in pending {
            let c = cases[p.index]
            let zone = try SystemTimeZones.rules(for: c.zone)
            var verdict: LibicalDefect?
            for v in p.variants {
                let answer = reanswers.popFirst()
                guard verdict == nil, case .instants(let again)? = answer else { continue }
                if v.confirms(
                    ours: p.ours, complete: p.ours.count < c.limit, start: c.start.localSeconds, original: p.theirs,
                    variant: again)
                {
                    verdict = p.theirs == nil ? (p.outcome == "crashed" ? .crashed : .refused) : v.defect
                    if v.defect == .gapOrFold, p.theirs != nil, !Self.touchesGapOrFold(p, c, zone) {
                        verdict = .zoneConversion
                    }
                }
            }
            if let verdict {
                summary.explained[verdict, default: 0] += 1
            } else {
                left.append(p)
            }
        }
        return left
    }

    /// A case whose difference is still to be explained.
    struct Pending {
        var index: Int
        var ours: [Occurrence]
        /// libical's instances; `nil` when it crashed or refused the rule.
        var theirs: [LibicalInstance]?
        var variants: [Variant]
        var outcome: String
    }

    /// Whether Foundation's zone data gives every one of our instances the offset we gave it.
    static func foundationAgrees(_ ours: [Occurrence], _ identifier: String) -> Bool {
        guard let foundation = TimeZone(identifier: identifier) else { return false }
        return ours.allSatisfy {
            foundation.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval($0.utc))) == $0.offset
        }
    }

    /// Whether a wall time of the case (its start, ours or libical's) lies in a gap or fold of
    /// the zone, or a sub-daily rule crosses a change of offset.
    static func touchesGapOrFold(_ p: Pending, _ c: RandomCase, _ zone: ZoneRules) -> Bool {
        let locals = p.ours.map(\.nominalSeconds) + (p.theirs ?? []).map(\.local) + [c.start.localSeconds]
        if locals.contains(where: { LibicalDefect.isGapOrFold($0, zone) }) { return true }
        let first = zone.utc(forLocal: c.start.localSeconds)
        let last = max(p.ours.last?.utc ?? first, p.theirs?.last?.utc ?? first)
        return zone.transitions.contains { $0.utc > first && $0.utc <= last }
    }
}

/// One instance as libical produced it: its wall-clock time and the UTC instant it converted it to.
struct LibicalInstance: Equatable {
    var local: Int64
    var utc: Int64
}

/// Runs libical in the `libical-oracle` process (libical 3.0.16 crashes on some valid rules);
/// after a crash the rest of the cases go to a new oracle.
enum LibicalOracle {
    enum Answer {
        case instants([LibicalInstance])
        case refused(String)
        case crashed
    }

    static var executable: URL {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [here, here.deletingLastPathComponent()].map { $0.appendingPathComponent("libical-oracle") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    static func answers(_ cases: [RandomCase]) throws -> [Answer] {
        var answers: [Answer] = []
        while answers.count < cases.count {
            let rest = cases[answers.count...]
            let input = FileManager.default.temporaryDirectory.appendingPathComponent("oracle-\(UUID().uuidString).tsv")
            try rest.map { "\($0.zone)\t\($0.start.basicFormat)\t\($0.rule)\t\($0.limit)" }.joined(separator: "\n")
                .write(to: input, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: input) }
            let process = Process()
            process.executableURL = executable
            process.arguments = [input.path]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let before = answers.count
            answers += parse([UInt8](data))
            if answers.count < cases.count {
                guard process.terminationReason == .uncaughtSignal || answers.count > before else {
                    throw CocoaError(.executableLoad)
                }
                answers.append(.crashed)
            }
        }
        return answers
    }

    /// The oracle's lines: `ok<TAB>local:utc,local:utc,…` or `refused<TAB>why`. Read byte by
    /// byte: supersets of the workarounds run to hundreds of thousands of instances.
    static func parse(_ bytes: [UInt8]) -> [Answer] {
        var answers: [Answer] = []
        var i = 0
        let n = bytes.count
        func number() -> Int64 {
            var negative = false
            if i < n && bytes[i] == UInt8(ascii: "-") {
                negative = true
                i += 1
            }
            var value: Int64 = 0
            while i < n, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                value = value * 10 + Int64(bytes[i] - 0x30)
                i += 1
            }
            return negative ? -value : value
        }
        while i < n {
            var end = i
            while end < n && bytes[end] != UInt8(ascii: "\t") && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            let word = String(decoding: bytes[i..<end], as: UTF8.self)
            i = end
            if i < n && bytes[i] == UInt8(ascii: "\t") { i += 1 }
            if word == "ok" {
                var values: [LibicalInstance] = []
                while i < n && bytes[i] != UInt8(ascii: "\n") {
                    let local = number()
                    if i < n && bytes[i] == UInt8(ascii: ":") { i += 1 }
                    let utc = number()
                    values.append(LibicalInstance(local: local, utc: utc))
                    if i < n && bytes[i] == UInt8(ascii: ",") { i += 1 }
                }
                answers.append(.instants(values))
            } else {
                var stop = i
                while stop < n && bytes[stop] != UInt8(ascii: "\n") { stop += 1 }
                answers.append(.refused(stop > i ? String(decoding: bytes[i..<stop], as: UTF8.self) : "?"))
                i = stop
            }
            if i < n { i += 1 }
        }
        return answers
    }
}

/// The places where libical 3.0.16 departs from RFC 5545 and our engine follows the RFC.
enum LibicalDefect: String, CaseIterable, Sendable {
    /// RFC 5545 3.3.5: a wall time in a spring-forward gap is read with the offset before the
    /// gap, for that instance only; an ambiguous time means its first occurrence. libical keeps
    /// the shifted time for later instances, reads ambiguous times with the second offset, and
    /// its HOURLY/MINUTELY/SECONDLY steps lose their grid when they cross a change.
    case gapOrFold = "DST gap or fold"
    /// libical's built-in zones (VTIMEZONEs it generates from the system's TZif files) give
    /// other offsets than tzdata for some past dates (America/Sao_Paulo 2014 among them); the
    /// wall times agree, and Foundation's zone data agrees with ours.
    case zoneConversion = "libical zone offsets"
    /// RFC 5545 3.3.10: BYSETPOS selects among the instances of the period. libical counts
    /// days and ignores the times from BYHOUR/BYMINUTE/BYSECOND.
    case setPosWithTimes = "BYSETPOS with several times per period"
    /// libical ignores BYSETPOS altogether for some rules (positions beyond the period's
    /// instances among them): asked again without BYSETPOS it answers the same.
    case setPosIgnored = "BYSETPOS ignored"
    /// RFC 5545 3.3.10 (table): BYMONTHDAY limits FREQ=DAILY. libical 3.0.16 returns nothing
    /// (or wrong days) for negative values and some combinations.
    case dailyByMonthDay = "FREQ=DAILY with BYMONTHDAY"
    /// RFC 5545 3.3.10: week numbers follow ISO 8601 with WKST; week 53 exists only in some
    /// years. libical produces days of week 53 in years without one, mis-numbers weeks that
    /// start in the previous year, and crashes on some BYWEEKNO rules (a bad pointer dereference).
    case weekNumbers = "BYWEEKNO"
    /// BY-lists are sets: instances come in time order, each once. libical walks BYHOUR,
    /// BYMINUTE, BYSECOND (and repeated BYDAY entries) in the order written, repeats, and so
    /// counts COUNT differently; with the lists sorted it agrees with us.
    case listOrder = "BY-lists taken as written"
    /// RFC 5545 3.3.10: with FREQ=YEARLY, BYMONTHDAY and BYDAY expand over the whole year.
    /// libical keeps to DTSTART's month when BYMONTH is absent; with BYMONTH=1..12 it agrees.
    case yearlyMonthDay = "YEARLY BYMONTHDAY/BYDAY only in DTSTART's month"
    /// RFC 5545 3.3.10: INTERVAL steps the period (every 4th minute); a BY-part of the same
    /// unit filters those steps. libical ignores INTERVAL once BYHOUR/BYMINUTE/BYSECOND is given.
    case intervalIgnored = "INTERVAL ignored on finer frequencies"
    /// For HOURLY, MINUTELY and SECONDLY rules with BYHOUR/BYMINUTE/BYSECOND, libical keeps
    /// DTSTART's minute and second when a limit moves it to a later hour, and skips the first
    /// matching period (FREQ=MINUTELY;BYMINUTE=35 from 06:00 starts at 07:35).
    case finerSteps = "finer frequencies with BY-time limits"
    /// RFC 5545 3.3.10: WEEKLY;INTERVAL=n steps whole weeks that begin on WKST, counted from
    /// the week of DTSTART. libical loses that grid with WKST other than MO or with BYMONTH
    /// (it lands a week early or late).
    case weeklyGrid = "WEEKLY INTERVAL grid with WKST or BYMONTH"
    /// libical refuses some valid rules (icalrecur_iterator_new returns NULL): BYSETPOS with
    /// BYHOUR/BYSECOND in MONTHLY or YEARLY, BYWEEKNO or BYYEARDAY with other day parts.
    case refused = "refused by libical"
    /// libical 3.0.16 dereferences a bad pointer for some valid rules (FREQ=YEARLY;BYWEEKNO=24)
    /// and the oracle process dies; asked again with the defect worked around, it agrees.
    case crashed = "crashed libical"
    /// RFC 5545 3.3.10: in YEARLY and MONTHLY rules BYYEARDAY, BYMONTHDAY and BYDAY (numbered
    /// within the month or year) limit each other, and BYSETPOS picks among the result. libical
    /// gets some of these combinations wrong; asked only for the days, with the parts applied
    /// here, it agrees with us.
    case dayParts = "YEARLY/MONTHLY day parts combined"

    /// Whether a wall time does not exist (gap) or exists twice (fold) in the zone.
    static func isGapOrFold(_ local: Int64, _ zone: ZoneRules) -> Bool {
        let candidates = Set([
            zone.offset(atUTC: local - 86_400), zone.offset(atUTC: local + 86_400), zone.offset(atUTC: local),
        ])
        let valid = candidates.filter { zone.offset(atUTC: local - Int64($0)) == $0 }
        return valid.count != 1
    }
}

/// A random but valid rule, start and zone.
struct RandomCase {
    var zone: String
    var start: LocalDateTime
    var rule: String
    /// How many instances are asked for; `nil`: `limit`.
    var given: Int?

    /// Instances compared: COUNT when the rule has one, else 20.
    var limit: Int {
        given ?? (try? RecurrenceRule(parsing: rule).count).flatMap { $0 } ?? 20
    }

    init(zone: String, start: LocalDateTime, rule: String, limit: Int? = nil) {
        (self.zone, self.start, self.rule, self.given) = (zone, start, rule, limit)
    }

    init(zone: String, start: String, rule: String) {
        self.zone = zone
        self.rule = rule
        let compact = start.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        if case .dateTime(let t, _) = ICalDateText.parse(compact + (compact.count == 13 ? "00" : "")) {
            self.start = t
        } else {
            self.start = LocalDateTime(year: 1970, month: 1, day: 1)
        }
    }

    init(_ rng: inout SplitMix64) {
        zone = DifferentialTests.zones[rng.below(DifferentialTests.zones.count)]
        let freq = RecurrenceRule.Frequency.allCases[rng.below(7)]
        let subDaily = freq < .daily
        let year = 1995 + rng.below(35)
        let month = 1 + rng.below(12)
        let day = 1 + rng.below(CivilDate.daysInMonth(year: year, month: month))
        start = LocalDateTime(
            year: year, month: month, day: day, hour: rng.below(24), minute: rng.chance(50) ? 0 : rng.below(60),
            second: subDaily && rng.chance(30) ? rng.below(60) : 0)
        var parts = ["FREQ=\(freq.rawValue)"]
        parts.append("COUNT=\(1 + rng.below(subDaily ? 30 : 15))")
        if rng.chance(40) { parts.append("INTERVAL=\(2 + rng.below(3))") }
        var hasBy = false
        func list(_ name: String, _ n: Int, _ make: (inout SplitMix64) -> Int) {
            let values = (0..<n).map { _ in make(&rng) }
            parts.append("\(name)=" + values.map(String.init).joined(separator: ","))
            hasBy = true
        }
        func signed(_ r: inout SplitMix64, _ max: Int) -> Int { (1 + r.below(max)) * (r.chance(30) ? -1 : 1) }
        // libical walks finer rules one step at a time through ICU: a sparse day filter there
        // takes it seconds to minutes. So SECONDLY gets no day-level part, and HOURLY and
        // MINUTELY one that matches often (a month, a weekday, a day of the month up to 28).
        let fine = freq < .daily
        var dayParts = freq == .secondly ? 0 : fine ? 1 : 4
        func dayPart(_ percent: Int) -> Bool {
            guard dayParts > 0, rng.chance(percent) else { return false }
            dayParts -= 1
            return true
        }
        if dayPart(20) { list("BYMONTH", 1 + rng.below(3)) { 1 + $0.below(12) } }
        if freq == .yearly && dayPart(15) { list("BYWEEKNO", 1 + rng.below(2)) { signed(&$0, 53) } }
        if freq == .yearly && dayPart(15) { list("BYYEARDAY", 1 + rng.below(3)) { signed(&$0, 366) } }
        if freq != .weekly && dayPart(25) {
            list("BYMONTHDAY", 1 + rng.below(3)) { fine ? 1 + $0.below(28) : signed(&$0, 31) }
        }
        if dayPart(40) {
            let numbered =
                !fine && (freq == .monthly || (freq == .yearly && !parts.contains { $0.hasPrefix("BYWEEKNO") }))
                && rng.chance(50)
            let maxOrdinal = freq == .monthly ? 5 : 53
            let days = (0..<(1 + rng.below(3))).map { _ in
                (numbered ? "\(signed(&rng, maxOrdinal))" : "") + Weekday.allCases[rng.below(7)].code
            }
            parts.append("BYDAY=" + days.joined(separator: ","))
            hasBy = true
        }
        if rng.chance(20) { list("BYHOUR", 1 + rng.below(3)) { $0.below(24) } }
        if rng.chance(20) { list("BYMINUTE", 1 + rng.below(3)) { $0.below(60) } }
        if rng.chance(10) { list("BYSECOND", 1 + rng.below(2)) { $0.below(60) } }
        if hasBy && freq >= .hourly && rng.chance(20) { list("BYSETPOS", 1 + rng.below(2)) { signed(&$0, 5) } }
        if rng.chance(20) { parts.append("WKST=" + Weekday.allCases[rng.below(7)].code) }
        rule = parts.joined(separator: ";")
    }
}
