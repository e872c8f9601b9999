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
    /// The feeds of the shipped calendars and of the test district (cancelled, moved and added sessions).
    static func allFeeds() throws -> [(String, Feed)] {
        var result: [(String, Feed)] = []
        for (name, folder) in [("calendars", TestDistrict.shippedCalendars), ("fixture", TestDistrict.calendars)] {
            let district = try TestDistrict.district(at: folder)
            let planner = try SessionPlanner(district: district, zone: TestDistrict.zones)
            for feed in try FeedBuilder(planner: planner).feeds() { result.append((name, feed)) }
        }
        return result
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

    /// Regression: the office feeds' X-WR-CALDESC carried a raw comma (libical writes X- values unescaped).
    @Test func theOfficeFeedsDescriptionIsEscaped() throws {
        let feed = try #require(try Self.allFeeds().first { $0.0 == "calendars" && $0.1.path == "offices/jc.ics" }?.1)
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
}
