/// A day of the proleptic Gregorian calendar, without a time zone.
///
/// Recurrence works on wall-clock dates; the day number (days since 1970-01-01) makes
/// arithmetic exact and cheap. Algorithms after Howard Hinnant's `days_from_civil`.
public struct CivilDate: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber z0: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01 (negative before).
    public var dayNumber: Int { CivilDate.dayNumber(year: year, month: month, day: day) }

    /// Days since 1970-01-01 of a year, month and day (the day may be out of the month's range).
    public static func dayNumber(year y0: Int, month m: Int, day d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The weekday of a day number.
    public static func weekday(ofDayNumber z: Int) -> Weekday {
        // 1970-01-01 was a Thursday.
        let r = ((z + 3) % 7 + 7) % 7  // 0 = Monday
        return Weekday(rawValue: r) ?? .monday
    }

    public var weekday: Weekday { CivilDate.weekday(ofDayNumber: dayNumber) }

    public static func isLeapYear(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysInYear(_ y: Int) -> Int { isLeapYear(y) ? 366 : 365 }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Whether the fields name a real day.
    public var isValid: Bool {
        (1...12).contains(month) && day >= 1 && day <= CivilDate.daysInMonth(year: year, month: month)
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        guard fitsTenDigits else { return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))" }
        // Written digit by digit: dates are keys of every stored row and of the reports' lines.
        return String(unsafeUninitializedCapacity: 10) { writeDigits(of: self, into: $0) }
    }

    /// Whether `writeDigits` can write it: year 0...9999, month and day 0...99 (else it is padded).
    var fitsTenDigits: Bool { (0...9999).contains(year) && (0...99).contains(month) && (0...99).contains(day) }

    /// `YYYYMMDD`, the iCalendar DATE form.
    public var basicFormat: String {
        guard fitsTenDigits else { return "\(pad(year, 4))\(pad(month, 2))\(pad(day, 2))" }
        return String(unsafeUninitializedCapacity: 8) { writeDigits(of: self, into: $0, separator: nil) }
    }
}

/// `YYYY-MM-DD` into `out` (year 0...9999, month and day 0...99), or `YYYYMMDD` without
/// `separator`; the number of bytes written (10 or 8).
@inline(__always)
@discardableResult
func writeDigits(of date: CivilDate, into out: UnsafeMutableBufferPointer<UInt8>, separator: UInt8? = 0x2D) -> Int {
    out[0] = 0x30 + UInt8(date.year / 1000)
    out[1] = 0x30 + UInt8(date.year / 100 % 10)
    out[2] = 0x30 + UInt8(date.year / 10 % 10)
    out[3] = 0x30 + UInt8(date.year % 10)
    var i = 4
    writeTwoDigits(date.month, after: separator, into: out, at: &i)
    writeTwoDigits(date.day, after: separator, into: out, at: &i)
    return i
}

/// `n` (0...99) as two digits at `out[i]`, `separator` before it when given; `i` moves past them.
@inline(__always)
func writeTwoDigits(_ n: Int, after separator: UInt8?, into out: UnsafeMutableBufferPointer<UInt8>, at i: inout Int) {
    if let separator {
        out[i] = separator
        i += 1
    }
    out[i] = 0x30 + UInt8(n / 10)
    out[i + 1] = 0x30 + UInt8(n % 10)
    i += 2
}

/// Zero-padded decimal, for the fixed-width date and time forms.
@inline(__always)
public func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(abs(value))
    let padded = digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    return value < 0 ? "-" + padded : padded
}

/// A day of the week, Monday first as in ISO 8601 (RFC 5545 default week start).
public enum Weekday: Int, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case monday = 0, tuesday, wednesday, thursday, friday, saturday, sunday

    /// The two-letter RFC 5545 code (`MO` ... `SU`).
    public var code: String { ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][rawValue] }

    public init?(code: String) {
        guard let index = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].firstIndex(of: code) else { return nil }
        self = Weekday.allCases[index]
    }

    public var description: String { code }
}

extension CivilDate {
    /// Reads `YYYY-MM-DD`; `nil` unless it is a real date in that form.
    public init?(iso text: String) {
        // Read in place: every stored row's date is read back through here.
        var text = text
        guard let date = text.withUTF8({ CivilDate(isoUTF8: $0) }) else { return nil }
        self = date
    }

    /// `YYYY-MM-DD` from its UTF-8 bytes.
    init?(isoUTF8 b: UnsafeBufferPointer<UInt8>) {
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            let year = Self.decimal(b, 0..<4), let month = Self.decimal(b, 5..<7), let day = Self.decimal(b, 8..<10)
        else { return nil }
        let date = CivilDate(year: year, month: month, day: day)
        guard date.isValid else { return nil }
        self = date
    }

    /// The number written in `b[range]`; `nil` unless every byte is an ASCII digit.
    static func decimal(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var value = 0
        for i in range {
            let digit = b[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }
}

extension CivilDate {
    /// `13.01.2026`, the German way of writing a date.
    public var german: String { "\(pad(day, 2)).\(pad(month, 2)).\(year)" }
}
