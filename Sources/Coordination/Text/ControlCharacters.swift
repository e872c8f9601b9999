/// Control characters in entered text. They have no business in names, places, reasons or
/// agenda items, and break what is made from them: an ODT document with U+0001 is not valid XML
/// and no office suite opens it, a feed line with one breaks strict readers. Every input (the
/// command line, `calendars/`, the API, pages, CSV imports) refuses them, naming the field.
public enum ControlCharacters {
    /// Whether `scalar` is a control character: C0 (U+0000 to U+001F), DEL or C1 (U+0080 to U+009F).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// The first control character of `text` with its position (1-based, in characters as
    /// Unicode scalars); tab, line feed and carriage return pass when `multiline`.
    public static func first(in text: String, multiline: Bool = false) -> (position: Int, scalar: Unicode.Scalar)? {
        guard mayHoldOne(text) else { return nil }
        for (i, scalar) in text.unicodeScalars.enumerated() where isControl(scalar) {
            if multiline && (scalar == "\t" || scalar == "\n" || scalar == "\r") { continue }
            return (i + 1, scalar)
        }
        return nil
    }

    /// Whether `text` may hold a control character, from its UTF-8 bytes: C0 and DEL are
    /// single bytes, C1 is 0xC2 followed by 0x80 to 0x9F. `false` settles it without reading
    /// the text as scalars (every field of every imported line is asked).
    private static func mayHoldOne(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var previous: UInt8 = 0
            for byte in bytes {
                if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && (0x80...0x9F).contains(byte)) { return true }
                previous = byte
            }
            return false
        }
    }

    /// `U+0001`.
    public static func name(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The refusal of a `field` holding a control character, or `nil` when it holds none:
    /// `the reason contains the control character U+0001 (character 5); remove it`.
    public static func problem(in text: String, field: String, multiline: Bool = false) -> String? {
        finding(in: text, multiline: multiline).map { "\(field) \($0)" }
    }

    /// What `problem` says after the field's name: `contains the control character U+0001
    /// (character 5); remove it`.
    public static func finding(in text: String, multiline: Bool = false) -> String? {
        guard let (position, scalar) = first(in: text, multiline: multiline) else { return nil }
        let what = scalar == "\n" || scalar == "\r" ? "a line break" : "the control character \(name(scalar))"
        return "contains \(what) (character \(position)); remove it"
    }
}
