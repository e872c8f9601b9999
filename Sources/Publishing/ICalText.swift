import Coordination

/// Text helpers for property values (RFC 5545 3.3.11) and date-times.
enum ICalText {
    /// A TEXT value escaped for a content line: `\` `;` `,` and line breaks; other control
    /// characters, which RFC 5545 does not allow in TEXT (and inputs refuse), are left out.
    static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        var changed = false
        bytes.reserveCapacity(text.utf8.count + 16)
        for b in text.utf8 {
            switch b {
            case 0x5C, 0x3B, 0x2C:  // \ ; ,
                bytes.append(0x5C)
                bytes.append(b)
                changed = true
            case 0x0A:  // line break
                bytes.append(0x5C)
                bytes.append(0x6E)
                changed = true
            case 0x0D:  // CR of a CRLF: the LF is written as \n
                changed = true
            case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F:
                changed = true
            default:
                bytes.append(b)
            }
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// A TEXT value as written (`\\,` `\\;` `\\\\` `\\n`) read back; control characters left out.
    static func unescape(_ value: String) -> String {
        var out = ""
        var escaped = false
        for c in value {
            if escaped {
                out.append(c == "n" || c == "N" ? "\n" : c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if !(c.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) {
                out.append(c)
            }
        }
        return out
    }

    /// `YYYYMMDDTHHMMSSZ` of a UTC wall clock.
    static func utc(_ t: LocalDateTime) -> String { t.basicFormat + "Z" }
}
