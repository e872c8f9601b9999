import Coordination
import Foundation

/// Rows written as RFC 4180 CSV: UTF-8, CRLF after every record, a field quoted when it holds the
/// separator, a quote, CR or LF (quotes doubled), every record padded to the same number of fields.
///
/// A cell a spreadsheet would run as a formula (first character `=`, `+`, `-`, `@`, tab or
/// carriage return) is neutralised with a leading apostrophe (OWASP's advice for CSV injection),
/// so names and texts from the records can never execute.
///
/// Every record has the table's width: rows are padded with empty fields as they are written,
/// straight into the table's bytes (a ten-year report has half a million rows; written into
/// chunks first and padded at the end, it was held twice).
///
/// Not a plain value: copies of a table share the bytes it has staged and not yet moved on
/// (`ReportStage`), so a table written on elsewhere is made anew, not copied (`appendParts`).
public struct CSVTable {
    /// `,` (RFC 4180) or `;` (German Excel).
    public let separator: Character
    /// A byte-order mark first, so Excel reads UTF-8.
    public let byteOrderMark: Bool
    /// The number of fields of every record (an empty row is one empty field, padded too).
    public let width: Int
    private let separatorBytes: [UInt8]
    /// The bytes (all below 64) that make a field quoted, as bits: `"`, CR, LF and a separator
    /// of one byte.
    private let quoteBits: UInt64
    /// The CSV so far, written through a pointer (a ten-year report writes some three million
    /// fields; appended to an array, its checks on every append were over a quarter of the
    /// writing).
    private var out: ReportStage

    /// - Parameter sink: where the bytes go as they are made (else `takeData()` gives them).
    public init(separator: Character = ",", byteOrderMark: Bool = false, width: Int, sink: ReportSink? = nil) {
        out = ReportStage(sink: sink)
        self.separator = separator
        self.byteOrderMark = byteOrderMark
        self.width = max(width, 1)
        separatorBytes = Array(String(separator).utf8)
        var bits: UInt64 = 1 << 0x22 | 1 << 0x0D | 1 << 0x0A
        if separatorBytes.count == 1, separatorBytes[0] < 64 { bits |= 1 << UInt64(separatorBytes[0]) }
        quoteBits = bits
        if byteOrderMark {
            out.put(0xEF)
            out.put(0xBB)
            out.put(0xBF)
        }
    }

    /// Appends a record of at most `width` fields.
    public mutating func append(_ row: [String]) {
        precondition(row.count <= width, "a row of \(row.count) fields in a CSV table of \(width)")
        for (i, value) in row.enumerated() {
            if i > 0 { putSeparator() }
            write(value)
        }
        let padding = width - max(row.count, 1)
        if separatorBytes.count == 1 {
            out.put(repeating: separatorBytes[0], count: padding)
            out.flushIfFull()
        } else {
            for _ in 0..<padding { putSeparator() }
        }
        out.put(13, 10)
        out.flushIfFull()
    }

    private mutating func putSeparator() {
        for b in separatorBytes { out.put(b) }
        out.flushIfFull()
    }

    /// Appends the records of `count` independent parts, in order; `rows` makes the records of
    /// one part in a table of its own, on whichever core is free. A ten-year report has 437,000
    /// records of sessions per office (26 MB): made on one core, they were a quarter of the
    /// report's time. A few parts are made at a time, so that only those wait in memory.
    public mutating func appendParts(_ count: Int, _ rows: @Sendable (Int, inout CSVTable) -> Void) {
        let (separator, width) = (separator, width)
        let window = 4 * ProcessInfo.processInfo.activeProcessorCount
        for first in stride(from: 0, to: count, by: window) {
            let parts = ParallelResults<Data, Never>.map(min(window, count - first)) { i in
                // A table of its own: tables that are copies share their staged bytes.
                var part = CSVTable(separator: separator, byteOrderMark: false, width: width)
                rows(first + i, &part)
                return part.takeData()
            }
            for part in parts {
                part.withUnsafeBytes { out.put($0.bindMemory(to: UInt8.self)) }
            }
        }
    }

    /// The CSV as UTF-8 bytes.
    public var data: Data {
        var copy = self
        return copy.takeData()
    }

    /// The CSV as UTF-8 bytes, leaving the table empty (so that they are not held twice).
    public mutating func takeData() -> Data { out.take() }

    /// The CSV text.
    public var text: String { String(decoding: data, as: UTF8.self) }

    /// One field, neutralised and quoted as needed.
    public func field(_ value: String) -> String {
        var one = CSVTable(separator: separator, width: 1)
        one.write(value)
        return String(decoding: one.takeData(), as: UTF8.self)
    }

    /// One field into the table. The field's bytes are read in place (`withUTF8`).
    private mutating func write(_ value: String) {
        let single = separatorBytes.count == 1
        // A separator of several bytes (never `,` or `;`), or one of a byte from 64 up, is
        // looked for as a character.
        let holdsSeparator =
            !(single && separatorBytes[0] < 64)
            && separator.unicodeScalars.first.map { value.unicodeScalars.contains($0) } == true
        let bits = quoteBits
        var value = value
        value.withUTF8 { utf8 in
            // The formula characters are ASCII: the first byte is the first scalar.
            let neutralise: Bool
            switch utf8.first {
            case 0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D: neutralise = true  // = + - @ tab CR
            default: neutralise = false
            }
            var quote = holdsSeparator
            if !quote {
                for byte in utf8 where byte < 64 && bits & (1 << UInt64(byte)) != 0 {
                    quote = true
                    break
                }
            }
            if quote { out.put(0x22) }
            if neutralise { out.put(0x27) }
            if quote {
                for byte in utf8 {
                    out.put(byte)
                    if byte == 0x22 { out.put(0x22) }
                    out.flushIfFull()
                }
                out.put(0x22)
            } else {
                out.put(utf8)
            }
        }
    }
}
