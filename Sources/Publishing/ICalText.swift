import Coordination

/// Text helpers for property values (RFC 5545 3.3.11) and date-times.
enum ICalText {
    /// A TEXT value escaped for a content line: `\` `;` `,` and line breaks.
    static func escape(_ text: String) -> String {
        let special = text.utf8.contains { $0 == 0x5C || $0 == 0x3B || $0 == 0x2C || $0 == 0x0A || $0 == 0x0D }
        if !special { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for c in text {
            switch c {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": continue
            default: out.append(c)
            }
        }
        return out
    }

    /// `YYYYMMDDTHHMMSSZ` of a UTC wall clock.
    static func utc(_ t: LocalDateTime) -> String { t.basicFormat + "Z" }
}
