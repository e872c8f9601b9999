import Foundation

/// Where a report's bytes go as they are made, in order, some 64 KB at a time: a file being
/// written (`gremien report --out`: the file is written while the rest is made, and the report is
/// never held whole), standard output, the response of a download.
public typealias ReportSink = @Sendable ([UInt8]) -> Void

/// A report's bytes written through a pointer into a staged piece, moved on once `piece` bytes
/// are in it: to the sink, else into one `Data` (which grows in place, so a report of a hundred
/// megabytes is never held twice). The CSV, JSON and HTML of a ten-year report are tens of
/// megabytes written a few bytes at a time; an array's checks on each append were most of their
/// cost.
///
/// Each single write starts below `piece` and must fit into the `room` kept after it (a key, a
/// number, an indent, a few escaped bytes); `put(_:)` of a buffer and `put(repeating:count:)`
/// take any length, moving on between pieces.
struct ReportStage {
    static let piece = 1 << 16
    static let room = 1 << 10

    private let sink: ReportSink?
    /// Everything moved on when there is no sink.
    private var data = Data()
    private let storage: Storage
    /// The staged bytes: `base[0..<used]`.
    let base: UnsafeMutablePointer<UInt8>
    var used = 0

    /// - Parameter sink: where the bytes go as they are made (else `take()` gives them).
    init(sink: ReportSink?) {
        self.sink = sink
        storage = Storage(capacity: Self.piece + Self.room)
        base = storage.base
    }

    @inline(__always)
    mutating func put(_ a: UInt8) {
        base[used] = a
        used += 1
    }

    @inline(__always)
    mutating func put(_ a: UInt8, _ b: UInt8) {
        base[used] = a
        base[used + 1] = b
        used += 2
    }

    @inline(__always)
    mutating func put(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        base[used] = a
        base[used + 1] = b
        base[used + 2] = c
        base[used + 3] = d
        used += 4
    }

    /// Text of the program (a key, a word, `null`), at most 64 bytes.
    @inline(__always)
    mutating func put(_ text: StaticString) {
        precondition(text.utf8CodeUnitCount <= 64, "a report's fixed text is longer than its writer's room")
        (base + used).update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        used += text.utf8CodeUnitCount
    }

    /// `count` copies of `byte` (an indent, the padding of a short CSV row), moved on a piece at
    /// a time when they do not fit into the room left.
    @inline(__always)
    mutating func put(repeating byte: UInt8, count: Int) {
        if count <= Self.piece + Self.room - used {
            (base + used).update(repeating: byte, count: count)
            used += count
        } else {
            putRepeatingAcrossPieces(byte, count: count)
        }
    }

    private mutating func putRepeatingAcrossPieces(_ byte: UInt8, count: Int) {
        var rest = count
        while rest > 0 {
            let n = min(rest, Self.piece + Self.room - used)
            (base + used).update(repeating: byte, count: n)
            used += n
            rest -= n
            flushIfFull()
        }
    }

    /// Bytes of any length, moved on a piece at a time.
    @inline(__always)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        // Most are a word or a name, and fit into the room left.
        if bytes.count <= Self.piece + Self.room - used, let start = bytes.baseAddress {
            (base + used).update(from: start, count: bytes.count)
            used += bytes.count
            flushIfFull()
        } else {
            putAcrossPieces(bytes)
        }
    }

    private mutating func putAcrossPieces(_ bytes: UnsafeBufferPointer<UInt8>) {
        var rest = bytes
        while !rest.isEmpty {
            let n = min(rest.count, Self.piece + Self.room - used)
            (base + used).update(from: rest.baseAddress.unsafelyUnwrapped, count: n)
            used += n
            rest = UnsafeBufferPointer(rebasing: rest[n...])
            flushIfFull()
        }
    }

    /// A text's bytes, of any length.
    mutating func put(text: String) {
        var text = text
        text.withUTF8 { put($0) }
    }

    /// A number as Swift prints it.
    mutating func put(number value: Int) {
        if value < 0 { put(0x2D) }
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
    }

    @inline(__always)
    mutating func flushIfFull() {
        if used >= Self.piece { flush() }
    }

    /// Everything written and not handed to the sink, leaving these bytes empty (with a sink:
    /// everything handed to it, and nothing left).
    mutating func take() -> Data {
        flush()
        defer { data = Data() }
        return data
    }

    /// The staged bytes moved on, as one piece of at most `piece + room` bytes.
    private mutating func flush() {
        let staged = UnsafeBufferPointer(start: base, count: used)
        used = 0
        guard let sink else { return data.append(staged) }
        if !staged.isEmpty { sink(Array(staged)) }
    }

    /// Owns the staged bytes (the stage is a value; its buffer is freed with its last copy).
    private final class Storage {
        let base: UnsafeMutablePointer<UInt8>
        init(capacity: Int) { base = .allocate(capacity: capacity) }
        deinit { base.deallocate() }
    }
}
