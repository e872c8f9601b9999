/// The records of CSV text (RFC 4180: fields separated by `delimiter`, records by CRLF, LF or
/// CR, a field in double quotes may hold the delimiter, line breaks and doubled quotes), read
/// from its UTF-8 bytes. The delimiter, quote, CR and LF are ASCII and never part of a longer
/// UTF-8 sequence, so every other byte is copied as it is.
///
/// Read as before with CSV.swift, which it replaces here (it built each field scalar by scalar,
/// and an import of 300,000 rows spent two seconds in it), except that a quoted field which is
/// not closed, or whose closing quote is followed by something other than the delimiter or the
/// end of the line, is refused with its line instead of being read as something else. A quote
/// inside an unquoted field is kept as it is.
struct CSVRecords {
    /// Text that is not CSV, with the line (counted from 1) where the problem is.
    struct Malformed: Error, Equatable {
        let line: Int
        let message: String
    }

    private let bytes: [UInt8]
    private let delimiter: UInt8
    private var at = 0
    /// The physical line `at` is on, counted from 1.
    private var line = 1
    /// The physical line the record `next()` returned last starts on (a quoted cell may run
    /// over several lines).
    private(set) var recordLine = 1

    init(_ text: String, delimiter: Unicode.Scalar) {
        precondition(delimiter.isASCII && delimiter != "\"" && delimiter != "\r" && delimiter != "\n")
        bytes = Array(text.utf8)
        self.delimiter = UInt8(delimiter.value)
    }

    private static let quote = UInt8(ascii: "\"")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    /// The next record's fields; `nil` at the end of the text. An empty line is one empty field.
    mutating func next() throws(Malformed) -> [String]? {
        guard at < bytes.count else { return nil }
        recordLine = line
        var fields: [String] = []
        while true {
            let (field, endOfRecord) = try nextField()
            fields.append(field)
            if endOfRecord { return fields }
        }
    }

    /// The field at `at`, and whether the record ends after it.
    private mutating func nextField() throws(Malformed) -> (String, Bool) {
        guard at < bytes.count else { return ("", true) }
        if bytes[at] == Self.quote { return try quotedField() }
        let start = at
        while at < bytes.count {
            let b = bytes[at]
            if b == delimiter {
                at += 1
                return (text(start..<at - 1), false)
            }
            if b == Self.cr || b == Self.lf {
                let field = text(start..<at)
                skipLineBreak()
                return (field, true)
            }
            at += 1
        }
        return (text(start..<at), true)
    }

    /// A field in quotes, starting at its opening quote.
    private mutating func quotedField() throws(Malformed) -> (String, Bool) {
        let opened = line
        at += 1
        var field: [UInt8] = []
        var start = at
        while at < bytes.count {
            let b = bytes[at]
            if b == Self.lf || (b == Self.cr && (at + 1 == bytes.count || bytes[at + 1] != Self.lf)) { line += 1 }
            guard b == Self.quote else {
                at += 1
                continue
            }
            field.append(contentsOf: bytes[start..<at])
            at += 1
            guard at < bytes.count else { return (String(decoding: field, as: UTF8.self), true) }
            let after = bytes[at]
            if after == Self.quote {
                // A doubled quote is one quote of the field.
                field.append(Self.quote)
                at += 1
                start = at
            } else if after == delimiter {
                at += 1
                return (String(decoding: field, as: UTF8.self), false)
            } else if after == Self.cr || after == Self.lf {
                skipLineBreak()
                return (String(decoding: field, as: UTF8.self), true)
            } else {
                throw Malformed(
                    line: line,
                    message:
                        "a quote in a quoted cell must be doubled (\"\"), or the cell must end after its closing quote")
            }
        }
        throw Malformed(line: opened, message: "a cell opened with a quote is not closed")
    }

    /// Past one line break at `at` (CRLF, LF or CR).
    private mutating func skipLineBreak() {
        if bytes[at] == Self.cr, at + 1 < bytes.count, bytes[at + 1] == Self.lf { at += 1 }
        at += 1
        line += 1
    }

    private func text(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }
}
