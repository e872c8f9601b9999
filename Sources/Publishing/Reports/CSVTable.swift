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
public struct CSVTable: Sendable {
    /// `,` (RFC 4180) or `;` (German Excel).
    public let separator: Character
    /// A byte-order mark first, so Excel reads UTF-8.
    public let byteOrderMark: Bool
    /// The number of fields of every record (an empty row is one empty field, padded too).
    public let width: Int
    private let separatorBytes: [UInt8]
    /// The CSV so far.
    private var out: ReportBytes

    /// - Parameter sink: where the bytes go as they are made (else `takeData()` gives them).
    public init(separator: Character = ",", byteOrderMark: Bool = false, width: Int, sink: ReportSink? = nil) {
        out = ReportBytes(sink: sink)
        self.separator = separator
        self.byteOrderMark = byteOrderMark
        self.width = max(width, 1)
        separatorBytes = Array(String(separator).utf8)
        if byteOrderMark { out.pending.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
    }

    /// Appends a record of at most `width` fields.
    public mutating func append(_ row: [String]) {
        precondition(row.count <= width, "a row of \(row.count) fields in a CSV table of \(width)")
        for (i, value) in row.enumerated() {
            if i > 0 { out.pending.append(contentsOf: separatorBytes) }
            Self.write(value, separator: separator, bytes: separatorBytes, into: &out.pending)
        }
        let padding = width - max(row.count, 1)
        if separatorBytes.count == 1 {
            out.pending.append(contentsOf: repeatElement(separatorBytes[0], count: padding))
        } else {
            for _ in 0..<padding { out.pending.append(contentsOf: separatorBytes) }
        }
        out.pending.append(contentsOf: Self.lineEnd)
        out.flushIfFull()
    }

    /// Appends the records of `count` independent parts, in order; `rows` makes the records of
    /// one part in a table of its own, on whichever core is free. A ten-year report has 437,000
    /// records of sessions per office (26 MB): made on one core, they were a quarter of the
    /// report's time. A few parts are made at a time, so that only those wait in memory.
    public mutating func appendParts(_ count: Int, _ rows: @Sendable (Int, inout CSVTable) -> Void) {
        let blank = CSVTable(separator: separator, byteOrderMark: false, width: width)
        let window = 4 * ProcessInfo.processInfo.activeProcessorCount
        for first in stride(from: 0, to: count, by: window) {
            let parts = ParallelResults<Data, Never>.map(min(window, count - first)) { i in
                var part = blank
                rows(first + i, &part)
                return part.takeData()
            }
            for part in parts { out.append(part) }
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
        var out: [UInt8] = []
        Self.write(value, separator: separator, bytes: separatorBytes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Static, so appending to the table's own buffer does not copy it (a method of the table
    /// would hold a second reference to it while it grows). The field's bytes are read in place
    /// (`withUTF8`): a ten-year report writes some three million fields.
    private static func write(
        _ value: String, separator: Character, bytes separatorBytes: [UInt8], into out: inout [UInt8]
    ) {
        let first = separatorBytes[0]
        let single = separatorBytes.count == 1
        // A separator of several bytes (never `,` or `;`) is looked for as a character.
        let holdsSeparator = !single && separator.unicodeScalars.first.map { value.unicodeScalars.contains($0) } == true
        var value = value
        value.withUTF8 { utf8 in
            // The formula characters are ASCII: the first byte is the first scalar.
            let neutralise = utf8.first.map { formulaStarts.contains($0) } ?? false
            var quote = holdsSeparator
            if !quote {
                for byte in utf8 where byte == 0x22 || byte == 0x0D || byte == 0x0A || (single && byte == first) {
                    quote = true
                    break
                }
            }
            if quote { out.append(0x22) }
            if neutralise { out.append(0x27) }
            if quote {
                for byte in utf8 {
                    out.append(byte)
                    if byte == 0x22 { out.append(0x22) }
                }
                out.append(0x22)
            } else {
                out.append(contentsOf: utf8)
            }
        }
    }

    static let lineEnd: [UInt8] = [13, 10]

    /// `=`, `+`, `-`, `@`, tab, carriage return.
    static let formulaStarts: [UInt8] = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]
}
