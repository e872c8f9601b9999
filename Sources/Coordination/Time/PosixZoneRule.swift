/// The rule a POSIX `TZ` string states, as TZif files carry in their footer for all times
/// after their last listed transition (RFC 8536 3.3), for example `CET-1CEST,M3.5.0,M10.5.0/3`.
///
/// Offsets here are seconds east of UTC (the POSIX text counts west, so signs flip on parsing).
public struct PosixZoneRule: Sendable, Hashable {
    /// When daylight saving time begins or ends within a year.
    public enum DateRule: Sendable, Hashable {
        /// `Jn`: day n (1...365) not counting February 29.
        case julianNoLeap(Int)
        /// `n`: zero-based day of the year (0...365) counting February 29.
        case zeroBased(Int)
        /// `Mm.w.d`: weekday d (0 = Sunday) of week w (1...5, 5 = last) of month m.
        case monthWeekDay(month: Int, week: Int, weekday: Int)
    }

    public struct DaylightRule: Sendable, Hashable {
        public var abbreviation: String
        public var offset: Int
        public var start: DateRule
        /// Seconds after local midnight (standard time) at which DST starts; may be negative or > 24 h.
        public var startTime: Int
        public var end: DateRule
        /// Seconds after local midnight (daylight time) at which DST ends.
        public var endTime: Int
    }

    public var standardAbbreviation: String
    public var standardOffset: Int
    public var daylight: DaylightRule?

    /// Parses a POSIX TZ string; `nil` when it is not one this reader understands.
    public init?(_ text: String) {
        var scanner = PosixScanner(Array(text.utf8))
        guard let std = scanner.name(), let stdOff = scanner.offset() else { return nil }
        standardAbbreviation = std
        standardOffset = -stdOff
        if scanner.atEnd {
            daylight = nil
            return
        }
        guard let dst = scanner.name() else { return nil }
        var dstOffset = standardOffset + 3600
        if let o = scanner.offset() { dstOffset = -o }
        guard scanner.take(UInt8(ascii: ",")), let start = scanner.dateRule() else { return nil }
        var startTime = 7200
        if scanner.take(UInt8(ascii: "/")) {
            guard let t = scanner.offset() else { return nil }
            startTime = t
        }
        guard scanner.take(UInt8(ascii: ",")), let end = scanner.dateRule() else { return nil }
        var endTime = 7200
        if scanner.take(UInt8(ascii: "/")) {
            guard let t = scanner.offset() else { return nil }
            endTime = t
        }
        guard scanner.atEnd else { return nil }
        daylight = DaylightRule(
            abbreviation: dst, offset: dstOffset, start: start, startTime: startTime, end: end, endTime: endTime)
    }

    /// The day number (days since 1970-01-01) on which a date rule falls in `year`.
    static func dayNumber(_ rule: DateRule, year: Int) -> Int {
        let jan1 = CivilDate.dayNumber(year: year, month: 1, day: 1)
        switch rule {
        case .julianNoLeap(let n):
            let leapShift = CivilDate.isLeapYear(year) && n >= 60 ? 1 : 0
            return jan1 + n - 1 + leapShift
        case .zeroBased(let n):
            return jan1 + n
        case .monthWeekDay(let month, let week, let weekday):
            let first = CivilDate.dayNumber(year: year, month: month, day: 1)
            // POSIX weekday 0 = Sunday; ours 0 = Monday.
            let target = (weekday + 6) % 7
            let firstWeekday = CivilDate.weekday(ofDayNumber: first).rawValue
            var day = first + (target - firstWeekday + 7) % 7 + 7 * (week - 1)
            let length = CivilDate.daysInMonth(year: year, month: month)
            while day >= first + length { day -= 7 }
            return day
        }
    }

    /// The transitions of `year`, in UTC order.
    public func transitions(inYear year: Int) -> [ZoneRules.Transition] {
        guard let dst = daylight else { return [] }
        let onUTC = Int64(Self.dayNumber(dst.start, year: year)) * 86_400 + Int64(dst.startTime - standardOffset)
        let offUTC = Int64(Self.dayNumber(dst.end, year: year)) * 86_400 + Int64(dst.endTime - dst.offset)
        let on = ZoneRules.Transition(
            utc: onUTC, before: standardOffset, after: dst.offset, abbreviation: dst.abbreviation, isDaylight: true)
        let off = ZoneRules.Transition(
            utc: offUTC, before: dst.offset, after: standardOffset, abbreviation: standardAbbreviation,
            isDaylight: false)
        return onUTC < offUTC ? [on, off] : [off, on]
    }
}

/// A byte cursor over a POSIX TZ string.
private struct PosixScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func name() -> String? {
        if take(UInt8(ascii: "<")) {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
            guard index < bytes.count else { return nil }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            index += 1
            return text
        }
        let start = index
        while index < bytes.count, (bytes[index] | 0x20) >= UInt8(ascii: "a"),
            (bytes[index] | 0x20) <= UInt8(ascii: "z")
        {
            index += 1
        }
        return index - start >= 3 ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
    }

    mutating func number() -> Int? {
        let start = index
        var value = 0
        while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
            value = value * 10 + Int(bytes[index] - 48)
            index += 1
        }
        return index > start ? value : nil
    }

    /// `[+-]hh[:mm[:ss]]` in seconds, sign as written.
    mutating func offset() -> Int? {
        var sign = 1
        if take(UInt8(ascii: "-")) { sign = -1 } else { _ = take(UInt8(ascii: "+")) }
        guard let h = number() else { return nil }
        var total = h * 3600
        if take(UInt8(ascii: ":")) {
            guard let m = number() else { return nil }
            total += m * 60
            if take(UInt8(ascii: ":")) {
                guard let s = number() else { return nil }
                total += s
            }
        }
        return sign * total
    }

    mutating func dateRule() -> PosixZoneRule.DateRule? {
        if take(UInt8(ascii: "M")) {
            guard let m = number(), take(UInt8(ascii: ".")), let w = number(), take(UInt8(ascii: ".")),
                let d = number(), (1...12).contains(m), (1...5).contains(w), (0...6).contains(d)
            else { return nil }
            return .monthWeekDay(month: m, week: w, weekday: d)
        }
        if take(UInt8(ascii: "J")) {
            guard let n = number(), (1...365).contains(n) else { return nil }
            return .julianNoLeap(n)
        }
        guard let n = number(), (0...365).contains(n) else { return nil }
        return .zeroBased(n)
    }
}
