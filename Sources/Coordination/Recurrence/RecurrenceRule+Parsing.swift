extension RecurrenceRule {
    /// Parses and validates RRULE text (`FREQ=WEEKLY;BYDAY=MO`), without a leading `RRULE:`.
    ///
    /// Checks everything that does not need DTSTART: known parts, each once, value kinds and
    /// ranges, COUNT with UNTIL, and the parts RFC 5545 forbids with the given FREQ.
    /// `validate(start:)` checks the rest.
    public init(parsing text: String) throws(RecurrenceRuleError) {
        var fields: [(String, String)] = []
        for raw in text.pieces(at: ";") {
            guard let eq = raw.firstIndex(of: "="), eq != raw.startIndex else { throw .malformedPart(String(raw)) }
            let name = raw[..<eq].uppercased()
            let value = String(raw[raw.index(after: eq)...])
            // A rule has a dozen parts at most: looked through, not hashed.
            guard !fields.contains(where: { $0.0 == name }) else { throw .duplicatePart(name) }
            fields.append((name, value))
        }
        guard let freqText = fields.first(where: { $0.0 == "FREQ" })?.1 else { throw .missingFrequency }
        guard let freq = Frequency(rawValue: freqText.uppercased()) else {
            throw .invalidValue(
                part: "FREQ", value: freqText, allowed: "SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY")
        }
        self.init(frequency: freq)
        for (name, value) in fields {
            switch name {
            case "FREQ": break
            case "INTERVAL": interval = try Self.positive("INTERVAL", value, upTo: Self.maxInterval)
            case "COUNT": count = try Self.positive("COUNT", value, upTo: Self.maxCount)
            case "UNTIL": until = try Self.until(value)
            case "BYSECOND": bySecond = try Self.numbers("BYSECOND", value, range: 0...60, signed: false)
            case "BYMINUTE": byMinute = try Self.numbers("BYMINUTE", value, range: 0...59, signed: false)
            case "BYHOUR": byHour = try Self.numbers("BYHOUR", value, range: 0...23, signed: false)
            case "BYMONTHDAY": byMonthDay = try Self.numbers("BYMONTHDAY", value, range: 1...31, signed: true)
            case "BYYEARDAY": byYearDay = try Self.numbers("BYYEARDAY", value, range: 1...366, signed: true)
            case "BYWEEKNO": byWeekNo = try Self.numbers("BYWEEKNO", value, range: 1...53, signed: true)
            case "BYMONTH": byMonth = try Self.numbers("BYMONTH", value, range: 1...12, signed: false)
            case "BYSETPOS": bySetPos = try Self.numbers("BYSETPOS", value, range: 1...366, signed: true)
            case "BYDAY": byDay = try Self.weekdays(value, frequency: freq)
            case "WKST":
                guard let day = Weekday(code: value.uppercased()) else {
                    throw .invalidValue(part: "WKST", value: value, allowed: "MO, TU, WE, TH, FR, SA, SU")
                }
                weekStart = day
                weekStartGiven = true
            default:
                throw .unknownPart(name)
            }
        }
        if count != nil && until != nil { throw .countAndUntil }
        try checkFrequencyRules()
    }

    /// Checks what needs DTSTART: UNTIL must not lie before it (compared on the wall clock;
    /// a UTC UNTIL is compared after `utcOffsetOfStart` is applied to DTSTART).
    public func validate(start: LocalDateTime, utcOffsetOfStart: Int = 0) throws(RecurrenceRuleError) {
        guard let until else { return }
        let before: Bool
        switch until {
        case .date(let d): before = d < start.date
        case .floating(let t): before = t < start
        case .utc(let t): before = t.localSeconds < start.localSeconds - Int64(utcOffsetOfStart)
        }
        if before { throw .untilBeforeStart(until: until.description, start: start.description) }
    }

    private func checkFrequencyRules() throws(RecurrenceRuleError) {
        let f = frequency.rawValue
        if !byWeekNo.isEmpty && frequency != .yearly {
            throw .notAllowedWithFrequency(
                part: "BYWEEKNO", value: Self.join(byWeekNo), frequency: f, allowed: "BYWEEKNO only with FREQ=YEARLY")
        }
        if !byYearDay.isEmpty && [.daily, .weekly, .monthly].contains(frequency) {
            throw .notAllowedWithFrequency(
                part: "BYYEARDAY", value: Self.join(byYearDay), frequency: f,
                allowed: "BYYEARDAY with FREQ=YEARLY, HOURLY, MINUTELY or SECONDLY")
        }
        if !byMonthDay.isEmpty && frequency == .weekly {
            throw .notAllowedWithFrequency(
                part: "BYMONTHDAY", value: Self.join(byMonthDay), frequency: f,
                allowed: "BYMONTHDAY with any FREQ but WEEKLY")
        }
        if let numbered = byDay.first(where: { $0.ordinal != 0 }) {
            let value = byDay.map(\.description).joined(separator: ",")
            if frequency != .monthly && frequency != .yearly {
                throw .notAllowedWithFrequency(
                    part: "BYDAY", value: value, frequency: f,
                    allowed: "numbered weekdays (\(numbered)) only with FREQ=MONTHLY or YEARLY")
            }
            if frequency == .yearly && !byWeekNo.isEmpty {
                throw .notAllowedWithFrequency(
                    part: "BYDAY", value: value, frequency: f,
                    allowed: "numbered weekdays (\(numbered)) not together with BYWEEKNO")
            }
        }
    }

    private static func join(_ values: [Int]) -> String { values.map(String.init).joined(separator: ",") }

    /// The largest INTERVAL read: every 10,000th period (a year, a second) is beyond any
    /// calendar of a district, and keeps every step of the expansion within 64 bits.
    public static let maxInterval = 10_000
    /// The largest COUNT read: a million instances, beyond any series of sessions.
    public static let maxCount = 1_000_000

    private static func positive(_ part: String, _ value: String, upTo limit: Int) throws(RecurrenceRuleError) -> Int {
        let digits = value.first == "-" ? value.dropFirst() : Substring(value)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .invalidValue(part: part, value: value, allowed: "a whole number from 1")
        }
        // Too large for 64 bits is out of range too, not malformed.
        guard let n = Int(value), n >= 1, n <= limit else {
            throw .outOfRange(part: part, value: value, allowed: "1 to \(limit)")
        }
        return n
    }

    private static func numbers(_ part: String, _ value: String, range: ClosedRange<Int>, signed: Bool)
        throws(RecurrenceRuleError) -> [Int]
    {
        var allowed: String {
            signed
                ? "\(-range.upperBound) to \(-range.lowerBound) or \(range.lowerBound) to \(range.upperBound)"
                : "\(range.lowerBound) to \(range.upperBound)"
        }
        var result: [Int] = []
        for item in value.pieces(at: ",", omittingEmptySubsequences: false) {
            let digits = item.hasPrefix("+") ? item.dropFirst() : item
            guard let n = Int(digits), !digits.hasPrefix("+") else {
                throw .invalidValue(part: part, value: value, allowed: "comma-separated whole numbers, \(allowed)")
            }
            let inRange = signed ? (n != 0 && range.contains(abs(n))) : range.contains(n)
            guard inRange else { throw .outOfRange(part: part, value: value, allowed: allowed) }
            result.append(n)
        }
        return result
    }

    private static func weekdays(_ value: String, frequency: Frequency) throws(RecurrenceRuleError) -> [WeekdayNumber] {
        let maxOrdinal = frequency == .monthly ? 5 : 53
        var allowed: String {
            "comma-separated MO, TU, WE, TH, FR, SA, SU, each optionally numbered -\(maxOrdinal) to -1 or 1 to \(maxOrdinal) (2TU, -1TH)"
        }
        var result: [WeekdayNumber] = []
        for item in value.pieces(at: ",", omittingEmptySubsequences: false) {
            let text = item.uppercased()
            guard text.count >= 2, let day = Weekday(code: String(text.suffix(2))) else {
                throw .invalidValue(part: "BYDAY", value: value, allowed: allowed)
            }
            let prefix = text.dropLast(2)
            var ordinal = 0
            if !prefix.isEmpty {
                let digits = prefix.hasPrefix("+") ? prefix.dropFirst() : prefix
                guard let n = Int(digits), !digits.dropFirst().hasPrefix("+") else {
                    throw .invalidValue(part: "BYDAY", value: value, allowed: allowed)
                }
                guard n != 0, abs(n) <= maxOrdinal else {
                    throw .outOfRange(part: "BYDAY", value: value, allowed: allowed)
                }
                ordinal = n
            }
            result.append(WeekdayNumber(day, ordinal: ordinal))
        }
        return result
    }

    private static func until(_ value: String) throws(RecurrenceRuleError) -> Until {
        let allowed = "a DATE (YYYYMMDD) or DATE-TIME (YYYYMMDDTHHMMSS, with Z for UTC)"
        guard let parsed = ICalDateText.parse(value) else {
            throw .invalidValue(part: "UNTIL", value: value, allowed: allowed)
        }
        switch parsed {
        case .date(let d): return .date(d)
        case .dateTime(let t, let isUTC): return isUTC ? .utc(t) : .floating(t)
        }
    }
}

/// The DATE and DATE-TIME text forms of RFC 5545 (3.3.4, 3.3.5).
public enum ICalDateText: Sendable, Hashable {
    case date(CivilDate)
    case dateTime(LocalDateTime, isUTC: Bool)

    /// Parses `YYYYMMDD`, `YYYYMMDDTHHMMSS` or `YYYYMMDDTHHMMSSZ`; `nil` when not a real date or time.
    public static func parse(_ text: String) -> ICalDateText? { parse(Substring(text)) }

    /// `parse` of a piece of a longer text (an item of an EXDATE list), read in place.
    public static func parse(_ text: Substring) -> ICalDateText? {
        var text = text
        return text.withUTF8(parse(utf8:))
    }

    private static func parse(utf8 b: UnsafeBufferPointer<UInt8>) -> ICalDateText? {
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for i in from..<from + count {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = digits(0, 4), let m = digits(4, 2), let d = digits(6, 2) else { return nil }
        let date = CivilDate(year: y, month: m, day: d)
        guard date.isValid else { return nil }
        if b.count == 8 { return .date(date) }
        guard b.count == 15 || (b.count == 16 && (b[15] == UInt8(ascii: "Z") || b[15] == UInt8(ascii: "z"))),
            b[8] == UInt8(ascii: "T") || b[8] == UInt8(ascii: "t"),
            let hh = digits(9, 2), let mm = digits(11, 2), let ss = digits(13, 2),
            hh < 24, mm < 60, ss <= 60
        else { return nil }
        let t = LocalDateTime(date: date, secondOfDay: hh * 3600 + mm * 60 + min(ss, 59))
        return .dateTime(t, isUTC: b.count == 16)
    }
}
