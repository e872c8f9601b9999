import Foundation

/// JSON written as it is made, in the form of Foundation's `JSONEncoder` with `.prettyPrinted`,
/// `.sortedKeys` and `.withoutEscapingSlashes`: two spaces per level, `"key" : value`, an empty
/// array as `[`, an empty line and `]`, numbers as Swift prints them (a whole `Double` without
/// `.0`). The caller gives each object's keys in sorted order. A ten-year report is some hundred
/// megabytes of JSON; encoded as a whole, its tree of values took six times that.
struct PrettyJSONWriter {
    private var out: ReportBytes
    /// The bytes being written, through a pointer: the JSON of a ten-year report is a hundred
    /// megabytes written a few bytes at a time, and an array's checks on each append were most of
    /// its cost. Moved on to `out` once `Self.piece` bytes are in it.
    private let stage: Stage
    private let base: UnsafeMutablePointer<UInt8>
    private var used = 0
    /// Open arrays and objects; bit `n` says whether the `n`th has an element yet.
    private var depth = 0
    private var filled: UInt64 = 0
    /// After a key: the value follows on the same line.
    private var afterKey = false

    /// What is staged before it is moved on, and the room kept after it. Each call starts below
    /// `piece` and writes at most an indent of 63 levels (126 bytes), a comma, a line break and a
    /// key or number of at most 64 bytes, or 128 bytes of a string escaped (768): the room holds
    /// that. A longer string is written 128 bytes at a time, moved on between.
    private static let piece = 1 << 16
    private static let room = 1 << 10

    /// - Parameter sink: where the bytes go as they are made (else `takeData()` gives them).
    init(sink: ReportSink? = nil) {
        out = ReportBytes(sink: sink)
        stage = Stage(capacity: Self.piece + Self.room)
        base = stage.base
    }

    mutating func beginObject() { open(0x7B) }
    mutating func endObject() { close(0x7D) }
    mutating func beginArray() { open(0x5B) }
    mutating func endArray() { close(0x5D) }

    mutating func key(_ name: StaticString) {
        element()
        precondition(name.utf8CodeUnitCount <= 64, "a key of the report is longer than its writer's room")
        base[used] = 0x22
        (base + used + 1).update(from: name.utf8Start, count: name.utf8CodeUnitCount)
        used += 1 + name.utf8CodeUnitCount
        put(0x22, 0x20, 0x3A, 0x20)
        afterKey = true
        flushIfFull()
    }

    mutating func string(_ value: String) {
        element()
        base[used] = 0x22
        used += 1
        var value = value
        value.withUTF8 { bytes in
            // Every byte to escape is ASCII; those of other characters (0x80 and above) pass.
            // An escape takes at most six bytes: a piece of the string at a time fits the room.
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + 128)
                for byte in bytes[start..<end] {
                    if byte >= 0x20 && byte != 0x22 && byte != 0x5C {
                        base[used] = byte
                        used += 1
                    } else {
                        escape(byte)
                    }
                }
                start = end
                flushIfFull()
            }
        }
        base[used] = 0x22
        used += 1
        flushIfFull()
    }

    /// A quote, a backslash or a control character, escaped as `JSONEncoder` escapes it.
    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case 0x22: put(0x5C, 0x22)
        case 0x5C: put(0x5C, 0x5C)
        case 0x08: put(0x5C, 0x62)
        case 0x0C: put(0x5C, 0x66)
        case 0x0A: put(0x5C, 0x6E)
        case 0x0D: put(0x5C, 0x72)
        case 0x09: put(0x5C, 0x74)
        default:
            put(0x5C, 0x75, 0x30, 0x30)
            put(Self.hex(byte >> 4), Self.hex(byte & 15))
        }
    }

    /// A string, or `null`.
    mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    mutating func int(_ value: Int) {
        element()
        if value < 0 {
            base[used] = 0x2D
            used += 1
        }
        // The digits backwards into the room, then turned.
        var rest = value.magnitude
        let first = used
        repeat {
            base[used] = 0x30 + UInt8(rest % 10)
            used += 1
            rest /= 10
        } while rest > 0
        var digits = UnsafeMutableBufferPointer(start: base + first, count: used - first)
        digits.reverse()
        flushIfFull()
    }

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
    mutating func lineBreak() {
        put(0x0A)
        flushIfFull()
    }

    /// The JSON written, leaving the writer empty.
    mutating func takeData() -> Data {
        flush()
        return out.take()
    }

    @inline(__always)
    private static func hex(_ digit: UInt8) -> UInt8 { digit < 10 ? 0x30 + digit : 0x57 + digit }

    /// Text without anything to escape (a number as Swift prints it, `true`, `null`).
    private mutating func raw(_ text: StaticString) {
        element()
        (base + used).update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        used += text.utf8CodeUnitCount
        flushIfFull()
    }

    private mutating func raw(_ text: String) {
        element()
        var text = text
        text.withUTF8 { bytes in
            precondition(bytes.count <= 64, "a number of the report is longer than its writer's room")
            UnsafeMutableRawBufferPointer(start: base + used, count: bytes.count).copyMemory(
                from: UnsafeRawBufferPointer(bytes))
            used += bytes.count
        }
        flushIfFull()
    }

    @inline(__always)
    private mutating func put(_ a: UInt8) {
        base[used] = a
        used += 1
    }

    @inline(__always)
    private mutating func put(_ a: UInt8, _ b: UInt8) {
        base[used] = a
        base[used + 1] = b
        used += 2
    }

    @inline(__always)
    private mutating func put(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        base[used] = a
        base[used + 1] = b
        base[used + 2] = c
        base[used + 3] = d
        used += 4
    }

    private mutating func open(_ bracket: UInt8) {
        element()
        precondition(depth < 63, "the report's JSON is nested deeper than its writer can")
        put(bracket)
        depth += 1
        filled &= ~(1 << UInt64(depth))
        flushIfFull()
    }

    private mutating func close(_ bracket: UInt8) {
        let hadElements = filled & (1 << UInt64(depth)) != 0
        depth -= 1
        put(0x0A)
        if !hadElements { put(0x0A) }
        indent()
        put(bracket)
        flushIfFull()
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
        if filled & bit != 0 { put(0x2C) }
        filled |= bit
        put(0x0A)
        indent()
    }

    @inline(__always)
    private mutating func indent() {
        (base + used).update(repeating: 0x20, count: 2 * depth)
        used += 2 * depth
    }

    @inline(__always)
    private mutating func flushIfFull() {
        if used >= Self.piece { flush() }
    }

    private mutating func flush() {
        out.append(UnsafeRawBufferPointer(start: base, count: used))
        used = 0
    }

    /// Owns the staged bytes (the writer is a value; its buffer is freed with its last copy).
    private final class Stage {
        let base: UnsafeMutablePointer<UInt8>
        init(capacity: Int) { base = .allocate(capacity: capacity) }
        deinit { base.deallocate() }
    }
}
