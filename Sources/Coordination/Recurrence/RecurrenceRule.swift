/// An RFC 5545 recurrence rule (3.3.10), as parsed and validated; expansion lives in
/// `RecurrenceSet`.
///
/// Values keep the order and sign as written, so a rule prints back the way it came in
/// (`description` is the canonical RRULE text).
public struct RecurrenceRule: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Frequency: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        case secondly = "SECONDLY"
        case minutely = "MINUTELY"
        case hourly = "HOURLY"
        case daily = "DAILY"
        case weekly = "WEEKLY"
        case monthly = "MONTHLY"
        case yearly = "YEARLY"

        var rank: Int { Frequency.allCases.firstIndex(of: self) ?? 0 }

        public static func < (a: Frequency, b: Frequency) -> Bool { a.rank < b.rank }
    }

    /// A BYDAY entry: a weekday, optionally numbered (`2TU`, `-1TH`); ordinal 0 means every.
    public struct WeekdayNumber: Sendable, Hashable, Codable, CustomStringConvertible {
        public var ordinal: Int
        public var weekday: Weekday

        public init(_ weekday: Weekday, ordinal: Int = 0) {
            self.weekday = weekday
            self.ordinal = ordinal
        }

        public var description: String { ordinal == 0 ? weekday.code : "\(ordinal)\(weekday.code)" }
    }

    /// The UNTIL bound: a date, a floating date-time, or a UTC date-time (`Z`).
    public enum Until: Sendable, Hashable, Codable, CustomStringConvertible {
        case date(CivilDate)
        case floating(LocalDateTime)
        case utc(LocalDateTime)

        public var description: String {
            switch self {
            case .date(let d): return d.basicFormat
            case .floating(let t): return t.basicFormat
            case .utc(let t): return t.basicFormat + "Z"
            }
        }
    }

    public var frequency: Frequency
    public var interval: Int = 1
    public var count: Int?
    public var until: Until?
    public var bySecond: [Int] = []
    public var byMinute: [Int] = []
    public var byHour: [Int] = []
    public var byDay: [WeekdayNumber] = []
    public var byMonthDay: [Int] = []
    public var byYearDay: [Int] = []
    public var byWeekNo: [Int] = []
    public var byMonth: [Int] = []
    public var bySetPos: [Int] = []
    public var weekStart: Weekday = .monday
    /// Whether WKST was written (kept so the text round-trips).
    public var weekStartGiven = false

    public init(frequency: Frequency) {
        self.frequency = frequency
    }

    /// The rule as RRULE text, parts in RFC 5545 order.
    public var description: String {
        var parts = ["FREQ=\(frequency.rawValue)"]
        if let until { parts.append("UNTIL=\(until)") }
        if let count { parts.append("COUNT=\(count)") }
        if interval != 1 { parts.append("INTERVAL=\(interval)") }
        func list(_ name: String, _ values: [Int]) {
            if !values.isEmpty { parts.append("\(name)=" + values.map(String.init).joined(separator: ",")) }
        }
        list("BYSECOND", bySecond)
        list("BYMINUTE", byMinute)
        list("BYHOUR", byHour)
        if !byDay.isEmpty { parts.append("BYDAY=" + byDay.map(\.description).joined(separator: ",")) }
        list("BYMONTHDAY", byMonthDay)
        list("BYYEARDAY", byYearDay)
        list("BYWEEKNO", byWeekNo)
        list("BYMONTH", byMonth)
        list("BYSETPOS", bySetPos)
        if weekStartGiven { parts.append("WKST=\(weekStart.code)") }
        return parts.joined(separator: ";")
    }
}
