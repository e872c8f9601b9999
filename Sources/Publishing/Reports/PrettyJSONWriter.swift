import Foundation

/// JSON written as it is made, in the form of Foundation's `JSONEncoder` with `.prettyPrinted`,
/// `.sortedKeys` and `.withoutEscapingSlashes`: two spaces per level, `"key" : value`, an empty
/// array as `[`, an empty line and `]`, numbers as Swift prints them (a whole `Double` without
/// `.0`). The caller gives each object's keys in sorted order. A ten-year report is some hundred
/// megabytes of JSON; encoded as a whole, its tree of values took six times that.
struct PrettyJSONWriter {
    /// Each call starts below `ReportStage.piece` and writes at most an indent of 63 levels (126
    /// bytes), a comma, a line break and a key or number of at most 64 bytes, or 128 bytes of a
    /// string escaped (768): the stage's room holds that. A longer string is written 128 bytes at
    /// a time, moved on between.
    private var out: ReportStage
    /// Open arrays and objects; bit `n` says whether the `n`th has an element yet.
    private var depth = 0
    private var filled: UInt64 = 0
    /// After a key: the value follows on the same line.
    private var afterKey = false

    /// - Parameter sink: where the bytes go as they are made (else `takeData()` gives them).
    init(sink: ReportSink? = nil) { out = ReportStage(sink: sink) }

    mutating func beginObject() { open(0x7B) }
    mutating func endObject() { close(0x7D) }
    mutating func beginArray() { open(0x5B) }
    mutating func endArray() { close(0x5D) }

    mutating func key(_ name: StaticString) {
        element()
        out.put(0x22)
        out.put(name)
        out.put(0x22, 0x20, 0x3A, 0x20)
        afterKey = true
        out.flushIfFull()
    }

    mutating func string(_ value: String) {
        element()
        out.put(0x22)
        var value = value
        value.withUTF8 { bytes in
            // Every byte to escape is ASCII; those of other characters (0x80 and above) pass.
            // An escape takes at most six bytes: a piece of the string at a time fits the room.
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + 128)
                for byte in bytes[start..<end] {
                    if byte >= 0x20 && byte != 0x22 && byte != 0x5C {
                        out.put(byte)
                    } else {
                        escape(byte)
                    }
                }
                start = end
                out.flushIfFull()
            }
        }
        out.put(0x22)
        out.flushIfFull()
    }

    /// A quote, a backslash or a control character, escaped as `JSONEncoder` escapes it.
    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case 0x22: out.put(0x5C, 0x22)
        case 0x5C: out.put(0x5C, 0x5C)
        case 0x08: out.put(0x5C, 0x62)
        case 0x0C: out.put(0x5C, 0x66)
        case 0x0A: out.put(0x5C, 0x6E)
        case 0x0D: out.put(0x5C, 0x72)
        case 0x09: out.put(0x5C, 0x74)
        default:
            out.put(0x5C, 0x75, 0x30, 0x30)
            out.put(Self.hex(byte >> 4), Self.hex(byte & 15))
        }
    }

    /// A string, or `null`.
    mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    mutating func int(_ value: Int) {
        element()
        out.put(number: value)
        out.flushIfFull()
    }

    /// A number, or `null`.
    mutating func double(_ value: Double?) {
        if let value { double(value) } else { null() }
    }

    mutating func double(_ value: Double) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        element()
        precondition(text.utf8.count <= 64, "a number of the report is longer than its writer's room")
        out.put(text: text)
        out.flushIfFull()
    }

    mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

    mutating func null() { raw("null") }

    /// A key with its value (on one line).
    mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        string(value)
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        int(value)
    }

    mutating func field(_ name: StaticString, _ value: Double?) {
        key(name)
        double(value)
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    /// A line break after the last value (the end of the document).
    mutating func lineBreak() {
        out.put(0x0A)
        out.flushIfFull()
    }

    /// The JSON written, leaving the writer empty.
    mutating func takeData() -> Data { out.take() }

    @inline(__always)
    private static func hex(_ digit: UInt8) -> UInt8 { digit < 10 ? 0x30 + digit : 0x57 + digit }

    /// Text without anything to escape (`true`, `null`).
    private mutating func raw(_ text: StaticString) {
        element()
        out.put(text)
        out.flushIfFull()
    }

    private mutating func open(_ bracket: UInt8) {
        element()
        precondition(depth < 63, "the report's JSON is nested deeper than its writer can")
        out.put(bracket)
        depth += 1
        filled &= ~(1 << UInt64(depth))
        out.flushIfFull()
    }

    private mutating func close(_ bracket: UInt8) {
        let hadElements = filled & (1 << UInt64(depth)) != 0
        depth -= 1
        out.put(0x0A)
        if !hadElements { out.put(0x0A) }
        out.put(repeating: 0x20, count: 2 * depth)
        out.put(bracket)
        out.flushIfFull()
    }

    /// Before a key or a value: a comma after an earlier element, then a new line, unless the
    /// value follows its key.
    @inline(__always)
    private mutating func element() {
        if afterKey {
            afterKey = false
            return
        }
        guard depth > 0 else { return }
        let bit: UInt64 = 1 << UInt64(depth)
        if filled & bit != 0 { out.put(0x2C) }
        filled |= bit
        out.put(0x0A)
        out.put(repeating: 0x20, count: 2 * depth)
    }
}
