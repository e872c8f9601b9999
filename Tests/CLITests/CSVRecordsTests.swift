import CSV
import Foundation
import GremienTestSupport
import Testing

@testable import gremien

/// The CSV reader of `attendance import`: well-formed CSV is read as CSV.swift reads it (which
/// it replaced there); a quote left open or not doubled is refused with its line.
@Suite struct CSVRecordsTests {
    static func ours(_ text: String, _ delimiter: Unicode.Scalar) throws -> [[String]] {
        var records = CSVRecords(text, delimiter: delimiter)
        var rows: [[String]] = []
        while let row = try records.next() { rows.append(row) }
        return rows
    }

    static func theirs(_ text: String, _ delimiter: Unicode.Scalar) throws -> [[String]] {
        let reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: false, delimiter: delimiter)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return rows
    }

    /// 3,000 documents of random fields (letters, umlauts, €, spaces, both delimiters, quotes,
    /// CR and LF), quoted where they must be and at random elsewhere, records ended by CRLF, LF
    /// or CR, with and without a last line break.
    @Test func wellFormedCSVIsReadAsCSVSwiftReadsIt() throws {
        var random = SplitMix64(seed: 2026)
        func pick(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        let pieces = ["a", "Z", "7", "ä", "€", "Anna Beispiel", " ", ",", ";", "\"", "\r", "\n", "\r\n", "\t"]
        let breaks = ["\r\n", "\n", "\r"]
        for document in 0..<3_000 {
            let delimiter: Unicode.Scalar = document % 2 == 0 ? "," : ";"
            let lineBreak = breaks[pick(3)]
            var records: [String] = []
            for _ in 0..<(1 + pick(5)) {
                var fields: [String] = []
                for _ in 0..<(1 + pick(6)) {
                    let value = (0..<pick(6)).map { _ in pieces[pick(pieces.count)] }.joined()
                    let mustQuote =
                        value.unicodeScalars.contains { $0 == delimiter || $0 == "\r" || $0 == "\n" }
                        || value.hasPrefix("\"")
                    if mustQuote || pick(4) == 0 {
                        fields.append("\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
                    } else {
                        fields.append(value)
                    }
                }
                records.append(fields.joined(separator: String(delimiter)))
            }
            let text = records.joined(separator: lineBreak) + (pick(2) == 0 ? lineBreak : "")
            #expect(try Self.ours(text, delimiter) == Self.theirs(text, delimiter), "\(text.debugDescription)")
        }
    }

    @Test func examplesAreReadAsRFC4180Says() throws {
        #expect(
            try Self.ours("body,date\r\nbeirat,\"2026-09-01\"\r\n\"a \"\"b\"\", c\",\"x\ny\"\n\n,\n", ",") == [
                ["body", "date"], ["beirat", "2026-09-01"], ["a \"b\", c", "x\ny"], [""], ["", ""],
            ])
        #expect(try Self.ours("", ",").isEmpty)
        #expect(try Self.ours("a;b;\"\"", ";") == [["a", "b", ""]])
        // Each record says the physical line it starts on.
        var records = CSVRecords("a,\"b\r\nc\"\r\nd\n\"e\n\nf\",g\rh", delimiter: ",")
        var starts: [Int] = []
        while try records.next() != nil { starts.append(records.recordLine) }
        #expect(starts == [1, 3, 4, 7])
        // A quote inside a field that does not start with one is kept.
        #expect(try Self.ours("Anna \"Anni\" Beispiel,x", ",") == [["Anna \"Anni\" Beispiel", "x"]])
    }

    @Test(arguments: [
        (
            "a,\"b\"c,d\n", 1,
            "a quote in a quoted cell must be doubled (\"\"), or the cell must end after its closing quote"
        ),
        (
            "a\nb,\"c\n\nd\"x\n", 4,
            "a quote in a quoted cell must be doubled (\"\"), or the cell must end after its closing quote"
        ),
        ("x\r\ny\r\n\"open\r\nstill open", 3, "a cell opened with a quote is not closed"),
    ])
    func malformedQuotesAreNamedWithTheirLine(_ text: String, _ line: Int, _ message: String) {
        #expect(throws: CSVRecords.Malformed(line: line, message: message)) { try Self.ours(text, ",") }
    }
}
