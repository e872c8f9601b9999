import CSV
import Coordination
import Foundation
import Publishing
import Synchronization
import Testing

/// CSV reports with hostile cell contents (names a coordinator could type into calendars/),
/// written by us and read back by an independent CSV parser (CSV.swift).
struct ReportCSVTests {
    /// Cell contents as typed, and whether a spreadsheet would run them as a formula.
    static let hostile: [(String, Bool)] = [
        ("=HYPERLINK(\"http://evil.example\",\"klick\")", true),
        ("+1+cmd|' /C calc'!A0", true),
        ("-2+3", true),
        ("@SUM(A1:A9)", true),
        ("\tTab voran", true),
        ("\rWagenrücklauf voran", true),
        ("Komma, und \"Zitat\"", false),
        ("Zeile\nUmbruch", false),
        ("Semikolon; hier", false),
        ("Umlaute äöü ß – §", false),
    ]

    static func report(excel: Bool) -> ParticipationReport {
        var offices: [Office] = []
        var members: [Membership] = []
        for (i, (name, _)) in hostile.enumerated() {
            offices.append(Office(id: "o\(i)", name: name, shortName: "O\(i)", administration: .external))
            members.append(Membership(office: "o\(i)", role: .member))
        }
        let body = Body(
            id: "b", name: "=1+1", kind: .runde, legalBasis: ["@gesetz", "§ 81 SGB VIII"],
            agreements: ["-Vereinbarung"],
            chair: "o0", members: members)
        let records = ParticipationRecords(
            offices: offices, bodies: [body], sessions: [], attendance: [], minutes: [], core: [])
        let day = CivilDate(year: 2026, month: 1, day: 1)
        let made = LocalDateTime(year: 2026, month: 2, day: 1)
        let summary = ParticipationSummary(records: records, from: day, through: day, madeAt: made)
        let stamp = ReportStamp(
            from: day, through: day, office: nil, body: nil, core: [], format: .csv, excel: excel, madeAt: made,
            head: ChainHeadText.genesis, allPairs: true)
        return ParticipationReport(summary: summary, stamp: stamp)
    }

    enum ChainHeadText {
        static let genesis = "0:" + String(repeating: "0", count: 64)
    }

    static func rows(_ text: String, delimiter: UnicodeScalar) throws -> [[String]] {
        let reader = try CSVReader(string: text, hasHeaderRow: false, delimiter: delimiter)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return rows
    }

    @Test(arguments: [false, true])
    func hostileCellsAreNeutralisedAndReadBackWhole(excel: Bool) throws {
        var text = Self.report(excel: excel).csv()
        if excel {
            #expect(text.hasPrefix("\u{FEFF}"))
            text.removeFirst()
        }
        // RFC 4180: CRLF after every record, also the last.
        #expect(text.hasSuffix("\r\n"))
        let rows = try Self.rows(text, delimiter: excel ? ";" : ",")
        #expect(Set(rows.map(\.count)).count == 1)  // every record has the same number of fields
        let officeRows = rows.filter { $0.count > 2 && $0[1].hasPrefix("O") }
        #expect(officeRows.count == Self.hostile.count)
        for (row, (name, formula)) in zip(officeRows, Self.hostile) {
            #expect(row[2] == (formula ? "'" + name : name), "\(row[2].debugDescription)")
        }
        let body = try #require(rows.first { $0.first == "b" })
        #expect(body[1] == "'=1+1")
        let pair = try #require(rows.first { $0.first == "o0" && $0[1] == "o1" })
        #expect(pair[8] == "'@gesetz; § 81 SGB VIII")
        #expect(pair[9] == "'-Vereinbarung")
        // No cell of the whole file starts with a character a spreadsheet would run.
        for row in rows {
            for cell in row {
                #expect(!(cell.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } ?? false), "\(cell)")
            }
        }
    }

    @Test(arguments: [
        ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("=1", "'=1"),
        ("=\"x\",y", "\"'=\"\"x\"\",y\""), ("line\r\nbreak", "\"line\r\nbreak\""), ("", ""),
        ("Arbeitsmarktpolitischer Beirat nach § 18d SGB II", "Arbeitsmarktpolitischer Beirat nach § 18d SGB II"),
        ("Jugendhilfeausschuss, Unterausschuss Prävention", "\"Jugendhilfeausschuss, Unterausschuss Prävention\""),
        ("-Vereinbarung \"Übergang\"", "\"'-Vereinbarung \"\"Übergang\"\"\""),
    ])
    func fieldsAreQuotedAsRFC4180Says(_ value: String, _ written: String) {
        #expect(CSVTable(width: 1).field(value) == written)
    }

    /// A table wider than the stage's bound for one write: a short row is padded all the same.
    @Test func aShortRowOfAWideTableIsPaddedToItsWidth() {
        var t = CSVTable(width: 70_000)
        t.append(["a"])
        t.append([])
        let records = t.text.components(separatedBy: "\r\n")
        #expect(records.count == 3 && records[2].isEmpty)
        let fields = records.dropLast().map { $0.split(separator: ",", omittingEmptySubsequences: false).count }
        #expect(fields == [70_000, 70_000])
        #expect(records.first?.hasPrefix("a,,") == true)
    }

    @Test func excelUsesDecimalCommas() {
        var t = CSVTable(separator: ";", byteOrderMark: true, width: 2)
        t.append(["a", "1,5"])
        t.append(["b"])
        #expect(t.text == "\u{FEFF}a;1,5\r\nb;\r\n")
    }

    /// Parts made on several cores come out in order, as if appended one after the other, and
    /// reach a sink in pieces of 64 to 128 KB however large a part is.
    @Test func partsMadeInParallelComeOutInOrder() {
        @Sendable func rows(_ part: Int) -> [[String]] {
            (0..<(part % 7 == 3 ? 4000 : part % 5)).map { ["t\(part)", "r\($0)", part % 2 == 0 ? "=\($0)" : "a,b"] }
        }
        var sequential = CSVTable(separator: ";", byteOrderMark: true, width: 4)
        sequential.append(["Kopf"])
        for part in 0..<50 { rows(part).forEach { sequential.append($0) } }
        sequential.append(["Ende"])
        let pieces = Mutex<[[UInt8]]>([])
        var parallel = CSVTable(
            separator: ";", byteOrderMark: true, width: 4, sink: { piece in pieces.withLock { $0.append(piece) } })
        parallel.append(["Kopf"])
        parallel.appendParts(50) { part, table in rows(part).forEach { table.append($0) } }
        parallel.append(["Ende"])
        #expect(parallel.takeData().isEmpty)
        let handed = pieces.withLock { $0 }
        #expect(handed.count > 4)
        #expect(handed.dropLast().allSatisfy { $0.count >= 1 << 16 && $0.count < 1 << 17 })
        #expect(Data(handed.joined()) == sequential.data)
    }

    /// Fields far longer than the table's staging piece (64 KB), quoted and plain, with each
    /// separator: the same bytes as a field written by RFC 4180's rule, read back by CSV.swift.
    @Test(arguments: [",", ";", "|", "§"])
    func fieldsLongerThanAPieceAreWrittenWhole(_ separator: String) throws {
        let plain = String(repeating: "Sitzung des Beirats ", count: 9_000)  // 180 KB
        let quoted = String(repeating: "Er sagte \"ja\"\(separator) dann\n", count: 7_000)  // 168 KB and more
        let formula = "=" + String(repeating: "1+", count: 40_000)
        let rows = [["kurz", plain], [quoted, "x", formula], [plain + quoted], []]
        var table = CSVTable(separator: Character(separator), width: 3)
        for row in rows { table.append(row) }
        func rfc4180(_ field: String) -> String {
            let neutral = ["=", "+", "-", "@", "\t", "\r"].contains { field.hasPrefix($0) } ? "'" + field : field
            let quote = ["\"", "\r", "\n", separator].contains { field.contains($0) }
            return quote ? "\"" + neutral.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : neutral
        }
        let expected = rows.map { row in
            (row.map(rfc4180) + Array(repeating: "", count: 3 - max(row.count, 1) + (row.isEmpty ? 1 : 0)))
                .joined(separator: separator) + "\r\n"
        }.joined()
        let written = table.text
        #expect(written.utf8.count == expected.utf8.count)
        // Where they part, not the 700 KB themselves, when they do.
        let parted = zip(written.utf8, expected.utf8).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(parted == nil, "written and expected differ from byte \(parted ?? -1)")
        let reader = try CSVReader(string: written, hasHeaderRow: false, delimiter: separator.unicodeScalars.first!)
        var read: [[String]] = []
        while let row = reader.next() { read.append(row) }
        #expect(read.count == 4)
        #expect(read.first?[1] == plain)
        #expect(read.dropFirst().first?[0] == quoted)
    }
}
