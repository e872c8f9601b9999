import Coordination
import Foundation
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
        let summary = try Self.run(cases)
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

        var explainedText: String {
            explained.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue): \($0.value)" }.joined(
                separator: ", ")
        }
    }

    static func run(_ cases: [RandomCase]) throws -> Summary {
        let answers = try LibicalOracle.answers(cases)
        var summary = Summary()
        var pending: [(index: Int, ours: [Occurrence], theirs: [LibicalInstance], variants: [Variant])] = []
        for (index, (c, answer)) in zip(cases, answers).enumerated() {
            let zone = try SystemTimeZones.rules(for: c.zone)
            let rule = try RecurrenceRule(parsing: c.rule)
            let ours = RecurrenceSet(start: .dateTime(c.start), zone: zone, rules: [rule]).expand(limit: c.limit)
                .occurrences
            switch answer {
            case .crashed:
                if let d = LibicalDefect.explainCrash(rule: rule) {
                    summary.explained[d, default: 0] += 1
                } else {
                    summary.unexplained.append("libical crashed: \(c.zone) \(c.start) \(c.rule)")
                }
            case .refused(let why):
                // libical 3.0.16 refuses some valid combinations (icalrecur_iterator_new returns NULL).
                if LibicalDefect.explainRefusal(rule: rule) {
                    summary.explained[.refused, default: 0] += 1
                } else {
                    summary.unexplained.append("libical refused (\(why)): \(c.zone) \(c.start) \(c.rule)")
                }
            case .instants(let theirs):
                if ours.map(\.utc) == theirs.map(\.utc) {
                    summary.agreed += 1
                } else if let d = LibicalDefect.explain(
                    rule: rule, zone: zone, ours: ours, theirs: theirs, start: c.start)
                {
                    summary.explained[d, default: 0] += 1
                } else {
                    pending.append((index, ours, theirs, Variant.candidates(for: rule)))
                }
            }
        }
        // What is left is checked by asking libical again with one of its defects worked
        // around: if it then agrees with us, that defect explains the difference.
        var recheck: [RandomCase] = []
        for p in pending {
            for v in p.variants {
                recheck.append(
                    RandomCase(zone: cases[p.index].zone, start: cases[p.index].start.description, rule: v.rule))
            }
        }
        var reanswers = try LibicalOracle.answers(recheck)[...]
        for p in pending {
            let c = cases[p.index]
            var verdict: LibicalDefect?
            for v in p.variants {
                let answer = reanswers.popFirst()
                guard verdict == nil, case .instants(let again)? = answer else { continue }
                if v.confirms(ours: p.ours, original: p.theirs, variant: again) { verdict = v.defect }
            }
            let fallback = LibicalDefect.fallback(rule: try RecurrenceRule(parsing: c.rule))
            if let verdict = verdict ?? fallback {
                summary.explained[verdict, default: 0] += 1
                continue
            }
            let zone = try SystemTimeZones.rules(for: c.zone)
            let o = p.ours.prefix(6).map(\.formatted).joined(separator: " ")
            let t = p.theirs.prefix(6).map { i in
                Occurrence(utc: i.utc, offset: zone.offset(atUTC: i.utc), nominalSeconds: 0, isDate: false).formatted
            }.joined(separator: " ")
            summary.unexplained.append(
                "\(c.zone) \(c.start) \(c.rule)\n  ours    (\(p.ours.count)) \(o)\n  libical (\(p.theirs.count)) \(t)")
        }
        return summary
    }
}

/// One instance as libical produced it: its wall-clock time and the UTC instant it converted it to.
struct LibicalInstance: Equatable {
    var local: Int64
    var utc: Int64
}

/// A rule rewritten to step around one libical defect, and how to tell that the defect was the cause.
struct Variant {
    var rule: String
    var defect: LibicalDefect

    /// The variants worth asking libical about for a rule.
    static func candidates(for rule: RecurrenceRule) -> [Variant] {
        var result: [Variant] = []
        var sorted = rule
        sorted.bySecond = Array(Set(rule.bySecond)).sorted()
        sorted.byMinute = Array(Set(rule.byMinute)).sorted()
        sorted.byHour = Array(Set(rule.byHour)).sorted()
        sorted.byMonth = Array(Set(rule.byMonth)).sorted()
        sorted.byMonthDay = Array(Set(rule.byMonthDay)).sorted()
        sorted.byYearDay = Array(Set(rule.byYearDay)).sorted()
        sorted.byWeekNo = Array(Set(rule.byWeekNo)).sorted()
        var seenDays = Set<RecurrenceRule.WeekdayNumber>()
        sorted.byDay = rule.byDay.filter { seenDays.insert($0).inserted }
        if sorted != rule { result.append(Variant(rule: sorted.description, defect: .listOrder)) }
        if rule.frequency == .yearly && rule.byMonth.isEmpty && rule.byWeekNo.isEmpty && rule.byYearDay.isEmpty
            && (!rule.byMonthDay.isEmpty || !rule.byDay.isEmpty) && rule.byDay.allSatisfy({ $0.ordinal == 0 })
        {
            var all = sorted
            all.byMonth = Array(1...12)
            result.append(Variant(rule: all.description, defect: .yearlyMonthDay))
        }
        if !rule.bySetPos.isEmpty {
            var without = rule
            without.bySetPos = []
            result.append(Variant(rule: without.description, defect: .setPosIgnored))
        }
        if rule.frequency < .daily && rule.interval > 1 {
            var every = rule
            every.interval = 1
            result.append(Variant(rule: every.description, defect: .intervalIgnored))
        }
        return result
    }

    func confirms(ours: [Occurrence], original: [LibicalInstance], variant: [LibicalInstance]) -> Bool {
        switch defect {
        case .listOrder, .yearlyMonthDay:
            // Worked around, libical gives our wall times (its zone offsets may still differ).
            return variant.map(\.local) == ours.map(\.nominalSeconds)
        case .setPosIgnored, .intervalIgnored:
            // libical gives the same without BYSETPOS (or INTERVAL): it ignored it.
            return variant == original
        default:
            return false
        }
    }
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
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let fields = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
                if fields.first == "ok" {
                    let values =
                        fields.count > 1
                        ? fields[1].split(separator: ",").compactMap { pair -> LibicalInstance? in
                            let parts = pair.split(separator: ":")
                            guard parts.count == 2, let l = Int64(parts[0]), let u = Int64(parts[1]) else { return nil }
                            return LibicalInstance(local: l, utc: u)
                        } : []
                    answers.append(.instants(values))
                } else {
                    answers.append(.refused(fields.count > 1 ? String(fields[1]) : "?"))
                }
            }
            if answers.count < cases.count {
                guard process.terminationReason == .uncaughtSignal || answers.count > before else {
                    throw CocoaError(.executableLoad)
                }
                answers.append(.crashed)
            }
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

    /// libical 3.0.16 dereferences a bad pointer for some BYWEEKNO rules (FREQ=YEARLY;BYWEEKNO=24).
    static func explainCrash(rule: RecurrenceRule) -> LibicalDefect? {
        rule.byWeekNo.isEmpty ? nil : .weekNumbers
    }

    static func explainRefusal(rule: RecurrenceRule) -> Bool {
        rule.frequency == .yearly || rule.frequency == .monthly
    }

    static func explain(
        rule: RecurrenceRule, zone: ZoneRules, ours: [Occurrence], theirs: [LibicalInstance], start: LocalDateTime
    ) -> LibicalDefect? {
        let oursLocal = ours.map(\.nominalSeconds)
        let theirsLocal = theirs.map(\.local)
        let touchesGap =
            oursLocal.contains { isGapOrFold($0, zone) } || theirsLocal.contains { isGapOrFold($0, zone) }
            || isGapOrFold(start.localSeconds, zone)
        if oursLocal == theirsLocal {
            if touchesGap { return .gapOrFold }
            if let foundation = TimeZone(identifier: zone.identifier),
                ours.allSatisfy({
                    foundation.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval($0.utc))) == $0.offset
                })
            {
                return .zoneConversion
            }
            return nil
        }
        if touchesGap { return .gapOrFold }
        if rule.frequency < .daily {
            let last = max(oursLocal.last ?? 0, theirsLocal.last ?? 0)
            let begin = zone.utc(forLocal: start.localSeconds)
            if zone.transitions.contains(where: { $0.utc > begin && $0.utc <= last }) { return .gapOrFold }
        }
        if !rule.byWeekNo.isEmpty { return .weekNumbers }
        if rule.frequency == .weekly && rule.interval > 1 && (rule.weekStart != .monday || !rule.byMonth.isEmpty) {
            return .weeklyGrid
        }
        if rule.frequency == .daily && !rule.byMonthDay.isEmpty { return .dailyByMonthDay }
        let timesPerPeriod = max(1, rule.byHour.count) * max(1, rule.byMinute.count) * max(1, rule.bySecond.count)
        if !rule.bySetPos.isEmpty && timesPerPeriod > 1 { return .setPosWithTimes }
        return nil
    }

    /// The defect that explains the rest of a rule's difference after the rechecks, if any.
    static func fallback(rule: RecurrenceRule) -> LibicalDefect? {
        if rule.frequency < .daily && !(rule.byHour.isEmpty && rule.byMinute.isEmpty && rule.bySecond.isEmpty) {
            return .finerSteps
        }
        return nil
    }

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

    /// Instances compared: COUNT when the rule has one, else 20.
    var limit: Int {
        (try? RecurrenceRule(parsing: rule).count).flatMap { $0 } ?? 20
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

/// The splitmix64 generator (as in ../shared/bench/gen_workload.py): fixed seed, same cases every run.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}
