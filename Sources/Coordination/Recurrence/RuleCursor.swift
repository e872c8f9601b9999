/// Walks the wall-clock instances of one recurrence rule from DTSTART in ascending order.
///
/// COUNT and UNTIL are left to the caller (they need the zone); the cursor only produces the
/// candidate set of RFC 5545 3.3.10: period by period (a year, a month, a week, a day, an hour,
/// a minute or a second, stepped by INTERVAL), every day of the period that passes the BY-day
/// parts, combined with the times of BYHOUR/BYMINUTE/BYSECOND, then BYSETPOS over the period's
/// instances. Values are wall-clock seconds (`LocalDateTime.localSeconds`).
struct RuleCursor {
    let frequency: RecurrenceRule.Frequency
    let interval: Int
    let startLocal: Int64
    private let monthMask: UInt16
    private let monthDayPositive: UInt32
    private let monthDayNegative: UInt32
    private let hasMonthDay: Bool
    private let yearDays: [Int]
    private let weekNumbers: [Int]
    private let plainWeekdays: UInt8
    private let ordinalWeekdays: [(ordinal: Int, weekday: Int)]
    private let hasByDay: Bool
    private let ordinalsByMonth: Bool
    private let hourMask: UInt32
    private let minuteMask: UInt64
    private let secondMask: UInt64
    private let setPositions: [Int]
    private let weekStart: Int
    /// Seconds of the day (DAILY and coarser) or offsets within the period (finer), ascending.
    private let times: [Int]
    /// Days of the week (offsets from the period's first day) for WEEKLY rules whose only
    /// day filter is plain BYDAY; `nil` when the general filter must run.
    private let weekOffsets: [Int]?
    /// Whether a month's days can be computed directly (only BYDAY, or only BYMONTHDAY).
    private let directMonth: Bool
    private let monthDays: [Int]
    /// Index of the current period; its meaning depends on the frequency (see `periodIndex`).
    private(set) var period: Int
    /// The index of the period holding the last second of `lastYear`: periods grow with time,
    /// so the walk ends after it (comparing indexes, not the year of each period's first day).
    private var lastPeriod = 0
    /// The current period's instances: the first `bufferCount` entries (the storage is kept
    /// from period to period and overwritten, never emptied).
    private var buffer: [Int64] = []
    private var bufferCount = 0
    private var bufferIndex = 0
    private var scratchDays: [Int] = []
    static let lastYear = 9999
    /// True when the rule can never produce an instance (BYSECOND=60 only, or BYSETPOS beyond
    /// any period's size): expansion then ends at once instead of walking to the year 9999.
    let isEmpty: Bool

    init(rule: RecurrenceRule, start: LocalDateTime) {
        frequency = rule.frequency
        interval = rule.interval
        startLocal = start.localSeconds
        weekStart = rule.weekStart.rawValue
        var byMonth = rule.byMonth
        var byMonthDay = rule.byMonthDay
        var byDay = rule.byDay
        if rule.byWeekNo.isEmpty && rule.byYearDay.isEmpty && rule.byMonthDay.isEmpty && rule.byDay.isEmpty {
            switch rule.frequency {
            case .yearly:
                if byMonth.isEmpty { byMonth = [start.date.month] }
                byMonthDay = [start.date.day]
            case .monthly: byMonthDay = [start.date.day]
            case .weekly: byDay = [.init(start.date.weekday)]
            default: break
            }
        }
        monthMask = byMonth.reduce(0) { $0 | UInt16(1) << UInt16($1) }
        monthDayPositive = byMonthDay.filter { $0 > 0 }.reduce(0) { $0 | UInt32(1) << UInt32($1) }
        monthDayNegative = byMonthDay.filter { $0 < 0 }.reduce(0) { $0 | UInt32(1) << UInt32(-$1) }
        hasMonthDay = !byMonthDay.isEmpty
        yearDays = rule.byYearDay
        weekNumbers = rule.byWeekNo
        plainWeekdays = byDay.filter { $0.ordinal == 0 }.reduce(0) { $0 | UInt8(1) << UInt8($1.weekday.rawValue) }
        ordinalWeekdays = byDay.filter { $0.ordinal != 0 }.map { ($0.ordinal, $0.weekday.rawValue) }
        hasByDay = !byDay.isEmpty
        ordinalsByMonth = rule.frequency == .monthly || !byMonth.isEmpty
        let f = rule.frequency
        let hours = rule.byHour.isEmpty && f > .hourly ? [start.hour] : rule.byHour
        let minutes = rule.byMinute.isEmpty && f > .minutely ? [start.minute] : rule.byMinute
        let seconds = rule.bySecond.isEmpty && f > .secondly ? [start.second] : rule.bySecond.filter { $0 < 60 }
        // An empty list filters nothing (the finer frequencies leave them open).
        hourMask = hours.isEmpty ? ~0 : hours.reduce(0) { $0 | UInt32(1) << UInt32($1) }
        minuteMask = minutes.isEmpty ? ~0 : minutes.reduce(0) { $0 | UInt64(1) << UInt64($1) }
        secondMask = seconds.isEmpty ? ~0 : seconds.reduce(0) { $0 | UInt64(1) << UInt64($1) }
        switch f {
        case .yearly, .monthly, .weekly, .daily:
            times = Self.ascending(
                hours.flatMap { h in minutes.flatMap { m in seconds.map { h * 3600 + m * 60 + $0 } } })
        case .hourly:
            times = Self.ascending(minutes.flatMap { m in seconds.map { m * 60 + $0 } })
        case .minutely:
            times = Self.ascending(seconds)
        case .secondly:
            times = [0]
        }
        setPositions = rule.bySetPos
        let perDay = times.count
        let largestSet: Int
        switch f {
        case .yearly: largestSet = 366 * perDay
        case .monthly: largestSet = 31 * perDay
        case .weekly: largestSet = 7 * perDay
        case .daily, .hourly, .minutely: largestSet = perDay
        case .secondly: largestSet = 1
        }
        let reachable = rule.bySetPos.isEmpty || rule.bySetPos.contains { abs($0) <= largestSet }
        isEmpty =
            (!rule.bySecond.isEmpty && seconds.isEmpty) || !reachable
            || !Self.timeOfDayReachable(
                frequency: f, interval: rule.interval, start: start, hours: hourMask, minutes: minuteMask,
                seconds: secondMask)
        let onlyByDay = !byDay.isEmpty && byMonthDay.isEmpty && rule.byYearDay.isEmpty && rule.byWeekNo.isEmpty
        let onlyMonthDay = byDay.isEmpty && !byMonthDay.isEmpty && rule.byYearDay.isEmpty && rule.byWeekNo.isEmpty
        if f == .weekly && onlyByDay && byMonth.isEmpty {
            let wkst = rule.weekStart.rawValue
            weekOffsets = Self.ascending(byDay.map { ($0.weekday.rawValue - wkst + 7) % 7 })
        } else {
            weekOffsets = nil
        }
        directMonth =
            (f == .monthly || f == .yearly)
            && (onlyMonthDay || (onlyByDay && (ordinalsByMonth || ordinalWeekdays.isEmpty)))
        monthDays = byMonthDay
        period = 0
        period = periodIndex(containing: startLocal)
        lastPeriod = periodIndex(
            containing: LocalDateTime(year: Self.lastYear, month: 12, day: 31, hour: 23, minute: 59, second: 59)
                .localSeconds)
    }

    /// The values once each, in ascending order. A cursor is made for every expansion (for
    /// each exception a series is checked against, too), and most rules have one time of day
    /// and one weekday: those need no set.
    private static func ascending(_ values: [Int]) -> [Int] {
        values.count < 2 ? values : Set(values).sorted()
    }

    /// Whether a finer rule (HOURLY, MINUTELY, SECONDLY) ever steps onto a time of day that
    /// passes its BY-filters (BYHOUR for HOURLY; BYHOUR and BYMINUTE for MINUTELY; all three
    /// for SECONDLY): with INTERVAL k the periods reached are those congruent to DTSTART's
    /// modulo gcd(k, periods per day). `FREQ=MINUTELY;INTERVAL=4;BYMINUTE=35` never is.
    private static func timeOfDayReachable(
        frequency: RecurrenceRule.Frequency, interval: Int, start: LocalDateTime, hours: UInt32, minutes: UInt64,
        seconds: UInt64
    ) -> Bool {
        let unit: Int
        switch frequency {
        case .hourly: unit = 3600
        case .minutely: unit = 60
        case .secondly: unit = 1
        default: return true
        }
        let perDay = 86_400 / unit
        var a = interval
        var b = perDay
        while b != 0 { (a, b) = (b, a % b) }
        let step = a
        let first = start.secondOfDay / unit % step
        for index in Swift.stride(from: first, to: perDay, by: step) {
            let s = index * unit
            if hours & (1 << UInt32(s / 3600)) == 0 { continue }
            if frequency != .hourly && minutes & (1 << UInt64(s / 60 % 60)) == 0 { continue }
            if frequency == .secondly && seconds & (1 << UInt64(s % 60)) == 0 { continue }
            return true
        }
        return false
    }

    /// The index of the period that contains a wall-clock second.
    func periodIndex(containing local: Int64) -> Int {
        let s = Int(local)
        let day = s >= 0 ? s / 86_400 : -((-s + 86_399) / 86_400)
        switch frequency {
        case .yearly: return CivilDate(dayNumber: day).year
        case .monthly:
            let d = CivilDate(dayNumber: day)
            return d.year * 12 + d.month - 1
        case .weekly: return day - (CivilDate.weekday(ofDayNumber: day).rawValue - weekStart + 7) % 7
        case .daily: return day
        case .hourly: return floorDiv(s, 3600)
        case .minutely: return floorDiv(s, 60)
        case .secondly: return s
        }
    }

    /// How far one step of INTERVAL moves `period`.
    private var stride: Int { frequency == .weekly ? 7 * interval : interval }

    /// Moves to the first period that can contain `local` or later, keeping the INTERVAL grid
    /// of DTSTART. Only valid without COUNT (COUNT counts from DTSTART).
    mutating func skip(toLocal local: Int64) {
        let target = periodIndex(containing: local)
        guard target > period else { return }
        let step = stride
        period += (target - period) / step * step
        emptyBuffer()
        bufferIndex = 0
    }

    /// Empties `buffer` for the next period. A period holds a handful of instances;
    /// `removeAll(keepingCapacity:)` went through the generic replace-range path, and popping
    /// checked the storage's uniqueness once per instance, both once per period of every series.
    @inline(__always)
    private mutating func emptyBuffer() { bufferCount = 0 }

    /// Adds an instance to the period's.
    @inline(__always)
    private mutating func push(_ value: Int64) {
        if bufferCount < buffer.count {
            buffer[bufferCount] = value
        } else {
            buffer.append(value)
        }
        bufferCount += 1
    }

    /// Empties a short list, keeping its storage (see `emptyBuffer`).
    @inline(__always)
    private static func empty<T>(_ list: inout [T]) {
        while list.popLast() != nil {}
    }

    /// The next wall-clock instance, or `nil` after the year 9999.
    mutating func next() -> Int64? {
        if isEmpty { return nil }
        while true {
            while bufferIndex < bufferCount {
                let value = buffer[bufferIndex]
                bufferIndex += 1
                if value >= startLocal { return value }
            }
            guard period <= lastPeriod else { return nil }
            emptyBuffer()
            bufferIndex = 0
            let resume = fill()
            let step = stride
            if resume > period + step {
                period += (resume - period + step - 1) / step * step
            } else {
                period += step
            }
        }
    }

    /// Fills `buffer` with the period's instances; returns the first period index worth
    /// looking at next (beyond `period + stride` when a whole day, hour or minute fails).
    private mutating func fill() -> Int {
        switch frequency {
        case .yearly:
            Self.empty(&scratchDays)
            for month in 1...12 where monthMask == 0 || monthMask & (1 << UInt16(month)) != 0 {
                collectDays(year: period, month: month)
            }
            emit(days: scratchDays)
        case .monthly:
            Self.empty(&scratchDays)
            let year = floorDiv(period, 12)
            let month = period - year * 12 + 1
            if monthMask == 0 || monthMask & (1 << UInt16(month)) != 0 { collectDays(year: year, month: month) }
            emit(days: scratchDays)
        case .weekly:
            if let weekOffsets {
                // Straight into the buffer: the days of a plain weekly rule are known offsets.
                for offset in weekOffsets {
                    let base = Int64(period + offset) * 86_400
                    for t in times { push(base + Int64(t)) }
                }
                applySetPositions()
                return period + stride
            }
            Self.empty(&scratchDays)
            var info = DayInfo(dayNumber: period)
            for _ in 0..<7 {
                if matches(info) { scratchDays.append(info.dayNumber) }
                info.advance()
            }
            emit(days: scratchDays)
        case .daily:
            if matches(DayInfo(dayNumber: period)) {
                Self.empty(&scratchDays)
                scratchDays.append(period)
                emit(days: scratchDays)
            }
        case .hourly:
            let day = floorDiv(period, 24)
            guard matches(DayInfo(dayNumber: day)) else { return (day + 1) * 24 }
            let hour = period - day * 24
            guard hourMask & (1 << UInt32(hour)) != 0 else { return period + 1 }
            emit(base: Int64(period) * 3600)
        case .minutely:
            let day = floorDiv(period, 1440)
            guard matches(DayInfo(dayNumber: day)) else { return (day + 1) * 1440 }
            let minuteOfDay = period - day * 1440
            guard hourMask & (1 << UInt32(minuteOfDay / 60)) != 0 else { return (floorDiv(period, 60) + 1) * 60 }
            guard minuteMask & (1 << UInt64(minuteOfDay % 60)) != 0 else { return period + 1 }
            emit(base: Int64(period) * 60)
        case .secondly:
            let day = floorDiv(period, 86_400)
            guard matches(DayInfo(dayNumber: day)) else { return (day + 1) * 86_400 }
            let secondOfDay = period - day * 86_400
            guard hourMask & (1 << UInt32(secondOfDay / 3600)) != 0 else { return (floorDiv(period, 3600) + 1) * 3600 }
            guard minuteMask & (1 << UInt64(secondOfDay / 60 % 60)) != 0 else { return (floorDiv(period, 60) + 1) * 60 }
            guard secondMask & (1 << UInt64(secondOfDay % 60)) != 0 else { return period + 1 }
            emit(base: Int64(period))
        }
        return period + stride
    }

    private mutating func collectDays(year: Int, month: Int) {
        if directMonth {
            collectDirect(year: year, month: month)
            return
        }
        var info = DayInfo(year: year, month: month)
        for _ in 0..<info.monthLength {
            if matches(info) { scratchDays.append(info.dayNumber) }
            info.advance()
        }
    }

    /// The days of a month from BYDAY alone or BYMONTHDAY alone, by arithmetic instead of a scan.
    private mutating func collectDirect(year: Int, month: Int) {
        let first = CivilDate.dayNumber(year: year, month: month, day: 1)
        let length = CivilDate.daysInMonth(year: year, month: month)
        let mark = scratchDays.count
        if !monthDays.isEmpty {
            for d in monthDays {
                let index = d > 0 ? d - 1 : length + d
                if index >= 0 && index < length { scratchDays.append(first + index) }
            }
        } else {
            let firstWeekday = CivilDate.weekday(ofDayNumber: first).rawValue
            for weekday in 0..<7 where plainWeekdays & (1 << UInt8(weekday)) != 0 {
                var index = (weekday - firstWeekday + 7) % 7
                while index < length {
                    scratchDays.append(first + index)
                    index += 7
                }
            }
            let lastWeekday = (firstWeekday + length - 1) % 7
            for entry in ordinalWeekdays {
                let index: Int
                if entry.ordinal > 0 {
                    index = (entry.weekday - firstWeekday + 7) % 7 + 7 * (entry.ordinal - 1)
                } else {
                    index = length - 1 - (lastWeekday - entry.weekday + 7) % 7 + 7 * (entry.ordinal + 1)
                }
                if index >= 0 && index < length { scratchDays.append(first + index) }
            }
        }
        if scratchDays.count - mark > 1 {
            let sorted = Set(scratchDays[mark...]).sorted()
            scratchDays.removeSubrange(mark...)
            scratchDays.append(contentsOf: sorted)
        }
    }

    /// Days × times (DAILY and coarser), then BYSETPOS.
    private mutating func emit(days: [Int]) {
        for day in days {
            let base = Int64(day) * 86_400
            for t in times { push(base + Int64(t)) }
        }
        applySetPositions()
    }

    /// One finer period (hour, minute, second) × the times within it, then BYSETPOS.
    private mutating func emit(base: Int64) {
        for t in times { push(base + Int64(t)) }
        applySetPositions()
    }

    /// BYSETPOS over the period's instances (most rules have none: checked in place).
    @inline(__always)
    private mutating func applySetPositions() {
        if !setPositions.isEmpty { chooseSetPositions() }
    }

    private mutating func chooseSetPositions() {
        guard bufferCount > 0 else { return }
        let n = bufferCount
        var chosen: [Int64] = []
        for p in setPositions {
            let index = p > 0 ? p - 1 : n + p
            if index >= 0 && index < n { chosen.append(buffer[index]) }
        }
        buffer = Array(Set(chosen)).sorted()
        bufferCount = buffer.count
    }

    /// Whether a day passes BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY and BYDAY.
    @inline(__always)
    private func matches(_ d: DayInfo) -> Bool {
        if monthMask != 0 && monthMask & (1 << UInt16(d.month)) == 0 { return false }
        if hasByDay {
            var ok = plainWeekdays & (1 << UInt8(d.weekday)) != 0
            if !ok {
                for entry in ordinalWeekdays where entry.weekday == d.weekday {
                    let n: Int
                    if ordinalsByMonth {
                        n = entry.ordinal > 0 ? (d.day - 1) / 7 + 1 : -((d.monthLength - d.day) / 7 + 1)
                    } else {
                        n = entry.ordinal > 0 ? d.yearDay / 7 + 1 : -((d.yearLength - 1 - d.yearDay) / 7 + 1)
                    }
                    if n == entry.ordinal {
                        ok = true
                        break
                    }
                }
            }
            if !ok { return false }
        }
        if hasMonthDay {
            let neg = d.monthLength - d.day + 1
            if monthDayPositive & (1 << UInt32(d.day)) == 0 && monthDayNegative & (1 << UInt32(neg)) == 0 {
                return false
            }
        }
        if !yearDays.isEmpty {
            let pos = d.yearDay + 1
            let neg = pos - d.yearLength - 1
            if !yearDays.contains(pos) && !yearDays.contains(neg) { return false }
        }
        if !weekNumbers.isEmpty {
            let (week, weeksInYear) = weekNumber(of: d.dayNumber)
            if !weekNumbers.contains(week) && !weekNumbers.contains(week - weeksInYear - 1) { return false }
        }
        return true
    }

    /// The RFC 5545 week number of a day (week 1 holds at least four days of its year; weeks
    /// start on WKST) and how many weeks that week's year has.
    private func weekNumber(of day: Int) -> (Int, Int) {
        let weekStartDay = day - (CivilDate.weekday(ofDayNumber: day).rawValue - weekStart + 7) % 7
        let weekYear = CivilDate(dayNumber: weekStartDay + 3).year
        let first = firstWeekStart(weekYear)
        let next = firstWeekStart(weekYear + 1)
        return ((weekStartDay - first) / 7 + 1, (next - first) / 7)
    }

    private func firstWeekStart(_ year: Int) -> Int {
        let jan4 = CivilDate.dayNumber(year: year, month: 1, day: 4)
        return jan4 - (CivilDate.weekday(ofDayNumber: jan4).rawValue - weekStart + 7) % 7
    }
}

/// A day with its calendar fields, stepped forward without re-deriving them.
private struct DayInfo {
    var dayNumber: Int
    var year: Int
    var month: Int
    var day: Int
    var monthLength: Int
    /// Zero-based day of the year.
    var yearDay: Int
    var yearLength: Int
    /// 0 = Monday.
    var weekday: Int

    init(dayNumber: Int) {
        let c = CivilDate(dayNumber: dayNumber)
        self.init(year: c.year, month: c.month, day: c.day, dayNumber: dayNumber)
    }

    init(year: Int, month: Int, day: Int = 1, dayNumber: Int? = nil) {
        let z = dayNumber ?? CivilDate.dayNumber(year: year, month: month, day: day)
        self.dayNumber = z
        self.year = year
        self.month = month
        self.day = day
        monthLength = CivilDate.daysInMonth(year: year, month: month)
        yearDay = z - CivilDate.dayNumber(year: year, month: 1, day: 1)
        yearLength = CivilDate.daysInYear(year)
        weekday = CivilDate.weekday(ofDayNumber: z).rawValue
    }

    @inline(__always)
    mutating func advance() {
        dayNumber += 1
        weekday = weekday == 6 ? 0 : weekday + 1
        yearDay += 1
        day += 1
        if day > monthLength {
            day = 1
            month += 1
            if month > 12 {
                month = 1
                year += 1
                yearDay = 0
                yearLength = CivilDate.daysInYear(year)
            }
            monthLength = CivilDate.daysInMonth(year: year, month: month)
        }
    }
}

@inline(__always)
func floorDiv(_ a: Int, _ b: Int) -> Int {
    a >= 0 ? a / b : -((-a + b - 1) / b)
}
