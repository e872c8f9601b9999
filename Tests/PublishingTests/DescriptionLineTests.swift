import Coordination
import Foundation
import ICalendar
import Platform
import Testing

@testable import Publishing

/// `FeedBuilder.render` writes each event's DESCRIPTION through libical and keeps the line for
/// the next event with the same note and closing lines: found by their bytes, not by what Swift
/// holds equal.
@Suite struct DescriptionLineTests {
    static func builder() throws -> FeedBuilder {
        let planner = try SessionPlanner(district: try FeedTests.district()) { try? SystemTimeZones.rules(for: $0) }
        return FeedBuilder(planner: planner)
    }

    static func event(note: String?, own: String) -> EventText {
        EventText(
            before: "BEGIN:VEVENT\r\n", note: note.map(ICalText.escape), own: ICalText.escape(own),
            after: "END:VEVENT\r\n")
    }

    @Test func eachEventGetsTheBytesOfItsOwnDescription() throws {
        let precomposed = "Tagesordnung:\n1. Caf\u{E9} im Foyer"
        let decomposed = "Tagesordnung:\n1. Cafe\u{301} im Foyer"
        #expect(precomposed == decomposed)  // one String to Swift, two byte sequences to libical
        let texts = [
            Self.event(note: nil, own: precomposed), Self.event(note: nil, own: decomposed),
            Self.event(note: "Verlegt", own: precomposed), Self.event(note: nil, own: precomposed),
        ]
        let description = "Gremium: Runde, mit einer Beschreibung, die länger als eine Zeile von 75 Oktetten ist"
        let events = try Self.builder().render(texts, escapedDescription: ICalText.escape(description))
        // Each as libical writes the whole event's DESCRIPTION on its own.
        for (text, event) in zip(texts, events) {
            let full = (text.note.map { $0 + "\\n" } ?? "") + ICalText.escape(description) + "\\n" + text.own
            let line = try ICalSerializer.contentLines([ICalProperty(name: "DESCRIPTION", value: full)])
            #expect(Array(event.text.utf8) == Array((text.before + line + text.after).utf8))
        }
        #expect(Array(events[0].text.utf8) != Array(events[1].text.utf8))
        #expect(Array(events[0].text.utf8) != Array(events[2].text.utf8))
        #expect(Array(events[0].text.utf8) == Array(events[3].text.utf8))
    }
}
