import Coordination
import Definitions
import Foundation
import ICalendar
import Platform
import Testing

@testable import Publishing

/// Every minutes template rendered against golden files, for the three variants; the ODT is a
/// real OpenDocument text that LibreOffice converts to PDF.
@Suite struct MinutesTests {
    static let templates = FeedTests.here.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("templates").path

    /// (golden name, body, series, planned date, attendance)
    static let cases: [(String, String, String, String, [AttendanceEntry])] = [
        ("default", "runde", "montag", "2026-03-02", []),
        ("fallbesprechung", "runde", "montag", "2026-03-25", []),
        (
            "beirat", "beirat", "sitzung", "2026-09-01",
            [
                AttendanceEntry(
                    session: SessionKey(
                        body: "beirat", series: "sitzung", date: CivilDate(year: 2026, month: 9, day: 1)),
                    office: "jc", person: "Anna Beispiel", status: .present,
                    arrival: LocalDateTime(year: 2026, month: 9, day: 1, hour: 14, minute: 58)),
                AttendanceEntry(
                    session: SessionKey(
                        body: "beirat", series: "sitzung", date: CivilDate(year: 2026, month: 9, day: 1)),
                    office: "aa", person: "Carla Muster", status: .represented, deputy: "Ben Vertreter"),
            ]
        ),
    ]

    static func view(_ index: Int) throws -> MinutesView {
        let (_, bodyID, seriesID, dateText, attendance) = cases[index]
        var district = try FeedTests.district()
        // Standing agenda items of the Beirat, as a series would define them.
        district.bodies[0].series[0].agenda = ["Begrüßung und Beschlussfähigkeit", "Bericht <aktuell> & Ausblick"]
        let planner = try SessionPlanner(district: district) { try? SystemTimeZones.rules(for: $0) }
        let body = try #require(district.body(bodyID))
        let series = try #require(body.series.first { $0.id == seriesID })
        let date = try #require(CivilDate(iso: dateText))
        let sessions = planner.sessions(of: body, series: series, from: 0, to: Int64(4_000_000_000))
        let session = try #require(
            sessions.first { ($0.recurrenceID?.local.date ?? $0.start.local.date) == date })
        let key = SessionKey(body: bodyID, series: seriesID, date: date)
        // Action items of the body: open from an earlier session (carried over), done before the
        // session (left out), agreed in this session (not yet carried over).
        let earlier = SessionKey(body: bodyID, series: seriesID, date: CivilDate(year: 2026, month: 1, day: 1))
        let actions = [
            ActionItem(
                id: 1, session: earlier, text: "Bericht zur Eingliederungsplanung", office: "jc",
                due: CivilDate(year: 2026, month: 6, day: 30)),
            ActionItem(
                id: 2, session: earlier, text: "Termine abstimmen", office: "aa",
                done: LocalDateTime(year: 2026, month: 2, day: 1)),
            ActionItem(id: 3, session: key, text: "Neu in dieser Sitzung", office: "jc"),
        ]
        return MinutesView(
            district: district, body: body, series: series, session: session, key: key, attendance: attendance,
            state: nil, addedAgenda: index == 2 ? [AgendaItem(session: key, text: "Haushalt 2027")] : [],
            actions: index == 2 ? actions : [])
    }

    @Test(arguments: 0..<cases.count)
    func everyTemplateMatchesItsGoldenFile(index: Int) async throws {
        let view = try Self.view(index)
        #expect(view.variant == Self.cases[index].0)
        let renderer = try await MinutesRenderer(folder: Self.templates)
        let record = ProcessInfo.processInfo.environment["GREMIEN_RECORD_GOLDEN"] == "1"
        for format in [MinutesRenderer.Format.md, .html, .odt] {
            let text = try renderer.text(view, format: format)
            let suffix = format == .odt ? "odt-content.xml" : format.rawValue
            let url = FeedTests.golden.appendingPathComponent("minutes-\(Self.cases[index].0).\(suffix)")
            if record { try Data(text.utf8).write(to: url) }
            let expected = try String(decoding: Data(contentsOf: url), as: UTF8.self)
            #expect(text == expected, "\(url.lastPathComponent)")
        }
    }

    @Test func variantsSayWhatTheyMust() async throws {
        let renderer = try await MinutesRenderer(folder: Self.templates)
        let fall = try renderer.text(try Self.view(1), format: .md)
        #expect(fall.contains("keine Namen von Klientinnen und Klienten und keine Falldaten"))
        #expect(fall.contains("§ 35 SGB I, §§ 67 ff. SGB X"))
        #expect(fall.contains("Einwilligung liegt vor"))
        let beirat = try renderer.text(try Self.view(2), format: .html)
        // Voting members on 1 Sep 2026: jc and aa (ja-k's advisory seat ended); both attended.
        #expect(
            beirat.contains(
                "Von 2 stimmberechtigten Mitgliedern sind 2 anwesend oder vertreten; erforderlich sind 2. Das Gremium ist beschlussfähig."
            ))
        #expect(beirat.contains("vertreten durch Ben Vertreter: Carla Muster"))
        #expect(beirat.contains("Bericht &lt;aktuell&gt; &amp; Ausblick"))  // escaped in HTML
        #expect(beirat.contains("<li>Haushalt 2027</li>"))
        #expect(
            beirat.contains(
                "<tr><td>1</td><td>Bericht zur Eingliederungsplanung</td><td>JC</td><td>01.01.2026</td><td>30.06.2026</td></tr>"
            ))
        #expect(!beirat.contains("Termine abstimmen") && !beirat.contains("Neu in dieser Sitzung"))
        let plain = try renderer.text(try Self.view(0), format: .md)
        #expect(plain.contains("## Offene Aufgaben aus früheren Sitzungen\n\nKeine.\n"))
        #expect(!plain.contains("Beschlussfähigkeit") && !plain.contains("Einwilligung"))
    }

    /// LibreOffice (Debian's libreoffice-writer-nogui, installed by scripts/test) converts each ODT to
    /// PDF; the PDF's text holds the body's name.
    @Test(arguments: 0..<cases.count)
    func odtOpensInLibreOffice(index: Int) async throws {
        let view = try Self.view(index)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("minutes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let odt = folder.appendingPathComponent("niederschrift.odt")
        let renderer = try await MinutesRenderer(folder: Self.templates)
        try renderer.writeODT(view, to: odt.path)
        let first = try Data(contentsOf: odt)
        try renderer.writeODT(view, to: odt.path)
        #expect(try Data(contentsOf: odt) == first)  // no clock in the package
        #expect(first.prefix(2) == Data("PK".utf8))
        #expect(first.range(of: Data("mimetypeapplication/vnd.oasis.opendocument.text".utf8)) != nil)
        let profile = folder.appendingPathComponent("profile")
        let convert = try Self.run(
            "libreoffice",
            [
                "-env:UserInstallation=file://\(profile.path)", "--headless", "--convert-to", "pdf", "--outdir",
                folder.path, odt.path,
            ])
        #expect(convert == 0)
        let text = folder.appendingPathComponent("niederschrift.txt")
        #expect(try Self.run("pdftotext", [folder.appendingPathComponent("niederschrift.pdf").path, text.path]) == 0)
        let pdfText = try String(contentsOf: text, encoding: .utf8).replacingOccurrences(of: "\n", with: " ")
        #expect(pdfText.contains(view.bodyName))
        #expect(pdfText.contains("Niederschrift"))
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Hardening (issue 12): text from data is escaped for each output format.
@Suite struct OutputEscapingTests {
    @Test func markdownTakesDataAsPlainText() {
        #expect(
            MarkdownText().escapeText("<img src=x onerror=alert(1)> **fett** [Link](http://x) | Zelle\nZeile\u{1}")
                == "\\<img src=x onerror=alert(1)\\> \\*\\*fett\\*\\* \\[Link\\](http://x) \\| Zelle Zeile")
    }

    @Test func xmlLeavesOutWhatXMLForbids() {
        #expect(
            XMLText().escapeText("A & B <c> \"d\" 'e'\u{1}\u{B}\tf")
                == "A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos;\tf")
    }

    @Test func icalendarTextLeavesOutControls() {
        #expect(ICalText.escape("a;b,c\\d\ne\u{1}f\u{7F}") == "a\\;b\\,c\\\\d\\ne" + "f")
    }
}
