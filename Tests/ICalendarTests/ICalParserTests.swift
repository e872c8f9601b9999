import Coordination
import Foundation
import GremienTestSupport
import ICalendar
import Platform
import Testing

struct ICalParserTests {
    static let broken = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//DE", "BEGIN:VEVENT", "UID:a@test",
        "DTSTART;TZID=Europe/Berlin:2026XX01T100000", "RRULE:FREQ=FOO;BYDAY=MO", "FOO BAR", "SUMMARY:ok",
        "END:VEVENT", "END:VCALENDAR", "",
    ].joined(separator: "\r\n")

    @Test func everyLibicalErrorBecomesADiagnosticWithLine() throws {
        let result = try ICalParser.parse(Self.broken)
        let found = result.diagnostics.map { "\($0.line) \($0.property)" }
        #expect(found == ["6 DTSTART", "7 RRULE", "8 FOO"])
        #expect(result.diagnostics[1].message.contains("FREQ=FOO"))
        // The dropped properties are gone from the tree; nothing else is.
        let event = try #require(result.calendars.first?.components.first)
        #expect(event.properties.map(\.name) == ["UID", "SUMMARY"])
    }

    /// Parameters come back as libical writes them, the quotes around a value removed: read as
    /// bytes when all printable ASCII, by Characters otherwise (umlauts, a combining mark).
    @Test func parametersAreReadWithTheirQuotesRemoved() throws {
        let text = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//DE", "BEGIN:VEVENT", "UID:p@test",
            "DTSTAMP:20260101T000000Z", "DTSTART;TZID=Europe/Berlin:20260113T140000",
            "ORGANIZER;CN=\"Amt: Jugend, Familie\";ROLE=CHAIR:mailto:jugendamt@kreis.invalid",
            "ATTENDEE;CN=Sozialamt Düren:mailto:sozialamt@kreis.invalid",
            "ATTENDEE;CN=\"Jobcenter, Team Cafe\u{301}\":mailto:jobcenter@kreis.invalid",
            "END:VEVENT", "END:VCALENDAR", "",
        ].joined(separator: "\r\n")
        let result = try ICalParser.parse(text)
        #expect(result.diagnostics.isEmpty)
        let event = try #require(result.calendars.first?.components.first)
        let parameters = event.properties.filter { !$0.parameters.isEmpty }.map { p in
            p.name + " " + p.parameters.map { "\($0.name)=[\($0.value)]" }.joined(separator: " ")
        }
        #expect(
            parameters == [
                "DTSTART TZID=[Europe/Berlin]", "ORGANIZER CN=[Amt: Jugend, Familie] ROLE=[CHAIR]",
                "ATTENDEE CN=[Sozialamt Düren]", "ATTENDEE CN=[Jobcenter, Team Cafe\u{301}]",
            ])
    }

    @Test func notICalendarIsAnError() {
        #expect(throws: ICalendarError.self) { try ICalParser.parse("hello, world") }
    }

    @Test func roundTripParseSerialiseParse() throws {
        let url = TestDistrict.workload60
        let text = try String(contentsOf: url, encoding: .utf8)
        let first = try ICalParser.parse(text)
        #expect(first.diagnostics.isEmpty)
        let written = try ICalSerializer.serialize(try #require(first.calendars.first))
        let second = try ICalParser.parse(written)
        #expect(second.calendars == first.calendars)
        // CRLF everywhere and no line longer than 75 octets.
        let lines = written.components(separatedBy: "\r\n")
        #expect(!written.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        // Umlauts survive, also where a fold falls inside a word: unfolded, every one is back.
        let unfolded = written.replacingOccurrences(of: "\r\n ", with: "")
        let count = { (text: String) in text.components(separatedBy: "Geschäftsstelle").count - 1 }
        #expect(count(text) == 60)
        #expect(count(unfolded) == count(text))
    }

    @Test func builtCalendarHasPlainTZIDAndFoldsUTF8Safely() throws {
        let berlin = try SystemTimeZones.rules(for: "Europe/Berlin")
        let summary = String(repeating: "Präventionsteam Übergänge ", count: 6) + "Ende"
        let event = ICalComponent(
            name: "VEVENT",
            properties: [
                ICalProperty(name: "UID", value: "praeventionsteam@gremien.invalid"),
                ICalProperty(name: "DTSTAMP", value: "20260101T000000Z"),
                ICalProperty(
                    name: "DTSTART", parameters: [ICalParameter(name: "TZID", value: "Europe/Berlin")],
                    value: "20260113T140000"),
                ICalProperty(name: "RRULE", value: "FREQ=MONTHLY;BYDAY=2TU"),
                ICalProperty(name: "SUMMARY", value: summary),
            ])
        let calendar = ICalComponent(
            name: "VCALENDAR",
            properties: [
                ICalProperty(name: "VERSION", value: "2.0"), ICalProperty(name: "PRODID", value: "-//Gremien//DE"),
            ],
            components: [berlin.vtimezone(sinceYear: 2000), event])
        let text = try ICalSerializer.serialize(calendar)
        #expect(text.contains("TZID:Europe/Berlin\r\n"))
        #expect(text.contains("DTSTART;TZID=Europe/Berlin:20260113T140000\r\n"))
        #expect(!text.contains("freeassociation"))
        #expect(text.contains("RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"))
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        let reparsed = try ICalParser.parse(text)
        #expect(reparsed.diagnostics.isEmpty)
        #expect(reparsed.calendars.first?.components.last?.property("SUMMARY")?.value == summary)
    }

    @Test func writtenVTimezoneGivesTheSystemOffsets() throws {
        let berlin = try SystemTimeZones.rules(for: "Europe/Berlin")
        let fromFile = try ZoneRules(vtimezone: berlin.vtimezone(sinceYear: 2000))
        for year in 2000...2060 {
            for month in 1...12 {
                for day in [1, 15, 25, 26, 27, 28, 29, 30, 31]
                where day <= CivilDate.daysInMonth(year: year, month: month) {
                    let t = Int64(CivilDate.dayNumber(year: year, month: month, day: day)) * 86_400 + 3600
                    #expect(fromFile.offset(atUTC: t) == berlin.offset(atUTC: t))
                }
            }
        }
    }
}
