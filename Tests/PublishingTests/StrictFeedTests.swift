import Coordination
import Definitions
import Foundation
import GremienTestSupport
import ICalendar
import Platform
import Publishing
import Testing

/// Feeds that strict readers accept (issue 14): libical's own RFC 5546 restriction check finds
/// nothing, every line is CRLF and at most 75 octets, and every TEXT value is escaped, the X-
/// properties too (libical writes those raw).
@Suite struct StrictFeedTests {
    /// The feeds of the shipped calendars and of the test district, in both `cancelled_sessions`
    /// modes; the shipped ones also with recorded changes (cancelled, moved, added, reinstated, an
    /// added one cancelled), items added to an agenda and links to the pages.
    static func allFeeds() throws -> [(String, Feed)] {
        var result: [(String, Feed)] = []
        for mode in District.CancelledSessions.allCases {
            for (name, folder) in [("calendars", TestDistrict.shippedCalendars), ("fixture", TestDistrict.calendars)] {
                var district = try TestDistrict.district(at: folder)
                district.cancelledSessions = mode
                let planner = try SessionPlanner(district: district, zone: TestDistrict.zones)
                for feed in try FeedBuilder(planner: planner).feeds() { result.append(("\(name) \(mode)", feed)) }
            }
            let (changed, agendas) = try changedDistrict(mode)
            let planner = try SessionPlanner(district: changed, zone: TestDistrict.zones)
            let builder = FeedBuilder(planner: planner, publicURL: "https://gremien.kreis-dueren.de/", agendas: agendas)
            for feed in try builder.feeds() { result.append(("changed \(mode)", feed)) }
        }
        return result
    }

    /// The shipped district with session changes laid over it, and added agenda items (with the
    /// characters TEXT must escape).
    static func changedDistrict(_ mode: District.CancelledSessions) throws -> (District, [SessionKey: [String]]) {
        var district = try TestDistrict.district(at: TestDistrict.shippedCalendars)
        district.cancelledSessions = mode
        let ag78 = try #require(district.body("ag-78")?.series.first?.id)
        let team = "fallbesprechung"
        let time = LocalDateTime(year: 2026, month: 11, day: 30, hour: 9)
        func change(_ body: String, _ series: String, _ e: SeriesException) -> SessionChange {
            SessionChange(body: body, series: series, exception: e, time: time, actor: "test")
        }
        let extra = SeriesException.Addition(
            id: "extra-20270512t100000", start: LocalDateTime(year: 2027, month: 5, day: 12, hour: 10))
        var dropped = SeriesException.Addition(
            id: "extra-20270519t100000", start: LocalDateTime(year: 2027, month: 5, day: 19, hour: 10))
        let changes = [
            change(
                "ag-78", ag78,
                .cancel(date: CivilDate(year: 2027, month: 4, day: 13), reason: "Klausur, intern; später")),
            change(
                "ag-78", ag78,
                .move(
                    .init(
                        date: CivilDate(year: 2027, month: 6, day: 8),
                        to: LocalDateTime(year: 2027, month: 6, day: 10, hour: 10),
                        location: "Raum B 001", reason: "Raum belegt"))),
            change("ag-78", ag78, .cancel(date: CivilDate(year: 2027, month: 3, day: 9), reason: "Streik")),
            change("ag-78", ag78, .reinstate(date: CivilDate(year: 2027, month: 3, day: 9), reason: "Streik abgesagt")),
            change("praeventionsteam", team, .add(extra)),
            change("praeventionsteam", team, .add(dropped)),
        ]
        dropped.cancelled = "Fall abgeschlossen"
        let all = changes + [change("praeventionsteam", team, .add(dropped))]
        let agendas = [
            SessionKey(body: "ag-78", series: ag78, date: CivilDate(year: 2027, month: 1, day: 12)): [
                "Haushalt; Bericht", "Planung, Ausblick \\ Sonstiges",
            ]
        ]
        return (district.applying(all), agendas)
    }

    /// TEXT properties whose values must have every `,` `;` `\` and line break escaped.
    static let textProperties: Set<String> = [
        "SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT", "X-WR-CALNAME", "X-WR-CALDESC",
    ]

    /// What is wrong with the lines of a feed (empty when nothing).
    static func lineProblems(_ text: String) -> [String] {
        var problems: [String] = []
        guard text.hasSuffix("\r\n") else { return ["does not end in CRLF"] }
        let physical = text.components(separatedBy: "\r\n").dropLast()
        for (i, line) in physical.enumerated() {
            if line.utf8.count > 75 { problems.append("line \(i + 1): \(line.utf8.count) octets") }
            if line.contains("\n") || line.contains("\r") { problems.append("line \(i + 1): a bare CR or LF") }
        }
        // Unfold (RFC 5545 3.1) and look at each TEXT value.
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n")
        for line in unfolded {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let head = line[..<colon]
            let name = String(head.prefix { $0 != ";" })
            guard textProperties.contains(name) else { continue }
            var escaped = false
            for c in line[line.index(after: colon)...] {
                if escaped {
                    if !"\\;,nN".contains(c) { problems.append("\(name): \\\(c) is not an escape") }
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "," || c == ";" {
                    problems.append("\(name): an unescaped '\(c)' in \(line.prefix(90))")
                    break
                }
            }
        }
        return problems
    }

    @Test func libicalsRestrictionCheckFindsNothing() throws {
        let feeds = try Self.allFeeds()
        #expect(feeds.count > 40)
        for (source, feed) in feeds {
            #expect(ICalRestrictions.findings(in: feed.text) == [], "\(source) \(feed.path)")
            #expect(!feed.text.contains("\r\nMETHOD:"), "\(source) \(feed.path)")
        }
    }

    @Test func everyLineAndEveryTextValueIsStrict() throws {
        for (source, feed) in try Self.allFeeds() {
            #expect(Self.lineProblems(feed.text) == [], "\(source) \(feed.path)")
        }
    }

    /// A session with items added to its agenda is stated on its own, its DESCRIPTION lists the
    /// standing and added items and links to its page; a cancelled one says why (`show`) or is
    /// an EXDATE (`hide`); a reinstated one is a plain instance again.
    @Test func descriptionsCarryAgendaLinkAndReason() throws {
        for mode in District.CancelledSessions.allCases {
            let feeds = try Self.allFeeds().filter { $0.0 == "changed \(mode)" }
            let ag78 = try #require(feeds.first { $0.1.path == "bodies/ag-78.ics" }?.1.text)
            let unfolded = ag78.replacingOccurrences(of: "\r\n ", with: "")
            #expect(unfolded.contains("RECURRENCE-ID;TZID=Europe/Berlin:20270112T140000\r\n"))
            // Added items come before the standing "Verschiedenes", as in the minutes.
            #expect(
                unfolded.contains(
                    "\\n4. Jugendhilfeplanung\\n5. Haushalt\\; Bericht\\n6. Planung\\, Ausblick \\\\ Sonstiges\\n7. Verschiedenes\\n"
                ))
            #expect(unfolded.contains("Sitzungsseite: https://gremien.kreis-dueren.de/sitzungen/ag-78/2027-01-12\r\n"))
            #expect(unfolded.contains("Seite des Gremiums: https://gremien.kreis-dueren.de/gremien/ag-78\r\n"))
            #expect(!unfolded.contains("RECURRENCE-ID;TZID=Europe/Berlin:20270309T140000"))
            let team = try #require(feeds.first { $0.1.path == "bodies/praeventionsteam.ics" }?.1.text)
                .replacingOccurrences(of: "\r\n ", with: "")
            switch mode {
            case .show:
                #expect(unfolded.contains("SUMMARY:Abgesagt: AG Kinder- und Jugendförderung nach § 78 SGB VIII\r\n"))
                #expect(unfolded.contains("DESCRIPTION:Abgesagt: Klausur\\, intern\\; später\\n"))
                #expect(!unfolded.contains("EXDATE"))
                #expect(team.contains("UID:extra-20270519t100000.fallbesprechung.praeventionsteam@"))
            case .hide:
                #expect(unfolded.contains("EXDATE;TZID=Europe/Berlin:20270413T140000\r\n"))
                #expect(!unfolded.contains("Abgesagt"))
                #expect(!team.contains("UID:extra-20270519t100000"))
            }
            #expect(team.contains("UID:extra-20270512t100000.fallbesprechung.praeventionsteam@"))
        }
    }

    /// Regression: the office feeds' X-WR-CALDESC carried a raw comma (libical writes X- values unescaped).
    @Test func theOfficeFeedsDescriptionIsEscaped() throws {
        let feed = try #require(
            try Self.allFeeds().first { $0.0 == "calendars show" && $0.1.path == "offices/jc.ics" }?.1)
        let unfolded = feed.text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("\r\nX-WR-CALDESC:Sitzungen der Gremien\\, in denen Amt 56 – job-com"))
    }

    /// The check itself notices what it is for: METHOD:PUBLISH without ORGANIZER, and a raw comma.
    @Test func theChecksCatchWhatTheyLookFor() {
        let publish = """
            BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\nUID:a\r\n\
            DTSTAMP:20260101T000000Z\r\nDTSTART:20260101T100000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n
            """
        #expect(ICalRestrictions.findings(in: publish).contains { $0.contains("ORGANIZER") })
        #expect(ICalRestrictions.findings(in: publish.replacingOccurrences(of: "METHOD:PUBLISH\r\n", with: "")) == [])
        #expect(!Self.lineProblems("X-WR-CALDESC:a, b\r\n").isEmpty)
        #expect(Self.lineProblems("X-WR-CALDESC:a\\, b\r\n").isEmpty)
        #expect(!Self.lineProblems(String(repeating: "x", count: 76) + "\r\n").isEmpty)
    }

    @Test func foldingKeepsCharactersWhole() {
        let line = ICalSerializer.foldedLine("X-WR-CALDESC", String(repeating: "ä", count: 100))
        #expect(Self.lineProblems(line) == [])
        #expect(
            line.replacingOccurrences(of: "\r\n ", with: "") == "X-WR-CALDESC:" + String(repeating: "ä", count: 100)
                + "\r\n")
        for physical in line.components(separatedBy: "\r\n").dropLast() {
            #expect(physical.utf8.count <= 75)
        }
    }

    /// Characters of one to four octets: every physical line is as long as it can be without
    /// splitting one (a fold comes only where the next character would pass 75 octets).
    @Test(arguments: ["ä", "€", "😀", "a€😀ä", "ab\\,ä€€😀x"])
    func foldingFillsEachLine(piece: String) {
        let value = String(repeating: piece, count: 60)
        let line = ICalSerializer.foldedLine("X-WR-CALNAME", value)
        #expect(line.hasSuffix("\r\n") && !line.hasSuffix("\r\n\r\n"))
        #expect(line.replacingOccurrences(of: "\r\n ", with: "") == "X-WR-CALNAME:" + value + "\r\n")
        let physical = line.components(separatedBy: "\r\n").dropLast()
        #expect(physical.count > 1)
        for (this, next) in zip(physical, physical.dropFirst()) {
            #expect(this.utf8.count <= 75)
            // The continuation's first character, after its space, did not fit on this line.
            let first = next.dropFirst().unicodeScalars.first.map { String($0).utf8.count } ?? 0
            #expect(this.utf8.count + first > 75, "\(this)")
        }
    }
}
