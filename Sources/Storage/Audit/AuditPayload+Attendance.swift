import Coordination

extension AttendanceEntry {
    /// The entry an attendance payload records: read directly when the text is exactly what
    /// `auditPayload` (or `AuditPayload.encode`, also with a `reason`) writes, otherwise by
    /// `JSONDecoder`; `nil` when it is no entry at all.
    ///
    /// The direct reader takes only the canonical form (no whitespace, no escapes in strings,
    /// every key once, integers only) and gives up on anything else, so where it answers it
    /// answers as `JSONDecoder` would: `audit verify` reads hundreds of thousands of these.
    public init?(auditPayload text: String) {
        var text = text
        let direct = text.withUTF8 { bytes -> AttendanceEntry? in
            var reader = CanonicalJSONReader(bytes: bytes)
            return reader.attendanceEntry()
        }
        if let direct {
            self = direct
        } else if let decoded = AuditPayload.decode(AttendanceEntry.self, from: text) {
            self = decoded
        } else {
            return nil
        }
    }
}

/// A reader of the canonical JSON `AuditPayload` writes, for the payloads read in bulk. Every
/// method returns `nil` as soon as the text leaves the canonical form; the caller then falls
/// back to `JSONDecoder`.
struct CanonicalJSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func attendanceEntry() -> AttendanceEntry? {
        var session: SessionKey?
        var office: String?
        var person: String?
        var status: AttendanceEntry.Status?
        var deputy: String?
        var arrival: LocalDateTime?
        var departure: LocalDateTime?
        var reason: String?
        let complete = object { reader, key in
            switch key {
            case "arrival": return once(&arrival, reader.localDateTime())
            case "departure": return once(&departure, reader.localDateTime())
            case "deputy": return once(&deputy, reader.string())
            case "office": return once(&office, reader.string())
            case "person": return once(&person, reader.string())
            case "reason": return once(&reason, reader.string())
            case "session": return once(&session, reader.sessionKey())
            case "status": return once(&status, reader.string().flatMap(AttendanceEntry.Status.init(rawValue:)))
            default: return false
            }
        }
        guard complete, at == bytes.count, let session, let office, let status else { return nil }
        return AttendanceEntry(
            session: session, office: office, person: person, status: status, deputy: deputy, arrival: arrival,
            departure: departure)
    }

    mutating func sessionKey() -> SessionKey? {
        var body: String?
        var date: CivilDate?
        var series: String?
        let complete = object { reader, key in
            switch key {
            case "body": return once(&body, reader.string())
            case "date": return once(&date, reader.civilDate())
            case "series": return once(&series, reader.string())
            default: return false
            }
        }
        guard complete, let body, let date, let series else { return nil }
        return SessionKey(body: body, series: series, date: date)
    }

    mutating func civilDate() -> CivilDate? {
        var day: Int?
        var month: Int?
        var year: Int?
        let complete = object { reader, key in
            switch key {
            case "day": return once(&day, reader.integer())
            case "month": return once(&month, reader.integer())
            case "year": return once(&year, reader.integer())
            default: return false
            }
        }
        guard complete, let day, let month, let year else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }

    mutating func localDateTime() -> LocalDateTime? {
        var date: CivilDate?
        var second: Int?
        let complete = object { reader, key in
            switch key {
            case "date": return once(&date, reader.civilDate())
            case "secondOfDay": return once(&second, reader.integer())
            default: return false
            }
        }
        guard complete, let date, let second else { return nil }
        return LocalDateTime(date: date, secondOfDay: second)
    }

    /// `{"key":value,...}`: `member` reads the value of each key and says whether it could.
    private mutating func object(_ member: (inout CanonicalJSONReader, String) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = string(), take(UInt8(ascii: ":")), member(&self, key) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    /// A string without escapes or control characters; `nil` for bytes that are not UTF-8.
    mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = at
        var ascii = true
        while at < bytes.count {
            let byte = bytes[at]
            if byte == UInt8(ascii: "\"") {
                let utf8 = UnsafeBufferPointer(rebasing: bytes[start..<at])
                at += 1
                // `String(validating:as:)` is generic and not specialised here; decoding is. A
                // decoding that had to repair something gives other bytes than it was given.
                let text = String(decoding: utf8, as: UTF8.self)
                return ascii || text.utf8.elementsEqual(utf8) ? text : nil
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            at += 1
        }
        return nil
    }

    /// An integer as JSONEncoder writes it: an optional minus, digits without a leading zero.
    mutating func integer() -> Int? {
        let negative = take(UInt8(ascii: "-"))
        let start = at
        var value = 0
        while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39 {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int(bytes[at] - 0x30))
            guard !o1, !o2 else { return nil }
            value = sum
            at += 1
        }
        let digits = at - start
        guard digits > 0, digits == 1 || bytes[start] != 0x30 else { return nil }
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") || bytes[at] | 0x20 == UInt8(ascii: "e") { return nil }
        return negative ? -value : value
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard at < bytes.count, bytes[at] == byte else { return false }
        at += 1
        return true
    }
}

/// Sets `slot` to `value` when it is unset and the value could be read.
private func once<T>(_ slot: inout T?, _ value: T?) -> Bool {
    guard slot == nil, let value else { return false }
    slot = value
    return true
}
