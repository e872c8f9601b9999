import Coordination
import Foundation
import Testing

@testable import ICalendar

/// Lines libical has written once are taken from the memo: the same bytes as writing them again.
struct ContentLineMemoTests {
    @Test func rememberedLinesAreLibicalsBytes() throws {
        let memo = ContentLineMemo()
        let precomposed = "Sitzung im Caf\u{E9}, Raum 1"
        let decomposed = "Sitzung im Cafe\u{301}, Raum 1"
        #expect(precomposed == decomposed)  // one String to Swift, two byte sequences to libical
        let properties = [
            ICalProperty(name: "SUMMARY", value: precomposed), ICalProperty(name: "SUMMARY", value: decomposed),
            ICalProperty(name: "DTSTAMP", value: "20250101T000000Z"),
            ICalProperty(
                name: "DTSTART", parameters: [ICalParameter(name: "TZID", value: "Europe/Berlin")],
                value: "20260113T140000"),
            ICalProperty(name: "LOCATION", value: String(repeating: "Sitzungssaal, ", count: 12)),
        ]
        let plain = try ICalSerializer.contentLines(properties)
        let first = try ICalSerializer.contentLines(properties, memo: memo)
        let again = try ICalSerializer.contentLines(properties + properties, memo: memo)
        #expect(Array(first.utf8) == Array(plain.utf8))
        #expect(Array(again.utf8) == Array((plain + plain).utf8))
        #expect(memo.count == 5)
        #expect(first.utf8.contains(0xCC))  // the combining accent kept its own bytes
    }

    @Test func aRefusedLineIsRefusedEveryTime() {
        let memo = ContentLineMemo()
        let bad = ICalProperty(name: "DTSTART", value: "not a date")
        for _ in 0..<2 {
            #expect(throws: ICalendarError.self) { try ICalSerializer.contentLines([bad], memo: memo) }
        }
        #expect(memo.count == 0)
    }
}
