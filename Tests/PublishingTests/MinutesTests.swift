import Coordination
import Definitions
import Foundation
import ICalendar
import Platform
import Testing
import ZIPFoundation

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
            ActionItem(id: 3, session: key, text: "Neu in dieser Sitzung", office: "jc", agendaItem: 3),
        ]
        return MinutesView(
            district: district, body: body, series: series, session: session, key: key, attendance: attendance,
            state: nil, record: record(index, key: key, standing: series.agenda),
            actions: index == 2
                ? actions : [ActionItem(id: 4, session: key, text: "Raum buchen", office: "jc", agendaItem: 2)])
    }

    /// Minutes written for each variant: times, the minute-taker, per item a record of the
    /// discussion and the results, votes (the Beirat, with quorum), a non-public item.
    static func record(_ index: Int, key: SessionKey, standing: [String]) -> MinutesRecord {
        var record = MinutesRecord(
            session: key,
            standing: standing.isEmpty ? ["Begrüßung und Feststellung der Tagesordnung", "Verschiedenes"] : standing,
            added: index == 2 ? ["Haushalt 2027"] : ["Bericht der AG nach § 78 SGB VIII"])
        record.began = "10:05"
        record.ended = "11:40"
        record.minuteTaker = "Paula Protokoll"
        record.items[0].discussion = "Die Tagesordnung wird ohne Änderung festgestellt."
        switch index {
        case 0:
            record.items[1].discussion =
                "Die AG berichtet über die Planung nach § 80 SGB VIII; Rückfragen zu den Fristen."
            record.items[1].results = "Der Bericht wird zur Kenntnis genommen. Die nächste Planung kommt im Herbst."
        case 1:
            record.items[1].isPublic = false
            record.items[1].discussion =
                "Fall AZ 2026-0417 (Einwilligung liegt vor): Abstimmung der Hilfen zwischen JA-K und JC."
            record.items[1].results = "Gemeinsames Hilfeplangespräch im April."
        default:
            record.items[2].discussion = "Der Entwurf des Haushalts 2027 wird vorgestellt."
            record.items[2].results = "Der Beirat empfiehlt den Entwurf mit einer Änderung."
            record.items[2].votes = [
                MinutesRecord.Vote(subject: "Empfehlung des Entwurfs", yes: 2, no: 0, abstentions: 1, quorumHeld: true),
                MinutesRecord.Vote(
                    subject: "Änderungsantrag <Kita> & Schule", yes: 1, no: 2, abstentions: 0, quorumHeld: false),
            ]
        }
        return record
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
        #expect(fall.contains("§\u{00A0}35 SGB I, §§\u{00A0}67 ff. SGB X"))  // no line break after §
        #expect(fall.contains("2. Bericht der AG nach §\u{00A0}78 SGB VIII (nicht öffentlich)"))
        #expect(fall.contains("*Nicht öffentlicher Punkt.*"))
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
        #expect(!beirat.contains("Termine abstimmen"))
        // Agreed in this session: under its item and in the session's own list, not among the open ones.
        #expect(beirat.contains("<tr><td>3</td><td>3</td><td>Neu in dieser Sitzung</td><td>JC</td><td>–</td></tr>"))
        // Votes as a table, with quorum at the vote and the outcome; text escaped.
        #expect(
            beirat.contains(
                "<tr><td>3</td><td>Empfehlung des Entwurfs</td><td class=\"n\">2</td><td class=\"n\">0</td><td class=\"n\">1</td><td>ja</td><td>angenommen</td></tr>"
            ))
        #expect(beirat.contains("<td>Änderungsantrag &lt;Kita&gt; &amp; Schule</td>"))
        #expect(beirat.contains("<td>nein</td><td>abgelehnt</td>"))
        #expect(beirat.contains("<tr><th scope=\"row\">Zeit (tatsächlich)</th><td>10:05 bis 11:40 Uhr</td></tr>"))
        #expect(beirat.contains("<tr><th scope=\"row\">Protokoll</th><td>Paula Protokoll</td></tr>"))
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
        let said = folder.appendingPathComponent("libreoffice.log")
        let convert = try Self.run(
            "libreoffice",
            [
                "-env:UserInstallation=file://\(profile.path)", "--headless", "--convert-to", "pdf", "--outdir",
                folder.path, odt.path,
            ], output: said)
        let text = folder.appendingPathComponent("niederschrift.txt")
        let pdf = folder.appendingPathComponent("niederschrift.pdf")
        // LibreOffice ends with status 0 also when it could not read the file: the PDF must be there.
        try #require(
            convert == 0 && FileManager.default.fileExists(atPath: pdf.path),
            "LibreOffice ended with status \(convert) and said: \((try? String(contentsOf: said, encoding: .utf8)) ?? "")"
        )
        #expect(try Self.run("pdftotext", ["-layout", pdf.path, text.path]) == 0)
        let pdfText = try String(contentsOf: text, encoding: .utf8)
        let flat = pdfText.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("Niederschrift"))
        #expect(flat.contains(view.bodyName.replacingOccurrences(of: "\u{00A0}", with: " ")))
        // Page numbers from the footer of styles.xml, the district in the header.
        #expect(flat.contains("Seite 1 von"), "\(flat.prefix(400))")
        #expect(flat.contains(view.district))
        if index == 2 {
            // The votes table: its header row and a row, cells side by side on one line.
            #expect(
                pdfText.split(separator: "\n").contains { $0.contains("Abstimmung") && $0.contains("Enthaltungen") })
            #expect(
                pdfText.split(separator: "\n").contains {
                    $0.contains("Empfehlung des Entwurfs") && $0.contains("angenommen")
                })
        }
        // The first page as a picture, for a person to look at.
        let shots = Self.templates.replacingOccurrences(of: "/templates", with: "/.build/screenshots")
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let png = "\(shots)/niederschrift-\(Self.cases[index].0)"
        #expect(
            try Self.run("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf.path, png]) == 0)
        #expect(FileManager.default.fileExists(atPath: png + ".png"))
        // The package: styles with table header rows and page numbers, meta data.
        let archive = try Archive(url: odt, accessMode: .read)
        #expect(
            Set(archive.map(\.path)).isSuperset(of: ["content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml"]))
        let content = try renderer.text(view, format: .odt)
        #expect(content.contains("<table:table-header-rows>") && content.contains("table:style-name=\"Kopfzelle\""))
        #expect(MinutesRenderer.styles(view).contains("<text:page-number"))
        #expect(MinutesRenderer.meta(view).contains("<dc:language>de-DE</dc:language>"))
    }

    /// Runs the tool and gives its exit status; with `output`, what it printed goes into that file.
    static func run(_ tool: String, _ arguments: [String], output: URL? = nil) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        var log = FileHandle.nullDevice
        if let output {
            FileManager.default.createFile(atPath: output.path, contents: nil)
            log = try FileHandle(forWritingTo: output)
        }
        defer { if output != nil { try? log.close() } }
        process.standardOutput = log
        process.standardError = log
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
