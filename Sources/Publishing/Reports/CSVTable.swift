import Foundation

/// Rows written as RFC 4180 CSV: UTF-8, CRLF after every record, a field quoted when it holds the
/// separator, a quote, CR or LF (quotes doubled), every record padded to the same number of fields.
///
/// A cell a spreadsheet would run as a formula (first character `=`, `+`, `-`, `@`, tab or
/// carriage return) is neutralised with a leading apostrophe (OWASP's advice for CSV injection),
/// so names and texts from the records can never execute.
public struct CSVTable: Sendable {
    public var rows: [[String]] = []
    /// `,` (RFC 4180) or `;` (German Excel).
    public var separator: Character
    /// A byte-order mark first, so Excel reads UTF-8.
    public var byteOrderMark: Bool

    public init(separator: Character = ",", byteOrderMark: Bool = false) {
        self.separator = separator
        self.byteOrderMark = byteOrderMark
    }

    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The CSV text.
    public var text: String {
        let width = rows.map(\.count).max() ?? 0
        var out = byteOrderMark ? "\u{FEFF}" : ""
        for row in rows {
            let padded = row + Array(repeating: "", count: width - row.count)
            out += padded.map(field).joined(separator: String(separator))
            out += "\r\n"
        }
        return out
    }

    /// One field, neutralised and quoted as needed.
    public func field(_ value: String) -> String {
        var v = value
        if let first = v.unicodeScalars.first, Self.formulaStarts.contains(first) { v = "'" + v }
        let needsQuotes = v.unicodeScalars.contains {
            $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == separator.unicodeScalars.first
        }
        return needsQuotes ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
    }

    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]
}
