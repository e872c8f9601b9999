import Foundation

/// JSON written as it is made, in the form of Foundation's `JSONEncoder` with `.prettyPrinted`,
/// `.sortedKeys` and `.withoutEscapingSlashes`: two spaces per level, `"key" : value`, an empty
/// array as `[`, an empty line and `]`, numbers as Swift prints them (a whole `Double` without
/// `.0`). The caller gives each object's keys in sorted order. A ten-year report is some hundred
/// megabytes of JSON; encoded as a whole, its tree of values took six times that.
struct PrettyJSONWriter {
    private var out: ReportBytes
    /// Per open array or object: whether it has an element yet.
    private var filled: [Bool] = []
    /// After a key: the value follows on the same line.
    private var afterKey = false

    /// - Parameter sink: where the bytes go as they are made (else `takeData()` gives them).
    init(sink: ReportSink? = nil) { out = ReportBytes(sink: sink) }

    mutating func beginObject() { open(0x7B) }
    mutating func endObject() { close(0x7D) }
    mutating func beginArray() { open(0x5B) }
    mutating func endArray() { close(0x5D) }

    mutating func key(_ name: StaticString) {
        element()
        out.pending.append(0x22)
        out.pending.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        out.pending.append(contentsOf: [0x22, 0x20, 0x3A, 0x20])
        afterKey = true
    }

    mutating func string(_ value: String) {
        element()
        out.pending.append(0x22)
        // Every byte to escape is ASCII; those of other characters (0x80 and above) pass.
        for byte in value.utf8 {
            switch byte {
            case 0x22: out.pending.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.pending.append(contentsOf: [0x5C, 0x5C])
            case 0x08: out.pending.append(contentsOf: [0x5C, 0x62])
            case 0x0C: out.pending.append(contentsOf: [0x5C, 0x66])
            case 0x0A: out.pending.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.pending.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.pending.append(contentsOf: [0x5C, 0x74])
            case 0..<0x20:
                out.pending.append(contentsOf: [
                    0x5C, 0x75, 0x30, 0x30, Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 15)],
                ])
            default: out.pending.append(byte)
            }
        }
        out.pending.append(0x22)
        out.flushIfFull()
    }

    /// A string, or `null`.
    mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    mutating func int(_ value: Int) { raw(String(value)) }

    /// A number, or `null`.
    mutating func double(_ value: Double?) {
        if let value { double(value) } else { null() }
    }

    mutating func double(_ value: Double) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        raw(text)
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
    mutating func lineBreak() { out.pending.append(0x0A) }

    /// The JSON written, leaving the writer empty.
    mutating func takeData() -> Data { out.take() }

    private static let hex = Array("0123456789abcdef".utf8)

    private mutating func raw(_ text: String) {
        element()
        out.pending.append(contentsOf: text.utf8)
        out.flushIfFull()
    }

    private mutating func open(_ bracket: UInt8) {
        element()
        out.pending.append(bracket)
        filled.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        let hadElements = filled.removeLast()
        out.pending.append(0x0A)
        if !hadElements { out.pending.append(0x0A) }
        indent()
        out.pending.append(bracket)
        out.flushIfFull()
    }

    /// Before a key or a value: a comma after an earlier element, then a new line, unless the
    /// value follows its key.
    private mutating func element() {
        if afterKey {
            afterKey = false
            return
        }
        guard let last = filled.indices.last else { return }
        if filled[last] { out.pending.append(0x2C) }
        filled[last] = true
        out.pending.append(0x0A)
        indent()
    }

    private mutating func indent() {
        for _ in 0..<filled.count { out.pending.append(contentsOf: [0x20, 0x20]) }
    }
}
