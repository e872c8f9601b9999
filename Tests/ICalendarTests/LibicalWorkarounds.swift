import Coordination

/// A rule (or zone) rewritten to step around one libical defect, and how libical's answer to it
/// shows that the defect was the cause of a difference.
struct Variant {
    /// What libical's answer to the variant must be for the defect to be confirmed.
    enum Check {
        /// Its wall times are ours (or `expected`, ours for the variant's own zone).
        case agrees(expected: [Int64]?)
        /// It is libical's answer to the original rule: libical ignored the part left out.
        case sameAsOriginal
        /// It is a superset (the troublesome part and COUNT left out); with that part applied
        /// here by `select` and cut to COUNT it gives our wall times. libical's superset begins at
        /// DTSTART, so BYSETPOS cannot be taken in DTSTART's own period: with `period`, the
        /// instances of that period are left out of the comparison.
        case selected(count: Int?, period: (@Sendable (Int64) -> Int64)? = nil, select: @Sendable ([Int64]) -> [Int64])
    }

    var rule: String
    /// Another zone to ask in; `nil`: the case's.
    var zone: String?
    /// How many instances to ask for; `nil`: the rule's COUNT or 20.
    var limit: Int?
    var defect: LibicalDefect
    var check: Check

    /// Instances asked for when libical is to answer a superset.
    static let supersetLimit = 400

    /// A superset of `rule`: COUNT left out and an UNTIL 100 years after DTSTART, so that libical
    /// stops on sparse rules.
    static func superset(_ rule: RecurrenceRule, start: LocalDateTime) -> RecurrenceRule {
        var wide = rule
        wide.count = nil
        if wide.until == nil {
            wide.until = .utc(LocalDateTime(year: start.date.year + 100, month: 1, day: 1))
        }
        return wide
    }

    /// The variants worth asking libical about for a rule.
    /// - Parameter oursInUTC: our wall times for the rule in UTC, when the case touches a DST
    ///   gap or fold (then libical is asked in UTC too).
    static func candidates(for rule: RecurrenceRule, start: LocalDateTime, oursInUTC: [Int64]?) -> [Variant] {
        var result: [Variant] = []
        // BY-lists as sets, sorted, each value once.
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
        if sorted != rule {
            result.append(Variant(rule: sorted.description, defect: .listOrder, check: .agrees(expected: nil)))
        }
        // The same rule in UTC, where no wall time is skipped or repeated.
        if let oursInUTC {
            result.append(
                Variant(rule: rule.description, zone: "UTC", defect: .gapOrFold, check: .agrees(expected: oursInUTC)))
        }
        if rule.frequency == .yearly && rule.byMonth.isEmpty && rule.byWeekNo.isEmpty && rule.byYearDay.isEmpty
            && (!rule.byMonthDay.isEmpty || !rule.byDay.isEmpty) && rule.byDay.allSatisfy({ $0.ordinal == 0 })
        {
            var all = sorted
            all.byMonth = Array(1...12)
            result.append(Variant(rule: all.description, defect: .yearlyMonthDay, check: .agrees(expected: nil)))
        }
        if !rule.bySetPos.isEmpty {
            var without = rule
            without.bySetPos = []
            result.append(Variant(rule: without.description, defect: .setPosIgnored, check: .sameAsOriginal))
            if let v = setPosApplied(sorted, start: start) { result.append(v) }
        }
        if rule.frequency < .daily && rule.interval > 1 {
            var every = rule
            every.interval = 1
            result.append(Variant(rule: every.description, defect: .intervalIgnored, check: .sameAsOriginal))
        }
        // The workarounds below start from the sorted lists, so that one defect is not hidden by another.
        if let v = dailyAsMonthly(sorted, start: start) { result.append(v) }
        if let v = finerAsDaily(sorted, start: start) { result.append(v) }
        if let v = weekNumbersApplied(sorted, start: start) { result.append(v) }
        if let v = yearDaysApplied(sorted, start: start) { result.append(v) }
        if let v = weeklyGridApplied(sorted, start: start) { result.append(v) }
        if let v = ordinalDaysApplied(sorted, start: start) { result.append(v) }
        if let v = explicitDay(sorted, start: start) { result.append(v) }
        return result
    }

    /// - Parameters:
    ///   - complete: whether ours holds every instance of the rule (fewer than were asked for).
    ///   - start: DTSTART's wall time.
    func confirms(
        ours: [Occurrence], complete: Bool, start: Int64, original: [LibicalInstance]?, variant: [LibicalInstance]
    ) -> Bool {
        var mine = ours.map(\.nominalSeconds)
        switch check {
        case .agrees(let expected):
            return variant.map(\.local) == (expected ?? mine)
        case .sameAsOriginal:
            return original.map { variant == $0 } ?? false
        case .selected(let count, let period, let select):
            // An empty superset shows something only when ours is empty and complete too.
            guard !variant.isEmpty || (mine.isEmpty && complete) else { return false }
            var picked = select(variant.map(\.local))
            var count = count
            if let period {
                let first = period(start)
                let before = mine.filter { period($0) == first }.count
                mine.removeAll { period($0) == first }
                picked.removeAll { period($0) == first }
                count = count.map { $0 - before }
            }
            let cut = count.map { Array(picked.prefix(max(0, $0))) } ?? picked
            guard Array(cut.prefix(mine.count)) == mine else { return false }
            // Where ours ended before the limit, the workaround must end there too.
            return complete ? cut.count == mine.count : cut.count >= mine.count
        }
    }

    /// A YEARLY rule with BYMONTHDAY or unnumbered BYDAY and no BYMONTH, with every month
    /// listed: libical otherwise keeps to DTSTART's month (`yearlyMonthDay`).
    static func allMonths(_ rule: RecurrenceRule) -> RecurrenceRule {
        var all = rule
        if rule.frequency == .yearly && rule.byMonth.isEmpty && rule.byDay.allSatisfy({ $0.ordinal == 0 })
            && (!rule.byMonthDay.isEmpty || !rule.byDay.isEmpty)
        {
            all.byMonth = Array(1...12)
        }
        return all
    }

    /// YEARLY with BYMONTH or MONTHLY, without day parts, meet on DTSTART's day of the month
    /// (none in a month without it, such as 31 September); libical refuses some of these. Asked
    /// for that day of every month, with the rule's months kept here, it answers.
    static func explicitDay(_ rule: RecurrenceRule, start: LocalDateTime) -> Variant? {
        guard rule.frequency == .yearly && !rule.byMonth.isEmpty || rule.frequency == .monthly,
            rule.byDay.isEmpty, rule.byMonthDay.isEmpty, rule.byYearDay.isEmpty, rule.byWeekNo.isEmpty,
            rule.bySetPos.isEmpty
        else { return nil }
        var written = superset(rule, start: start)
        written.byMonthDay = [start.date.day]
        written.byMonth = Array(1...12)
        let months = Set(rule.byMonth)
        return Variant(
            rule: written.description, limit: supersetLimit, defect: .refused,
            check: .selected(count: rule.count) { locals in
                locals.sorted().filter {
                    months.isEmpty || months.contains(CivilDate(dayNumber: Int(floorDiv($0, 86_400))).month)
                }
            })
    }

    // MARK: the workarounds

    /// FREQ=DAILY;BYMONTHDAY=… is FREQ=MONTHLY;BYMONTHDAY=…: libical reads the latter right. With
    /// INTERVAL n, the monthly rule gives a superset and the days of the daily grid are kept here.
    static func dailyAsMonthly(_ rule: RecurrenceRule, start: LocalDateTime) -> Variant? {
        guard rule.frequency == .daily, !rule.byMonthDay.isEmpty, rule.bySetPos.isEmpty, rule.byYearDay.isEmpty,
            rule.byWeekNo.isEmpty
        else { return nil }
        var monthly = rule
        monthly.frequency = .monthly
        if rule.interval == 1 {
            return Variant(rule: monthly.description, defect: .dailyByMonthDay, check: .agrees(expected: nil))
        }
        monthly = superset(monthly, start: start)
        monthly.interval = 1
        let n = Int64(rule.interval)
        let first = Int64(start.date.dayNumber)
        return Variant(
            rule: monthly.description, limit: supersetLimit, defect: .dailyByMonthDay,
            check: .selected(count: rule.count) { locals in
                locals.sorted().filter { (floorDiv($0, 86_400) - first) % n == 0 }
            })
    }

    /// HOURLY, MINUTELY or SECONDLY (INTERVAL 1) with BY-time limits is FREQ=DAILY with every
    /// hour, minute and second it allows listed: libical expands DAILY rules right.
    static func finerAsDaily(_ rule: RecurrenceRule, start: LocalDateTime) -> Variant? {
        guard rule.frequency < .daily, rule.bySetPos.isEmpty, rule.byYearDay.isEmpty,
            rule.byWeekNo.isEmpty, !(rule.byHour.isEmpty && rule.byMinute.isEmpty && rule.bySecond.isEmpty)
        else { return nil }
        let clock = start.localSeconds % 86_400
        var daily = rule
        // DAILY with BYMONTHDAY is a libical defect of its own: MONTHLY holds the same days.
        daily.frequency = rule.byMonthDay.isEmpty ? .daily : .monthly
        daily.byHour = rule.byHour.isEmpty ? Array(0...23) : rule.byHour
        daily.byMinute =
            !rule.byMinute.isEmpty ? rule.byMinute : rule.frequency == .hourly ? [Int(clock / 60 % 60)] : Array(0...59)
        daily.bySecond =
            !rule.bySecond.isEmpty ? rule.bySecond : rule.frequency == .secondly ? Array(0...59) : [Int(clock % 60)]
        if rule.interval == 1 {
            return Variant(
                rule: daily.description, limit: rule.count, defect: .finerSteps, check: .agrees(expected: nil))
        }
        // Every n-th hour, minute or second from DTSTART: a superset, and the steps kept here.
        daily = superset(daily, start: start)
        daily.interval = 1
        let unit: Int64 = rule.frequency == .hourly ? 3600 : rule.frequency == .minutely ? 60 : 1
        let step = unit * Int64(rule.interval)
        let origin = floorDiv(start.localSeconds, unit) * unit
        return Variant(
            rule: daily.description, limit: supersetLimit, defect: .finerSteps,
            check: .selected(count: rule.count) { locals in
                locals.sorted().filter { local in
                    local >= start.localSeconds && (floorDiv(local, unit) * unit - origin) % step == 0
                }
            })
    }

    /// BYSETPOS left out (and COUNT); the positions are then taken here in each period of the
    /// rule's frequency from libical's answer.
    static func setPosApplied(_ rule: RecurrenceRule, start: LocalDateTime) -> Variant? {
        var superset = allMonths(superset(rule, start: start))
        superset.bySetPos = []
        let positions = rule.bySetPos
        let key = periodKey(rule)
        return Variant(
            rule: superset.description, limit: supersetLimit, defect: .setPosWithTimes,
            check: .selected(count: rule.count, period: key) { locals in
                let all = periods(locals, key: key, dropLast: locals.count >= supersetLimit)
                return pick(positions, in: all).filter { $0 >= start.localSeconds }
            })
    }

    /// YEARLY with BYDAY (no ordinals) and BYWEEKNO: BYWEEKNO left out (and COUNT); the week
    /// numbers (ISO 8601 with WKST) are then applied here.
    static func weekNumbersApplied(_ rule: RecurrenceRule, start: LocalDateTime) -> Variant? {
        guard rule.frequency == .yearly, !rule.byWeekNo.isEmpty, rule.byDay.allSatisfy({ $0.ordinal == 0 }),
            rule.bySetPos.isEmpty, rule.byYearDay.isEmpty, !rule.byDay.isEmpty || !rule.byMonthDay.isEmpty
        else { return nil }
        var superset = allMonths(superset(rule, start: start))
        superset.byWeekNo = []
        let parts = DayParts(weeks: rule.byWeekNo, weekStart: rule.weekStart)
        return Variant(
            rule: superset.description, limit: supersetLimit, defect: .weekNumbers,
            check: .selected(count: rule.count) { parts.kept($0) })
    }

    /// YEARLY with BYYEARDAY and other day parts (libical refuses): BYYEARDAY left out (and
    /// COUNT) and applied here as a limit.
    static func yearDaysApplied(_ rule: RecurrenceRule, start: LocalDateTime) -> Variant? {
        guard rule.frequency == .yearly, !rule.byYearDay.isEmpty, rule.bySetPos.isEmpty, rule.byWeekNo.isEmpty,
            !rule.byMonthDay.isEmpty || (!rule.byDay.isEmpty && rule.byDay.allSatisfy { $0.ordinal == 0 })
        else { return nil }
        var superset = allMonths(superset(rule, start: start))
        superset.byYearDay = []
        let parts = DayParts(yearDays: rule.byYearDay)
        return Variant(
            rule: superset.description, limit: supersetLimit, defect: .refused,
            check: .selected(count: rule.count) { parts.kept($0) })
    }

    /// WEEKLY with INTERVAL n: asked with INTERVAL 1 (and no COUNT); the weeks of the grid (every
    /// n-th week, weeks beginning on WKST, counted from the week of DTSTART) are kept here.
    static func weeklyGridApplied(_ rule: RecurrenceRule, start: LocalDateTime) -> Variant? {
        guard rule.frequency == .weekly, rule.interval > 1, rule.bySetPos.isEmpty else { return nil }
        var superset = superset(rule, start: start)
        superset.interval = 1
        let n = rule.interval
        let wkst = rule.weekStart
        let first = weekStart(start.date.dayNumber, wkst)
        return Variant(
            rule: superset.description, limit: supersetLimit, defect: .weeklyGrid,
            check: .selected(count: rule.count) { locals in
                locals.sorted().filter { local in
                    (weekStart(Int(floorDiv(local, 86_400)), wkst) - first) / 7 % n == 0
                }
            })
    }

    /// YEARLY or MONTHLY with BYMONTHDAY and numbered BYDAY (libical refuses): BYDAY left out
    /// (and COUNT); "the n-th weekday of the month" (of the year for YEARLY without BYMONTH) is
    /// then applied here as a limit.
    static func ordinalDaysApplied(_ rule: RecurrenceRule, start: LocalDateTime) -> Variant? {
        guard rule.frequency == .yearly || rule.frequency == .monthly, !rule.byMonthDay.isEmpty,
            rule.byDay.contains(where: { $0.ordinal != 0 }), rule.bySetPos.isEmpty, rule.byWeekNo.isEmpty,
            rule.byYearDay.isEmpty
        else { return nil }
        var superset = superset(rule, start: start)
        superset.byDay = []
        let parts = DayParts(days: rule.byDay, inMonth: rule.frequency == .monthly || !rule.byMonth.isEmpty)
        return Variant(
            rule: superset.description, limit: supersetLimit, defect: .refused,
            check: .selected(count: rule.count) { parts.kept($0) })
    }

    /// YEARLY or MONTHLY with day parts libical gets wrong or refuses (BYWEEKNO, BYYEARDAY,
    /// numbered BYDAY, BYSETPOS): libical is asked only for every day of the months (BYMONTH) on
    /// the rule's grid at its times; the day parts, BYSETPOS and COUNT are applied here, as RFC
    /// 5545 3.3.10 says: the day parts limit each other, BYSETPOS picks in each period.
    static func dayPartsApplied(_ rule: RecurrenceRule, start: LocalDateTime) -> Variant? {
        guard rule.frequency == .yearly || rule.frequency == .monthly,
            !(rule.byWeekNo.isEmpty && rule.byYearDay.isEmpty && rule.byMonthDay.isEmpty && rule.byDay.isEmpty)
        else { return nil }
        var every = superset(rule, start: start)
        (every.byWeekNo, every.byYearDay, every.byMonthDay, every.bySetPos) = ([], [], [], [])
        every.byDay = Weekday.allCases.map { RecurrenceRule.WeekdayNumber($0, ordinal: 0) }
        if every.byMonth.isEmpty { every.byMonth = Array(1...12) }
        let parts = DayParts(rule)
        let key = periodKey(rule)
        let positions = rule.bySetPos
        let defect: LibicalDefect = rule.byWeekNo.isEmpty ? .dayParts : .weekNumbers
        return Variant(
            rule: every.description, limit: 150_000, defect: defect,
            check: .selected(count: rule.count, period: positions.isEmpty ? nil : key) { locals in
                let kept = parts.kept(locals)
                guard !positions.isEmpty else { return kept.filter { $0 >= start.localSeconds } }
                let all = periods(kept, key: key, dropLast: locals.count >= 150_000)
                return pick(positions, in: all).filter { $0 >= start.localSeconds }
            })
    }

    // MARK: calendar arithmetic, independent of the engine under test

    /// The period of a rule's frequency a wall time falls in, as a number.
    static func periodKey(_ rule: RecurrenceRule) -> @Sendable (Int64) -> Int64 {
        let wkst = rule.weekStart
        switch rule.frequency {
        case .yearly: return { Int64(CivilDate(dayNumber: Int(floorDiv($0, 86_400))).year) }
        case .monthly:
            return { local in
                let d = CivilDate(dayNumber: Int(floorDiv(local, 86_400)))
                return Int64(d.year * 12 + d.month)
            }
        case .weekly: return { Int64(weekStart(Int(floorDiv($0, 86_400)), wkst)) }
        case .daily: return { floorDiv($0, 86_400) }
        case .hourly: return { floorDiv($0, 3600) }
        case .minutely: return { floorDiv($0, 60) }
        case .secondly: return { $0 }
        }
    }

    /// BYSETPOS as RFC 5545 3.3.10 says: in each period the instances at these positions (1 the
    /// first, -1 the last), each once, in time order.
    static func pick(_ positions: [Int], in periods: [[Int64]]) -> [Int64] {
        var picked: [Int64] = []
        for period in periods {
            var chosen = Set<Int64>()
            for p in positions {
                let i = p > 0 ? p - 1 : period.count + p
                if i >= 0 && i < period.count { chosen.insert(period[i]) }
            }
            picked += chosen.sorted()
        }
        return picked
    }

    /// Wall times grouped by period, in order; the last group left out when the answer was cut off.
    static func periods(_ locals: [Int64], key: (Int64) -> Int64, dropLast: Bool) -> [[Int64]] {
        var groups: [[Int64]] = []
        var current: Int64?
        for local in locals.sorted() {
            let k = key(local)
            if k != current {
                groups.append([])
                current = k
            }
            groups[groups.count - 1].append(local)
        }
        if dropLast && !groups.isEmpty { groups.removeLast() }
        return groups
    }

    /// The day number of the first day of the week (beginning on `wkst`) that holds `day`.
    static func weekStart(_ day: Int, _ wkst: Weekday) -> Int {
        let weekday = CivilDate(dayNumber: day).weekday.rawValue
        return day - (weekday - wkst.rawValue + 7) % 7
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
}

/// ISO 8601 week numbering with a given first day of the week (RFC 5545 3.3.10, WKST): week 1
/// is the first week with at least four days of the year.
struct WeekNumbering {
    var number: Int
    var weeksInYear: Int

    init(day: Int, weekStart wkst: Weekday) {
        func weekOne(_ year: Int) -> Int {
            let jan1 = CivilDate.dayNumber(year: year, month: 1, day: 1)
            let start = Variant.weekStart(jan1, wkst)
            return jan1 - start <= 3 ? start : start + 7
        }
        var year = CivilDate(dayNumber: day).year + 1
        while weekOne(year) > day { year -= 1 }
        number = (day - weekOne(year)) / 7 + 1
        weeksInYear = (weekOne(year + 1) - weekOne(year)) / 7
    }
}

/// The day parts of a YEARLY or MONTHLY rule (BYWEEKNO, BYYEARDAY, BYMONTHDAY, BYDAY), each a
/// limit on a day, read as RFC 5545 3.3.10 says: a numbered BYDAY counts within the month for
/// MONTHLY or with BYMONTH, else within the year.
struct DayParts: Sendable {
    var weeks: [Int]
    var yearDays: [Int]
    var monthDays: [Int]
    var days: [RecurrenceRule.WeekdayNumber]
    var weekStart: Weekday
    var inMonth: Bool

    init(
        weeks: [Int] = [], yearDays: [Int] = [], monthDays: [Int] = [], days: [RecurrenceRule.WeekdayNumber] = [],
        weekStart: Weekday = .monday, inMonth: Bool = false
    ) {
        (self.weeks, self.yearDays, self.monthDays, self.days) = (weeks, yearDays, monthDays, days)
        (self.weekStart, self.inMonth) = (weekStart, inMonth)
    }

    /// All the day parts of a rule.
    init(_ rule: RecurrenceRule) {
        self.init(
            weeks: rule.byWeekNo, yearDays: rule.byYearDay, monthDays: rule.byMonthDay, days: rule.byDay,
            weekStart: rule.weekStart, inMonth: rule.frequency == .monthly || !rule.byMonth.isEmpty)
    }

    /// The wall times whose days hold, in order.
    func kept(_ locals: [Int64]) -> [Int64] {
        locals.sorted().filter { holds(day: Int(Variant.floorDiv($0, 86_400))) }
    }

    func holds(day: Int) -> Bool {
        let date = CivilDate(dayNumber: day)
        if !weeks.isEmpty {
            let w = WeekNumbering(day: day, weekStart: weekStart)
            guard weeks.contains(w.number) || weeks.contains(w.number - w.weeksInYear - 1) else { return false }
        }
        let jan1 = CivilDate.dayNumber(year: date.year, month: 1, day: 1)
        let nextYear = CivilDate.dayNumber(year: date.year + 1, month: 1, day: 1)
        if !yearDays.isEmpty {
            let n = day - jan1 + 1
            guard yearDays.contains(n) || yearDays.contains(n - (nextYear - jan1) - 1) else { return false }
        }
        let first = CivilDate.dayNumber(year: date.year, month: date.month, day: 1)
        let next =
            date.month == 12 ? nextYear : CivilDate.dayNumber(year: date.year, month: date.month + 1, day: 1)
        if !monthDays.isEmpty {
            let n = day - first + 1
            guard monthDays.contains(n) || monthDays.contains(n - (next - first) - 1) else { return false }
        }
        if !days.isEmpty {
            let (from, to) = inMonth ? (first, next) : (jan1, nextYear)
            let fromStart = (day - from) / 7 + 1
            let fromEnd = -((to - 1 - day) / 7 + 1)
            let numbered = weeks.isEmpty
            guard
                days.contains(where: { d in
                    d.weekday == date.weekday
                        && (d.ordinal == 0 || (numbered && (d.ordinal == fromStart || d.ordinal == fromEnd)))
                })
            else { return false }
        }
        return true
    }
}
