/// Public holidays and closing days: the days on which no session should take place.
///
/// NRW's public holidays are computed (Feiertagsgesetz NW § 2, the Easter-based ones from the
/// Gregorian Easter date); closing days such as Rosenmontag are listed by the district.
public struct HolidayCalendar: Sendable, Hashable {
    /// A day named by a rule that gives one date each year.
    public struct Day: Sendable, Hashable, Codable {
        public enum Rule: Sendable, Hashable, Codable {
            /// The same month and day every year.
            case yearly(month: Int, day: Int)
            /// A number of days after (or, negative, before) Easter Sunday.
            case easter(offset: Int)
            /// One date only.
            case once(CivilDate)
        }

        public var name: String
        public var rule: Rule

        public init(name: String, rule: Rule) {
            self.name = name
            self.rule = rule
        }

        /// The date of this day in `year`, if it has one that year.
        public func date(in year: Int) -> CivilDate? {
            switch rule {
            case .yearly(let month, let day):
                let d = CivilDate(year: year, month: month, day: day)
                return d.isValid ? d : nil
            case .easter(let offset):
                return CivilDate(dayNumber: HolidayCalendar.easterSunday(year).dayNumber + offset)
            case .once(let d):
                return d.year == year ? d : nil
            }
        }
    }

    /// The public holidays of North Rhine-Westphalia.
    public static let northRhineWestphalia: [Day] = [
        Day(name: "Neujahr", rule: .yearly(month: 1, day: 1)),
        Day(name: "Karfreitag", rule: .easter(offset: -2)),
        Day(name: "Ostermontag", rule: .easter(offset: 1)),
        Day(name: "Tag der Arbeit", rule: .yearly(month: 5, day: 1)),
        Day(name: "Christi Himmelfahrt", rule: .easter(offset: 39)),
        Day(name: "Pfingstmontag", rule: .easter(offset: 50)),
        Day(name: "Fronleichnam", rule: .easter(offset: 60)),
        Day(name: "Tag der Deutschen Einheit", rule: .yearly(month: 10, day: 3)),
        Day(name: "Allerheiligen", rule: .yearly(month: 11, day: 1)),
        Day(name: "1. Weihnachtstag", rule: .yearly(month: 12, day: 25)),
        Day(name: "2. Weihnachtstag", rule: .yearly(month: 12, day: 26)),
    ]

    public var holidays: [Day]
    public var closingDays: [Day]
    private var cache: [Int: String] = [:]
    private var cachedYears: ClosedRange<Int>?

    public static func == (a: HolidayCalendar, b: HolidayCalendar) -> Bool {
        a.holidays == b.holidays && a.closingDays == b.closingDays
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(holidays)
        hasher.combine(closingDays)
    }

    /// NRW's holidays plus the district's closing days.
    public init(closingDays: [Day] = [], holidays: [Day] = HolidayCalendar.northRhineWestphalia) {
        self.holidays = holidays
        self.closingDays = closingDays
    }

    /// Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
    public static func easterSunday(_ year: Int) -> CivilDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CivilDate(year: year, month: month, day: day)
    }

    /// Public holidays of `year`, by date, in calendar order.
    public func publicHolidays(in year: Int) -> [(date: CivilDate, name: String)] {
        holidays.compactMap { day in day.date(in: year).map { ($0, day.name) } }.sorted { $0.date < $1.date }
    }

    /// Precomputes the days of these years so lookups are a table read.
    public mutating func prepare(years: ClosedRange<Int>) {
        var table: [Int: String] = [:]
        for year in years {
            for day in closingDays { if let d = day.date(in: year) { table[d.dayNumber] = day.name } }
            // Public holidays win over a closing day of the same date.
            for day in holidays { if let d = day.date(in: year) { table[d.dayNumber] = day.name } }
        }
        cache = table
        cachedYears = years
    }

    /// The name of the holiday or closing day on `date`, or `nil` on an ordinary day.
    public func name(of date: CivilDate) -> String? {
        if let cachedYears, cachedYears.contains(date.year) { return cache[date.dayNumber] }
        if let h = holidays.first(where: { $0.date(in: date.year) == date }) { return h.name }
        return closingDays.first { $0.date(in: date.year) == date }?.name
    }

    /// The holidays and closing days from `first` through `last`, in order.
    public func days(from first: CivilDate, through last: CivilDate) -> [CivilDate] {
        guard first <= last else { return [] }
        var found = Set<Int>()
        for year in first.year...last.year {
            if let cachedYears, cachedYears.contains(year) { continue }
            for day in holidays + closingDays { if let d = day.date(in: year) { found.insert(d.dayNumber) } }
        }
        if let cachedYears, cachedYears.overlaps(first.year...last.year) {
            found.formUnion(cache.keys)
        }
        return found.filter { $0 >= first.dayNumber && $0 <= last.dayNumber }.sorted().map { CivilDate(dayNumber: $0) }
    }

    /// A day on which sessions take place: Monday to Friday, neither holiday nor closing day.
    public func isWorkingDay(_ date: CivilDate) -> Bool {
        date.weekday.rawValue < 5 && name(of: date) == nil
    }

    /// The nearest working day after (`step` 1) or before (`step` -1) `date`.
    public func workingDay(from date: CivilDate, step: Int) -> CivilDate {
        var day = date.dayNumber + step
        while !isWorkingDay(CivilDate(dayNumber: day)) { day += step }
        return CivilDate(dayNumber: day)
    }
}
