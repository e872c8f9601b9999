import Coordination

/// Text helpers for property values (RFC 5545 3.3.11) and date-times.
enum ICalText {
    /// A TEXT value escaped for a content line: `\` `;` `,` and line breaks; other control
    /// characters, which RFC 5545 does not allow in TEXT (and inputs refuse), are left out.
    static func escape(_ text: String) -> String {
        var text = text
        let escaped = text.withUTF8 { source -> String? in
            // Most values (names, places, ids) need nothing: no copy then.
            guard source.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0x5C || $0 == 0x3B || $0 == 0x2C })
            else { return nil }
            return String(unsafeUninitializedCapacity: source.count * 2) { out in
                var n = 0
                for b in source {
                    switch b {
                    case 0x5C, 0x3B, 0x2C:  // \ ; ,
                        out[n] = 0x5C
                        out[n + 1] = b
                        n += 2
                    case 0x0A:  // line break
                        out[n] = 0x5C
                        out[n + 1] = 0x6E
                        n += 2
                    case 0x00...0x1F, 0x7F:  // CR of a CRLF (the LF is written as \n), other control characters
                        continue
                    default:
                        out[n] = b
                        n += 1
                    }
                }
                return n
            }
        }
        return escaped ?? text
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
