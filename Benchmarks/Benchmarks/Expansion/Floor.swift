// The Swift floor of issue 20, aim 1 ("in process within 3x of the Swift floor"): a port of
// `icalbench expand-direct` (../shared/bench/icalbench.c, "direct (floor)"). Plain integer
// calendar arithmetic for the rule shapes of workload W only (WEEKLY[;INTERVAL];BYDAY=d,
// MONTHLY[;BYMONTH=…];BYDAY=nd, plain YEARLY) with the EU rule of Europe/Berlin written in:
// a lower bound for expanding W, not an engine. The series come from workload-N.tsv, read
// before the clock starts, as the C program takes them from its calendar before its phase.
// Days are counted with the project's one civil calendar (`CivilDate`, the same arithmetic as
// the C floor's days_from_civil and civil_from_days).

import Coordination

/// One series of the workload as the floor expands it.
struct FloorSeries {
    var start: LocalDateTime
    /// The C floor's key of DTSTART (`Floor.key`), and the part of it that is the time of day.
    var key: Int64
    var clockKey: Int64
    var duration: Int64
    /// Of W's shapes only (`Floor.series` refuses others).
    var rule: RecurrenceRule
    var exdateKeys: [Int64]
}

enum Floor {
    /// The window of ../shared/bench: [2020-01-01T00:00, 2030-01-01T00:00) Europe/Berlin.
    static let windowStartYear = 2020
    static let windowEndYear = 2030
    static let windowStartKey = key(2020, 1, 1, 0, 0, 0)
    static let windowEndKey = key(2030, 1, 1, 0, 0, 0)

    /// The series of workload-N.tsv (uid, DTSTART, minutes, RRULE, EXDATEs, texts), read with
    /// the project's RRULE and date-time readers, or an error naming the line that is not of
    /// W's shapes.
    static func series(tsv: String) throws -> [FloorSeries] {
        var all: [FloorSeries] = []
        for (n, line) in tsv.split(separator: "\n").enumerated() {
            func refuse(_ reason: String) -> FloorError { FloorError(line: n + 1, reason: reason) }
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count >= 5, let start = localTime(f[1]), let minutes = Int64(f[2]) else {
                throw refuse("not uid, DTSTART, minutes, RRULE, EXDATEs")
            }
            let rule: RecurrenceRule
            do { rule = try RecurrenceRule(parsing: String(f[3])) } catch { throw refuse("RRULE: \(error)") }
            guard rule.count == nil, rule.until == nil, rule.byDay.count <= 1,
                [
                    rule.bySecond, rule.byMinute, rule.byHour, rule.byMonthDay, rule.byYearDay, rule.byWeekNo,
                    rule.bySetPos,
                ]
                .allSatisfy(\.isEmpty)
            else { throw refuse("RRULE \(f[3]) is not of W's shapes") }
            let byDay = rule.byDay.first
            switch rule.frequency {
            case .weekly
            where rule.byMonth.isEmpty && byDay.map { $0.ordinal == 0 && $0.weekday == start.date.weekday } ?? true:
                break
            case .monthly where byDay.map { $0.ordinal != 0 } ?? false: break
            case .yearly where byDay == nil && rule.byMonth.isEmpty: break
            default: throw refuse("RRULE \(f[3]) is not of W's shapes")
            }
            var exdateKeys: [Int64] = []
            if f[4] != "-" {
                exdateKeys = try f[4].split(separator: ",").map { x in
                    guard let t = localTime(x) else { throw refuse("EXDATE \(x)") }
                    return key(t)
                }
            }
            all.append(
                FloorSeries(
                    start: start, key: key(start), clockKey: key(0, 0, 0, start.hour, start.minute, start.second),
                    duration: minutes * 60, rule: rule, exdateKeys: exdateKeys))
        }
        return all
    }

    /// Expands every series into `out` as (start, end) pairs of UTC seconds, as the C floor
    /// stores them; returns the instance count and checksum (sum of the UTC starts).
    static func expand(_ series: [FloorSeries], into out: inout [Int64]) -> (count: Int, checksum: Int64) {
        out.removeAll(keepingCapacity: true)
        var r = (count: 0, checksum: Int64(0))
        var dst = DSTCache()
        let windowStartDay = dayNumber(windowStartYear, 1, 1)
        for s in series {
            let (date, rule) = (s.start.date, s.rule)
            func emit(_ day: Int64) -> Bool { Floor.emit(s, day, &dst, &out, &r) }
            switch rule.frequency {
            case .weekly:
                let step = Int64(7 * rule.interval)
                var day = Int64(date.dayNumber)
                if day < windowStartDay { day += ((windowStartDay - day + step - 1) / step) * step }
                while emit(day) { day += step }
            case .monthly:
                let byDay = rule.byDay[0]
                var y = date.year
                var m = date.month
                if y < windowStartYear {  // to the window, keeping the interval's phase
                    var skip = (windowStartYear - y) * 12 - (m - 1)
                    skip -= skip % rule.interval
                    m += skip
                    y += (m - 1) / 12
                    m = (m - 1) % 12 + 1
                }
                while true {
                    if rule.byMonth.isEmpty || rule.byMonth.contains(m) {
                        if !emit(nthWeekday(y, m, byDay.weekday, byDay.ordinal)) { break }
                    }
                    m += rule.interval
                    y += (m - 1) / 12
                    m = (m - 1) % 12 + 1
                    if y > windowEndYear { break }
                }
            case .yearly:
                var y = date.year
                while y <= windowEndYear {
                    defer { y += rule.interval }
                    if date.month == 2 && date.day == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) {
                        continue
                    }
                    if !emit(dayNumber(y, date.month, date.day)) { break }
                }
            default: preconditionFailure("a shape Floor.series refuses")
            }
        }
        return r
    }

    /// One day of a series, as `emit` of the C floor: stored unless outside the window, before
    /// DTSTART or an EXDATE; false once past the window.
    @inline(__always)
    static func emit(
        _ s: FloorSeries, _ day: Int64, _ dst: inout DSTCache, _ out: inout [Int64],
        _ r: inout (count: Int, checksum: Int64)
    ) -> Bool {
        let c = CivilDate(dayNumber: Int(day))
        let (y, m, d) = (c.year, c.month, c.day)
        let k = key(y, m, d, 0, 0, 0) + s.clockKey
        if k >= windowEndKey { return false }
        if k < windowStartKey || k < s.key { return true }
        for x in s.exdateKeys where x == k { return true }
        let start = dst.utc(day: day, seconds: s.start.secondOfDay, year: y)
        out.append(start)
        out.append(start + s.duration)
        r.count += 1
        r.checksum &+= start
        return true
    }

    /// The C floor's sort key of a local date-time.
    static func key(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int) -> Int64 {
        ((((((Int64(y) * 16 + Int64(mo)) * 32 + Int64(d)) * 32 + Int64(h)) * 64 + Int64(mi)) * 64) + Int64(s))
    }

    static func key(_ t: LocalDateTime) -> Int64 {
        key(t.date.year, t.date.month, t.date.day, t.hour, t.minute, t.second)
    }

    /// Days since 1970-01-01 of a date.
    static func dayNumber(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        Int64(CivilDate.dayNumber(year: year, month: month, day: day))
    }

    /// The `n`-th weekday `wd` of a month; `n` < 0 counts from its end.
    static func nthWeekday(_ y: Int, _ m: Int, _ weekday: Weekday, _ n: Int) -> Int64 {
        let wd = weekday.rawValue
        if n > 0 {
            let first = dayNumber(y, m, 1)
            return first + Int64((wd - CivilDate.weekday(ofDayNumber: Int(first)).rawValue + 7) % 7) + 7 * Int64(n - 1)
        }
        let last = dayNumber(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1
        return last - Int64((CivilDate.weekday(ofDayNumber: Int(last)).rawValue - wd + 7) % 7) + 7 * Int64(n + 1)
    }

    /// Europe/Berlin's offset by the EU rule (last Sunday of March and October, 01:00 UTC),
    /// the DST days of the last year asked kept.
    struct DSTCache {
        var year = -1
        var start: Int64 = 0
        var end: Int64 = 0

        mutating func utc(day: Int64, seconds: Int, year y: Int) -> Int64 {
            if y != year {
                year = y
                start = Floor.nthWeekday(y, 3, .sunday, -1)
                end = Floor.nthWeekday(y, 10, .sunday, -1)
            }
            let dst =
                (day > start || (day == start && seconds >= 2 * 3600))
                && (day < end || (day == end && seconds < 2 * 3600))
            return day * 86_400 + Int64(seconds) - (dst ? 7200 : 3600)
        }
    }

    /// `YYYYMMDDTHHMMSS` (local, not UTC), read by the project's reader of iCalendar dates.
    private static func localTime(_ text: Substring) -> LocalDateTime? {
        guard case .dateTime(let t, isUTC: false) = ICalDateText.parse(text) else { return nil }
        return t
    }
}

struct FloorError: Error, CustomStringConvertible {
    var line: Int
    var reason: String
    var description: String { "workload TSV, line \(line): \(reason)" }
}
