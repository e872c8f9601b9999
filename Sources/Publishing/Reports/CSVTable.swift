import Foundation

/// Rows written as RFC 4180 CSV: UTF-8, CRLF after every record, a field quoted when it holds the
/// separator, a quote, CR or LF (quotes doubled), every record padded to the same number of fields.
///
/// A cell a spreadsheet would run as a formula (first character `=`, `+`, `-`, `@`, tab or
/// carriage return) is neutralised with a leading apostrophe (OWASP's advice for CSV injection),
/// so names and texts from the records can never execute.
///
/// Each row is written out as it is appended (a ten-year report has half a million rows); only
/// the padding waits for the widest row.
public struct CSVTable: Sendable {
    /// `,` (RFC 4180) or `;` (German Excel).
    public let separator: Character
    /// A byte-order mark first, so Excel reads UTF-8.
    public let byteOrderMark: Bool
    private let separatorBytes: [UInt8]
    /// The records written so far, without padding and line ends, in chunks of about a megabyte
    /// (one growing array would copy itself as it doubles and end up to twice its size), each
    /// with where its records end and how many fields each has.
    private var chunks: [Chunk] = []
    private var current = Chunk()
    private var width = 0

    private struct Chunk: Sendable {
        static let size = 1 << 20
        var bytes: [UInt8] = []
        var records: [(end: Int, fields: Int)] = []
    }

    public init(separator: Character = ",", byteOrderMark: Bool = false) {
        self.separator = separator
        self.byteOrderMark = byteOrderMark
        separatorBytes = Array(String(separator).utf8)
    }

    public mutating func append(_ row: [String]) {
        for (i, value) in row.enumerated() {
            if i > 0 { current.bytes.append(contentsOf: separatorBytes) }
            Self.write(value, separator: separator, bytes: separatorBytes, into: &current.bytes)
        }
        current.records.append((current.bytes.count, row.count))
        width = max(width, row.count)
        if current.bytes.count >= Chunk.size - Chunk.size / 8 {
            chunks.append(current)
            current = Chunk()
        }
    }

    /// The CSV as UTF-8 bytes.
    public var data: Data {
        var copy = self
        return copy.takeData()
    }

    /// The CSV as UTF-8 bytes, letting go of each chunk once it is copied (the table is empty
    /// afterwards): a ten-year report is held about once, not twice.
    public mutating func takeData() -> Data {
        chunks.append(current)
        current = Chunk()
        let bom: [UInt8] = byteOrderMark ? [0xEF, 0xBB, 0xBF] : []
        var size = bom.count
        for chunk in chunks {
            size += chunk.bytes.count + chunk.records.count * 2
            for r in chunk.records { size += max(width - max(r.fields, 1), 0) * separatorBytes.count }
        }
        var out = Data(count: size)
        out.withUnsafeMutableBytes { (raw: UnsafeMutableRawBufferPointer) in
            var at = 0
            func put(_ source: some Collection<UInt8>) {
                for byte in source {
                    raw[at] = byte
                    at += 1
                }
            }
            put(bom)
            for index in chunks.indices {
                let chunk = chunks[index]
                chunks[index] = Chunk()
                var start = 0
                chunk.bytes.withUnsafeBufferPointer { all in
                    for r in chunk.records {
                        let count = r.end - start
                        if count > 0, let base = all.baseAddress {
                            raw.baseAddress?.advanced(by: at).copyMemory(from: base + start, byteCount: count)
                            at += count
                        }
                        // An empty row is one empty field: padded with width - 1 separators.
                        for _ in 0..<max(width - max(r.fields, 1), 0) { put(separatorBytes) }
                        put(Self.lineEnd)
                        start = r.end
                    }
                }
            }
        }
        chunks = []
        width = 0
        return out
    }

    /// The CSV text.
    public var text: String { String(decoding: data, as: UTF8.self) }

    /// One field, neutralised and quoted as needed.
    public func field(_ value: String) -> String {
        var out: [UInt8] = []
        Self.write(value, separator: separator, bytes: separatorBytes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Static, so appending to the table's own buffer does not copy it (a method of the table
    /// would hold a second reference to it while it grows).
    private static func write(
        _ value: String, separator: Character, bytes separatorBytes: [UInt8], into out: inout [UInt8]
    ) {
        let utf8 = value.utf8
        // The formula characters are ASCII: the first byte is the first scalar.
        let neutralise = utf8.first.map { formulaStarts.contains($0) } ?? false
        let first = separatorBytes[0]
        let single = separatorBytes.count == 1
        var quote = false
        for byte in utf8 where byte == 0x22 || byte == 0x0D || byte == 0x0A || (single && byte == first) {
            quote = true
            break
        }
        if !single, let scalar = separator.unicodeScalars.first, value.unicodeScalars.contains(scalar) { quote = true }
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

    static let lineEnd: [UInt8] = [13, 10]

    /// `=`, `+`, `-`, `@`, tab, carriage return.
    static let formulaStarts: [UInt8] = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]
}
