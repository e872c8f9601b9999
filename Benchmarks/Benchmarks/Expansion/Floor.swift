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
    enum Frequency { case weekly, monthly, yearly }
    var year: Int
    var month: Int
    var day: Int
    /// The local time of day of DTSTART, in seconds.
    var seconds: Int
    var key: Int64
    /// The part of `key` that is DTSTART's time of day.
    var clockKey: Int64
    var duration: Int64
    var frequency: Frequency
    var interval: Int
    /// BYDAY: weekday (0 = Sunday) and position (0 = every, -1 = last).
    var byDay: (weekday: Int, position: Int)?
    var byMonth: [Int]
    var exdateKeys: [Int64]
}

enum Floor {
    /// The window of ../shared/bench: [2020-01-01T00:00, 2030-01-01T00:00) Europe/Berlin.
    static let windowStartYear = 2020
    static let windowEndYear = 2030
    static let windowStartKey = key(2020, 1, 1, 0, 0, 0)
    static let windowEndKey = key(2030, 1, 1, 0, 0, 0)

    /// The series of workload-N.tsv (uid, DTSTART, minutes, RRULE, EXDATEs, texts), or a
    /// message naming the line that is not of W's shapes.
    static func series(tsv: String) throws -> [FloorSeries] {
        var all: [FloorSeries] = []
        for (n, line) in tsv.split(separator: "\n").enumerated() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count >= 5, let start = localTime(f[1]), let minutes = Int64(f[2]) else {
                throw FloorError(line: n + 1, reason: "not uid, DTSTART, minutes, RRULE, EXDATEs")
            }
            var s = FloorSeries(
                year: start.0, month: start.1, day: start.2, seconds: start.3 * 3600 + start.4 * 60 + start.5,
                key: key(start.0, start.1, start.2, start.3, start.4, start.5),
                clockKey: key(0, 0, 0, start.3, start.4, start.5), duration: minutes * 60,
                frequency: .weekly, interval: 1, byDay: nil, byMonth: [], exdateKeys: [])
            for part in f[3].split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { throw FloorError(line: n + 1, reason: "RRULE part \(part)") }
                switch pair[0] {
                case "FREQ":
                    switch pair[1] {
                    case "WEEKLY": s.frequency = .weekly
                    case "MONTHLY": s.frequency = .monthly
                    case "YEARLY": s.frequency = .yearly
                    default: throw FloorError(line: n + 1, reason: "FREQ \(pair[1])")
                    }
                case "INTERVAL":
                    guard let i = Int(pair[1]), i > 0 else { throw FloorError(line: n + 1, reason: "INTERVAL") }
                    s.interval = i
                case "BYMONTH":
                    s.byMonth = try pair[1].split(separator: ",").map { m in
                        guard let m = Int(m) else { throw FloorError(line: n + 1, reason: "BYMONTH") }
                        return m
                    }
                case "BYDAY":
                    let names = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]
                    guard !pair[1].contains(","), let wd = names.firstIndex(of: String(pair[1].suffix(2))),
                        let position = pair[1].count == 2 ? 0 : Int(pair[1].dropLast(2))
                    else { throw FloorError(line: n + 1, reason: "BYDAY \(pair[1]) (one day only)") }
                    s.byDay = (wd, position)
                default: throw FloorError(line: n + 1, reason: "RRULE part \(pair[0]) is not of W's shapes")
                }
            }
            if f[4] != "-" {
                s.exdateKeys = try f[4].split(separator: ",").map { x in
                    guard let t = localTime(x) else { throw FloorError(line: n + 1, reason: "EXDATE \(x)") }
                    return key(t.0, t.1, t.2, t.3, t.4, t.5)
                }
            }
            all.append(s)
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
            let d0 = dayNumber(s.year, s.month, s.day)
            func emit(_ day: Int64) -> Bool { Floor.emit(s, day, &dst, &out, &r) }
            switch s.frequency {
            case .weekly:
                precondition(s.byDay.map { $0.position == 0 && $0.weekday == weekday(d0) } ?? true && s.byMonth.isEmpty)
                let step = Int64(7 * s.interval)
                var day = d0
                if day < windowStartDay { day += ((windowStartDay - day + step - 1) / step) * step }
                while emit(day) { day += step }
            case .monthly:
                guard let byDay = s.byDay, byDay.position != 0 else { preconditionFailure("MONTHLY without BYDAY=nd") }
                var y = s.year
                var m = s.month
                if y < windowStartYear {  // to the window, keeping the interval's phase
                    var skip = (windowStartYear - y) * 12 - (m - 1)
                    skip -= skip % s.interval
                    m += skip
                    y += (m - 1) / 12
                    m = (m - 1) % 12 + 1
                }
                while true {
                    if s.byMonth.isEmpty || s.byMonth.contains(m) {
                        if !emit(nthWeekday(y, m, byDay.weekday, byDay.position)) { break }
                    }
                    m += s.interval
                    y += (m - 1) / 12
                    m = (m - 1) % 12 + 1
                    if y > windowEndYear { break }
                }
            case .yearly:
                precondition(s.byDay == nil && s.byMonth.isEmpty)
                var y = s.year
                while y <= windowEndYear {
                    defer { y += s.interval }
                    if s.month == 2 && s.day == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) { continue }
                    if !emit(dayNumber(y, s.month, s.day)) { break }
                }
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
        let start = dst.utc(day: day, seconds: s.seconds, year: y)
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

    /// Days since 1970-01-01 of a date.
    static func dayNumber(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        Int64(CivilDate.dayNumber(year: year, month: month, day: day))
    }

    /// 0 = Sunday … 6 = Saturday.
    static func weekday(_ z: Int64) -> Int { Int(z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6) }

    /// The `n`-th weekday `wd` of a month; `n` < 0 counts from its end.
    static func nthWeekday(_ y: Int, _ m: Int, _ wd: Int, _ n: Int) -> Int64 {
        if n > 0 {
            let first = dayNumber(y, m, 1)
            return first + Int64((wd - weekday(first) + 7) % 7) + 7 * Int64(n - 1)
        }
        let last = dayNumber(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1
        return last - Int64((weekday(last) - wd + 7) % 7) + 7 * Int64(n + 1)
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
                start = Floor.nthWeekday(y, 3, 0, -1)
                end = Floor.nthWeekday(y, 10, 0, -1)
            }
            let dst =
                (day > start || (day == start && seconds >= 2 * 3600))
                && (day < end || (day == end && seconds < 2 * 3600))
            return day * 86_400 + Int64(seconds) - (dst ? 7200 : 3600)
        }
    }

    /// `YYYYMMDDTHHMMSS` as its six fields.
    private static func localTime(_ text: Substring) -> (Int, Int, Int, Int, Int, Int)? {
        let b = Array(text.utf8)
        guard b.count == 15, b[8] == UInt8(ascii: "T") else { return nil }
        func n(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for c in b[from..<from + count] {
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = n(0, 4), let mo = n(4, 2), let d = n(6, 2), let h = n(9, 2), let mi = n(11, 2), let s = n(13, 2)
        else { return nil }
        return (y, mo, d, h, mi, s)
    }
}

struct FloorError: Error, CustomStringConvertible {
    var line: Int
    var reason: String
    var description: String { "workload TSV, line \(line): \(reason)" }
}
