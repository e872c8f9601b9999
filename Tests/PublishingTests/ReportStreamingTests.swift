import Foundation
import Mustache
import Platform
import Testing

@testable import Coordination
@testable import Publishing

/// `gremien report --out` writes a report while it is made (`ParticipationReport.write(to:)`,
/// `AtomicFile.Stream`): the file must hold exactly the bytes of `rendered()` (or reports would no
/// longer verify), and it must appear only whole.
struct ReportStreamingTests {
    /// Collects what a sink is handed, chunk by chunk.
    final class Chunks: @unchecked Sendable {
        private let lock = NSLock()
        private var chunks: [[UInt8]] = []
        var sink: ReportSink { { [self] chunk in lock.withLock { chunks.append(chunk) } } }
        var all: [[UInt8]] { lock.withLock { chunks } }
    }

    /// The oracle's summary with thousands of sessions per office and body: megabytes of CSV and JSON.
    static func large() -> ParticipationSummary {
        var summary = ReportJSONTests.summary()
        let first = CivilDate(year: 2020, month: 1, day: 1)
        let outcomes: [SessionOutcome.Outcome] = [.attended, .excused, .absent, .unrecorded]
        for i in summary.offices.indices {
            summary.offices[i].sessions = (0..<4_000).map {
                SessionOutcome(
                    body: "b\($0 % 7)", date: CivilDate(dayNumber: first.dayNumber + $0), outcome: outcomes[$0 % 4])
            }
        }
        for i in summary.bodies.indices {
            summary.bodies[i].sessions = (0..<3_000).map {
                BodySession(
                    date: CivilDate(dayNumber: first.dayNumber + $0), state: $0 % 5 == 0 ? .cancelled : .held,
                    moved: $0 % 3 == 0, recordedOffices: $0 % 4, expectedOffices: 3)
            }
        }
        return summary
    }

    @Test(arguments: [
        (ReportStamp.Format.csv, false), (.csv, true), (.json, false), (.html, false),
    ])
    func writtenAsItIsMadeIsRenderedByteForByte(format: ReportStamp.Format, excel: Bool) throws {
        let summary = Self.large()
        let report = ReportJSONTests.report(summary, format: format, excel: excel, version: 3)
        let chunks = Chunks()
        report.write(to: chunks.sink)
        let handed = chunks.all
        let whole = report.rendered()
        #expect(whole.count > 1_000_000, "the report is \(whole.count) bytes, too small to cross many chunks")
        #expect(Data(handed.joined()) == whole)
        // Handed on some 64 KB at a time, never held whole.
        #expect(handed.count > 15)
        #expect(handed.dropLast().allSatisfy { $0.count >= 1 << 16 && $0.count < 1 << 17 })
    }

    /// The template reads the view's fields by name (`MustacheParent`, not `Mirror`): each stored
    /// field must be given under its name, with its value, or the page would lose it silently;
    /// names that are no field give nothing, so that the template looks further up as before.
    @Test func theViewGivesTheTemplateEveryFieldByName() throws {
        let summary = ReportJSONTests.summary()
        let view = ParticipationReport.HTMLView(
            ReportJSONTests.report(summary, format: .html, version: 3, allPairs: true))
        func expectEveryField(_ value: some MustacheParent) {
            let fields = Mirror(reflecting: value).children
            #expect(fields.count >= 10)
            for field in fields {
                let label = try! #require(field.label)
                let given = value.child(named: label)
                #expect(given.map { "\($0)" } == "\(field.value)", "\(type(of: value)).\(label)")
            }
            for name in ["", "nosuchfield", "Name", "sessions.count", "."] {
                #expect(value.child(named: name) == nil, "\(type(of: value)) gives \(name)")
            }
        }
        expectEveryField(view)
        #expect(!view.offices.isEmpty && !view.pairs.isEmpty && !view.bodies.isEmpty)
        view.offices.forEach(expectEveryField)
        view.pairs.forEach(expectEveryField)
        view.bodies.forEach(expectEveryField)
    }

    /// The HTML page writes the lists of sessions as bytes where the template left a mark for
    /// each (`ParticipationReport.html`). It must be exactly the page the template makes with the
    /// lists in it, escaped by swift-mustache: for the oracle's names (quotes, `<`, `&`, control
    /// characters, a NUL), for a body named like a mark, and for a `<` with a combining mark,
    /// which swift-mustache leaves as it is (one character).
    @Test(arguments: [1, 2, 3])
    func theWrittenListsAreThoseTheTemplateWouldMake(version: Int) throws {
        var summary = Self.large()
        let small = ReportJSONTests.summary()
        summary.offices += small.offices
        summary.bodies += small.bodies
        // A name of 240 KB: the page's text around it and the lists are moved on in pieces.
        let long = String(repeating: "Langer Name ", count: 20_000)
        summary.bodies[1].name = long
        let tricky =
            ["<\u{0}o1\u{0}", "<\u{0}b99999999\u{0}", "a <\u{338} b", "R&D \"x\" 'y' <z>", long, "<" + long]
            + ReportJSONTests.names
        for i in summary.offices.indices {
            summary.offices[i].sessions += tricky.enumerated().map { k, name in
                SessionOutcome(
                    body: name, date: CivilDate(year: 999 + k * 3001, month: 1 + k % 12, day: 1 + k), outcome: .excused)
            }
        }
        summary.bodies[0].sessions = []
        summary.offices[0].sessions = []
        let report = ReportJSONTests.report(summary, format: .html, version: version)
        // The oracle: the template with each list as a value it escapes itself (`{{sessions}}`),
        // the view with each list's text in place of its mark.
        let template = try MustacheTemplate(
            string: report.v2
                ? ParticipationReport.templateV2.replacingOccurrences(of: "{{{sessions}}}", with: "{{sessions}}")
                : ParticipationReport.template)
        var view = ParticipationReport.HTMLView(report)
        for (i, o) in summary.offices.enumerated() where !view.offices[i].sessions.isEmpty {
            view.offices[i].sessions = o.sessions.map { "\($0.date.german) \($0.body) \($0.outcome.german)" }
                .joined(separator: " · ")
        }
        for (i, b) in summary.bodies.enumerated() where !view.bodies[i].sessions.isEmpty {
            view.bodies[i].sessions = b.sessions.map { s in
                "\(s.date.german) \(s.state.german)" + (s.moved ? ", verlegt" : "")
                    + (s.state == .held ? " (\(s.recordedOffices) von \(s.expectedOffices) Büros erfasst)" : "")
            }.joined(separator: " · ")
        }
        let expected = Data(template.render(view).utf8)
        let written = report.html()
        #expect(written.count > (version >= 2 ? 1_000_000 : 1_000))
        #expect(written == expected)
        if written != expected {
            let (a, b) = ([UInt8](written), [UInt8](expected))
            let at = a.indices.first { $0 >= b.count || a[$0] != b[$0] } ?? a.count
            Issue.record(
                "first difference at byte \(at): \(String(decoding: a[max(0, at - 60)..<min(a.count, at + 60)], as: UTF8.self))"
            )
        }
        // The lists are there (version 2), with the mark-like and escaped names as text.
        let page = String(decoding: written, as: UTF8.self)
        #expect(page.contains("&lt;\u{0}o1\u{0}") == report.v2)
        #expect(page.contains("R&amp;D &quot;x&quot; &#39;y&#39; &lt;z&gt;") == report.v2)
        #expect(
            page.components(separatedBy: "<p class=\"liste\">").count - 1
                == (report.v2 ? summary.offices.count + summary.bodies.count : 0))
    }

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func names(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test func aStreamedFileAppearsOnlyWholeAndInOrder() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bericht.csv").path
        try AtomicFile.write(Array("alter Bericht\n".utf8), to: path)
        let file = try AtomicFile.Stream(to: path)
        var expected: [UInt8] = []
        for i in 0..<200 {
            let piece = [UInt8](repeating: UInt8(i), count: 1_000 + i)
            expected += piece
            file.append(piece)
        }
        // Until the commit, the old file is what a reader sees; the new one has a temporary name.
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "alter Bericht\n")
        #expect(try Self.names(in: folder).count == 2)
        try file.commit()
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == expected)
        #expect(try Self.names(in: folder) == ["bericht.csv"])
    }

    @Test func anAbandonedStreamLeavesTheFileAsItWas() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bericht.json").path
        try AtomicFile.write(Array("{}\n".utf8), to: path)
        let file = try AtomicFile.Stream(to: path)
        file.append(Array("{\"halb\"".utf8))
        file.abandon()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{}\n")
        #expect(try Self.names(in: folder) == ["bericht.json"])
    }

    @Test func aFailedCommitNamesThePathAndLeavesNoTemporaryFile() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A folder where the file should go: the rename fails.
        let path = folder.appendingPathComponent("bericht.csv").path
        try FileManager.default.createDirectory(atPath: path + "/inhalt", withIntermediateDirectories: true)
        let file = try AtomicFile.Stream(to: path)
        file.append(Array("a,b\r\n".utf8))
        #expect(throws: FileWriteError.self) { try file.commit() }
        do { try file.commit() } catch { #expect(error.description.hasPrefix("cannot write \(path): ")) }
        #expect(try Self.names(in: folder) == ["bericht.csv"])
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue)
    }

    @Test func aFolderThatIsNotThereIsNamedBeforeAnythingIsMade() {
        let path = "/nonexistent-\(UUID().uuidString)/bericht.csv"
        #expect(throws: FileWriteError.self) { try AtomicFile.Stream(to: path) }
    }
}
