import Coordination
import Definitions
import Foundation
import GremienTestSupport
import ICalendar
import Platform
import Publishing
import Testing

/// The feeds of a small hand-made district: golden files, determinism, stable UIDs, and what
/// RFC 5545 and calendar clients require of them.
@Suite struct FeedTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let calendars = TestDistrict.calendars
    static let golden = here.appendingPathComponent("Golden")

    static func district() throws -> District {
        let report = DefinitionsLoader(directory: calendars, zone: { try? SystemTimeZones.rules(for: $0) }).load()
        #expect(report.diagnostics.isEmpty)
        return try #require(report.validDistrict)
    }

    static func feeds(_ district: District) throws -> [Feed] {
        let planner = try SessionPlanner(district: district) { try? SystemTimeZones.rules(for: $0) }
        return try FeedBuilder(planner: planner).feeds()
    }

    /// Compared byte for byte with `Golden/`; `GREMIEN_RECORD_GOLDEN=1` writes them anew (review the diff).
    @Test func feedsMatchTheGoldenFiles() throws {
        let feeds = try Self.feeds(try Self.district())
        #expect(
            feeds.map(\.path) == [
                "all.ics", "bodies/beirat.ics", "bodies/runde.ics", "offices/jc.ics", "offices/ja-k.ics",
                "offices/aa.ics",
            ])
        let record = ProcessInfo.processInfo.environment["GREMIEN_RECORD_GOLDEN"] == "1"
        for feed in feeds {
            let url = Self.golden.appendingPathComponent(feed.path.replacingOccurrences(of: "/", with: "-"))
            if record { try Data(feed.text.utf8).write(to: url) }
            let expected = try String(decoding: Data(contentsOf: url), as: UTF8.self)
            #expect(feed.text == expected, "\(feed.path) differs from \(url.lastPathComponent)")
        }
    }

    /// Editing a series' time, place or rule keeps its UID; only SEQUENCE and content change.
    @Test func uidsSurviveEdits() throws {
        let original = try Self.district()
        var edited = original
        edited.bodies[1].series[0].start = LocalDateTime(year: 2026, month: 3, day: 3, hour: 11)
        edited.bodies[1].series[0].rule = try RecurrenceRule(parsing: "FREQ=WEEKLY;BYDAY=TU")
        edited.bodies[1].series[0].location = "Neuer Raum"
        edited.bodies[1].series[0].exceptions = []
        func uids(_ d: District) throws -> Set<String> {
            let text = try Self.feeds(d)[0].text
            return Set(text.components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") })
        }
        let before = try uids(original)
        let after = try uids(edited)
        #expect(before.contains("UID:montag.runde@gremien.example.org"))
        #expect(after.isSubset(of: before))
        #expect(before.subtracting(after).count == 1)  // only the removed extra session is gone
    }

    /// CRLF everywhere, no line longer than 75 octets, a VTIMEZONE for every TZID, libical
    /// reads every feed without an error.
    @Test func feedsAreWellFormed() throws {
        for feed in try Self.feeds(try Self.district()) {
            #expect(feed.text.hasSuffix("END:VCALENDAR\r\n"))
            let bytes = Array(feed.text.utf8)
            for (i, b) in bytes.enumerated() where b == 10 { #expect(i > 0 && bytes[i - 1] == 13) }
            let lines = feed.text.components(separatedBy: "\r\n")
            #expect(lines.allSatisfy { $0.utf8.count <= 75 }, "\(feed.path)")
            let parsed = try ICalParser.parse(feed.text)
            #expect(parsed.diagnostics.isEmpty, "\(feed.path): \(parsed.diagnostics)")
            let calendar = try #require(parsed.calendars.first)
            let zones = Set(calendar.components(named: "VTIMEZONE").compactMap { $0.property("TZID")?.value })
            let used = Set(
                calendar.components(named: "VEVENT").flatMap { $0.properties.compactMap { $0.parameter("TZID") } })
            #expect(used.isSubset(of: zones), "\(feed.path)")
            for name in ["X-WR-CALNAME", "X-WR-TIMEZONE", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"] {
                #expect(calendar.property(name) != nil, "\(feed.path) lacks \(name)")
            }
            for event in calendar.components(named: "VEVENT") {
                for name in ["UID", "DTSTAMP", "LAST-MODIFIED", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY"] {
                    #expect(event.property(name) != nil, "\(feed.path) event lacks \(name)")
                }
                // cancelled_sessions: show (the default): stated, free, and saying so in the title.
                if event.property("STATUS")?.value == "CANCELLED" {
                    #expect(event.property("SUMMARY")?.value.hasPrefix("Abgesagt: ") == true)
                    #expect(event.property("TRANSP")?.value == "TRANSPARENT")
                    #expect(event.property("DESCRIPTION")?.value.hasPrefix("Abgesagt") == true)
                }
            }
        }
    }

    /// `cancelled_sessions: hide` leaves a cancelled session out (EXDATE) without a word; `show`
    /// states it as a cancelled override instead of an EXDATE.
    @Test func cancelledSessionsAreShownOrHidden() throws {
        var district = try Self.district()
        let shown = try #require(try Self.feeds(district).first { $0.path == "bodies/runde.ics" }).text
        district.cancelledSessions = .hide
        let hidden = try #require(try Self.feeds(district).first { $0.path == "bodies/runde.ics" }).text
        #expect(!shown.contains("EXDATE"))
        #expect(shown.contains("STATUS:CANCELLED"))
        #expect(shown.contains("SUMMARY:Abgesagt: "))
        #expect(hidden.contains("EXDATE"))
        #expect(!hidden.contains("STATUS:CANCELLED"))
        #expect(!hidden.contains("Abgesagt"))
    }

    /// Reading `all.ics` back (our parser and expansion) gives exactly the planned sessions that
    /// take place; cancelled ones are absent, moved ones at their new time.
    @Test func feedExpandsToThePlannedSessions() throws {
        let district = try Self.district()
        let planner = try SessionPlanner(district: district) { try? SystemTimeZones.rules(for: $0) }
        let all = try FeedBuilder(planner: planner).feeds()[0].text
        let file = try CalendarFile(text: all, systemZones: TestDistrict.zones)
        #expect(file.diagnostics.isEmpty)
        let expansion = file.expand(limit: 10_000)
        let expanded = expansion.occurrences.map { o in "\(expansion.event(of: o).uid) \(o.occurrence.formatted)" }
        let planned = planner.sessions(from: 0, to: Int64(4_000_000_000)).filter { $0.status != .cancelled }.map {
            "\($0.uid) \($0.start.iso8601)"
        }
        #expect(expanded.sorted() == planned.sorted())
        // By hand: 44 Mondays 2 Mar - 28 Dec, one cancelled, one extra (44); Beirat 1 Sep; Klausur (2).
        #expect(planned.count == 46)
    }

    /// Office feeds say the office's role; public feeds carry offices, never people.
    @Test func officeFeedsStateTheRole() throws {
        let feeds = try Self.feeds(try Self.district())
        let jaK = try #require(feeds.first { $0.path == "offices/ja-k.ics" }).text.replacingOccurrences(
            of: "\r\n ", with: "")
        #expect(jaK.contains("Rolle JA-K: beratendes Mitglied\\, bis 30.06.2026"))
        #expect(jaK.contains("Rolle JA-K: Mitglied\\nGremium: Leitungsrunde\\; JC\\, JA-K (Runde)"))
        let aa = try #require(feeds.first { $0.path == "offices/aa.ics" })
        #expect(!aa.text.contains("runde@"))
        #expect(aa.eventCount == 4)  // the series, the Klausur, and two sessions cancelled by holidays (shown)
    }

    /// A series in another zone brings its own VTIMEZONE, and its times stay on its own wall clock.
    @Test func everyZoneGetsItsVTimezone() throws {
        var district = try Self.district()
        district.bodies[0].series[1].timeZone = "Asia/Kolkata"
        let planner = try SessionPlanner(district: district) { try? SystemTimeZones.rules(for: $0) }
        let all = try FeedBuilder(planner: planner).feeds()[0].text
        let calendar = try #require(try ICalParser.parse(all).calendars.first)
        #expect(
            Set(calendar.components(named: "VTIMEZONE").compactMap { $0.property("TZID")?.value }) == [
                "Asia/Kolkata", "Europe/Berlin",
            ])
        let zoneLines = all.components(separatedBy: "\r\n").filter { $0.hasPrefix("TZID:") }
        #expect(zoneLines == ["TZID:Asia/Kolkata", "TZID:Europe/Berlin"])  // in a fixed order
        #expect(all.contains("DTSTART;TZID=Asia/Kolkata:20260612T090000\r\n"))
        let file = try CalendarFile(text: all, systemZones: TestDistrict.zones)
        let expansion = file.expand(limit: 10_000)
        let klausur = expansion.occurrences.filter {
            expansion.event(of: $0).uid == "klausur.beirat@gremien.example.org"
        }
        #expect(klausur.map(\.occurrence.formatted) == ["2026-06-12T09:00:00+05:30"])
    }
}

/// The hardening review (issue 12): feeds that said what was no longer true.
@Suite struct TruthfulFeedTests {
    /// A session moved far beyond the planning window vanished from the feed, which kept the
    /// old date (no override for it).
    @Test func aSessionMovedFarAwayKeepsItsOverride() throws {
        var district = try FeedTests.district()
        let b = try #require(district.bodies.firstIndex { $0.id == "runde" })
        district.bodies[b].series[0].exceptions.append(
            .move(
                .init(
                    date: CivilDate(year: 2026, month: 3, day: 16),
                    to: LocalDateTime(year: 2031, month: 6, day: 2, hour: 9),
                    reason: "Neubau")))
        let feeds = try FeedTests.feeds(district)
        let runde = try #require(feeds.first { $0.path == "bodies/runde.ics" }).text
        #expect(
            runde.contains(
                "RECURRENCE-ID;TZID=Europe/Berlin:20260316T100000\r\nDTSTART;TZID=Europe/Berlin:20310602T090000\r\n"))
        // The listing of its new date shows it too.
        let planner = try SessionPlanner(district: district, zone: TestDistrict.zones)
        let june = planner.sessions(
            from: LocalDateTime(year: 2031, month: 6, day: 1).localSeconds,
            to: LocalDateTime(year: 2031, month: 6, day: 3).localSeconds,
            bodies: ["runde"])
        #expect(june.map(\.status) == [.moved])
    }

    /// An office's feed kept a body after the office's seat in it had ended; it now shows the
    /// sessions while the office holds a seat, and from the first one on.
    @Test func anOfficeFeedShowsABodyOnlyWhileTheOfficeHasASeat() throws {
        var district = try FeedTests.district()
        let b = try #require(district.bodies.firstIndex { $0.id == "beirat" })
        let aa = try #require(district.bodies[b].members.firstIndex { $0.office == "aa" })
        district.bodies[b].members[aa].validFrom = CivilDate(year: 2026, month: 4, day: 15)
        let feeds = try FeedTests.feeds(district)
        let jak = try #require(feeds.first { $0.path == "offices/ja-k.ics" }).text
        // ja-k's advisory seat ended on 2026-06-30: the Beirat's rule ends there in its feed.
        #expect(jak.contains("RRULE:FREQ=MONTHLY;UNTIL=20260630T215959Z;INTERVAL=4;BYMONTHDAY=1\r\n"))
        let aaFeed = try #require(feeds.first { $0.path == "offices/aa.ics" }).text
        // aa's seat begins on 2026-04-15: its Beirat series begins with the session of 1 May.
        #expect(aaFeed.contains("DTSTART;TZID=Europe/Berlin:20260501T150000\r\n"))
        #expect(!aaFeed.contains("EXDATE;TZID=Europe/Berlin:20260101T150000"))
        // The body's own feed is unchanged.
        let beirat = try #require(feeds.first { $0.path == "bodies/beirat.ics" }).text
        #expect(beirat.contains("DTSTART;TZID=Europe/Berlin:20260101T150000\r\n"))
        #expect(beirat.contains("UNTIL=20261031T225959Z"))
        // Every feed still parses with libical.
        for feed in feeds { _ = try CalendarFile(text: feed.text, systemZones: TestDistrict.zones) }
    }
}
