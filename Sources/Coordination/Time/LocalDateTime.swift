/// A wall-clock date and time without a zone: what a calendar shows, not an instant.
///
/// The recurrence engine works in wall-clock time (RFC 5545 3.3.10); a zone turns a
/// `LocalDateTime` into an instant. Seconds run 0...59 (a leap second 60 is clamped by parsers).
public struct LocalDateTime: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var date: CivilDate
    /// Seconds since midnight, 0..<86400.
    public var secondOfDay: Int

    public init(date: CivilDate, secondOfDay: Int = 0) {
        self.date = date
        self.secondOfDay = secondOfDay
    }

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.date = CivilDate(year: year, month: month, day: day)
        self.secondOfDay = hour * 3600 + minute * 60 + second
    }

    /// The wall-clock time `seconds` after 1970-01-01T00:00:00 (as if it were UTC).
    public init(localSeconds seconds: Int64) {
        let s = Int(seconds)
        let days = s >= 0 ? s / 86_400 : -((-s + 86_399) / 86_400)
        self.date = CivilDate(dayNumber: days)
        self.secondOfDay = s - days * 86_400
    }

    /// Seconds since 1970-01-01T00:00:00 on the wall clock (read as if it were UTC).
    public var localSeconds: Int64 { Int64(date.dayNumber) * 86_400 + Int64(secondOfDay) }

    public var hour: Int { secondOfDay / 3600 }
    public var minute: Int { secondOfDay / 60 % 60 }
    public var second: Int { secondOfDay % 60 }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool {
        (a.date, a.secondOfDay) < (b.date, b.secondOfDay)
    }

    /// `YYYY-MM-DDTHH:MM:SS`.
    public var description: String {
        guard date.fitsTenDigits, (0..<86_400).contains(secondOfDay) else {
            return "\(date)T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
        }
        return String(unsafeUninitializedCapacity: 19) { write(into: $0, separators: true) }
    }

    /// `YYYYMMDDTHHMMSS`, the iCalendar DATE-TIME form without `Z`.
    public var basicFormat: String {
        guard date.fitsTenDigits, (0..<86_400).contains(secondOfDay) else {
            return "\(date.basicFormat)T\(pad(hour, 2))\(pad(minute, 2))\(pad(second, 2))"
        }
        // Written digit by digit: every DTSTART, DTEND, EXDATE and RECURRENCE-ID of a feed.
        return String(unsafeUninitializedCapacity: 15) { write(into: $0, separators: false) }
    }

    /// The ISO form (`description`) or the basic form into `out`; the number of bytes written.
    @inline(__always)
    private func write(into out: UnsafeMutableBufferPointer<UInt8>, separators: Bool) -> Int {
        var i = writeDigits(of: date, into: out, separator: separators ? 0x2D : nil)
        out[i] = 0x54
        i += 1
        writeTwoDigits(hour, after: nil, into: out, at: &i)
        writeTwoDigits(minute, after: separators ? 0x3A : nil, into: out, at: &i)
        writeTwoDigits(second, after: separators ? 0x3A : nil, into: out, at: &i)
        return i
    }
}

/// Formats a UTC offset in seconds as `+HH:MM` (or `+HH:MM:SS` when it has seconds).
public func formatOffset(_ offset: Int, separator: String = ":") -> String {
    let sign = offset < 0 ? "-" : "+"
    let a = abs(offset)
    var text = "\(sign)\(pad(a / 3600, 2))\(separator)\(pad(a / 60 % 60, 2))"
    if a % 60 != 0 { text += "\(separator)\(pad(a % 60, 2))" }
    return text
}

extension LocalDateTime {
    /// Reads `YYYY-MM-DDTHH:MM:SS` (the form of `description`) or `YYYY-MM-DDTHH:MM`, a space
    /// accepted instead of `T`; `nil` otherwise.
    public init?(iso text: String) {
        // Read in place: every stored time is read back through here.
        var text = text
        guard let time = text.withUTF8({ LocalDateTime(isoUTF8: $0) }) else { return nil }
        self = time
    }

    /// `YYYY-MM-DDTHH:MM:SS` (or a space for the `T`, or without seconds) from its UTF-8 bytes.
    init?(isoUTF8 b: UnsafeBufferPointer<UInt8>) {
        guard b.count == 16 || b.count == 19, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
            b[13] == UInt8(ascii: ":"), b.count == 16 || b[16] == UInt8(ascii: ":"),
            let date = CivilDate(isoUTF8: UnsafeBufferPointer(rebasing: b[0..<10])),
            let hour = CivilDate.decimal(b, 11..<13), let minute = CivilDate.decimal(b, 14..<16),
            let second = b.count == 16 ? 0 : CivilDate.decimal(b, 17..<19),
            hour < 24, minute < 60, second < 60
        else { return nil }
        self.init(date: date, secondOfDay: hour * 3600 + minute * 60 + second)
    }
}

extension LocalDateTime {
    /// `14:00`: hours and minutes, as minutes and attendance lists show them.
    public var clock: String { "\(pad(hour, 2)):\(pad(minute, 2))" }
}
