import CLibical
import Foundation
import GremienTestSupport
import Testing

@testable import ICalendar

/// A property built with libical's constructors (`ICalSerializer.constructed`) is written with
/// the same bytes as the same content line read by libical's parser, and lines the parser would
/// read otherwise go to the parser.
struct ConstructedPropertyTests {
    /// Every content line of the golden feeds, as the parser reads them.
    static func goldenProperties() throws -> [ICalProperty] {
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../PublishingTests/Golden")
        var found: [ICalProperty] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: golden.path) where name.hasSuffix(".ics") {
            let text = try String(contentsOf: golden.appendingPathComponent(name), encoding: .utf8)
            func collect(_ c: ICalComponent) {
                found += c.properties
                c.components.forEach(collect)
            }
            try ICalParser.parse(text).calendars.forEach(collect)
        }
        return found
    }

    /// Both ways, as bytes; `nil` when libical refuses the line (both ways must refuse it).
    static func bothWays(_ p: ICalProperty) -> (constructed: [UInt8]?, parsed: [UInt8]?) {
        let line = p.contentLine
        return (
            (try? ICalSerializer.written(p, line)).map { Array($0.utf8) },
            (try? ICalSerializer.written(p, line, parsing: true)).map { Array($0.utf8) }
        )
    }

    @Test func theGoldenFeedsLinesAreWrittenAlikeAndMostAreConstructed() throws {
        let properties = try Self.goldenProperties()
        #expect(properties.count > 200)
        var constructed = 0
        for p in properties {
            let (built, parsed) = Self.bothWays(p)
            #expect(built != nil, "\(p.contentLine)")
            #expect(built == parsed, "\(p.contentLine)")
            if ICalSerializer.constructs(p) { constructed += 1 }
        }
        // Only X-WR-*, X-PUBLISHED-TTL, REFRESH-INTERVAL (VALUE=) and the like go to the parser.
        #expect(constructed * 10 > properties.count * 9, "\(constructed) of \(properties.count)")
    }

    @Test func linesTheParserReadsOtherwiseAreLeftToIt() {
        let tzid = [ICalParameter(name: "TZID", value: "Europe/Berlin")]
        let cases: [ICalProperty] = [
            ICalProperty(name: "X-WR-CALNAME", value: "Gremien"),
            ICalProperty(name: "CATEGORIES", value: "Sitzung,Beirat"),
            ICalProperty(name: "EXDATE", parameters: tzid, value: "20260113T140000,20260120T140000"),
            ICalProperty(name: "DTSTART", parameters: [ICalParameter(name: "VALUE", value: "DATE")], value: "20260113"),
            ICalProperty(name: "SUMMARY", value: " Sitzung "),
            ICalProperty(name: "SUMMARY", value: ""),
            ICalProperty(name: "SUMMARY", value: "Zeile\u{7}mit Steuerzeichen"),
            ICalProperty(
                name: "DTSTART", parameters: [ICalParameter(name: "TZID", value: "GMT+05:30")], value: "20260113T140000"
            ),
            ICalProperty(
                name: "ORGANIZER", parameters: [ICalParameter(name: "CN", value: "Amt, Stelle")],
                value: "mailto:a@b.invalid"),
            ICalProperty(
                name: "ORGANIZER", parameters: [ICalParameter(name: "X-FOO", value: "1")], value: "mailto:a@b.invalid"),
            ICalProperty(name: "GEO", value: "50.8;6.5"),
            ICalProperty(
                name: "ATTENDEE", parameters: [ICalParameter(name: "CN", value: "A\\B")], value: "mailto:a@b.invalid"),
        ]
        for p in cases {
            #expect(!ICalSerializer.constructs(p), "\(p.contentLine)")
            let (built, parsed) = Self.bothWays(p)
            #expect(built == parsed, "\(p.contentLine)")
        }
    }

    /// A value libical refuses is refused whichever way (the parser then has the last word);
    /// one it reads its own way is written alike.
    @Test func aValueLibicalRefusesIsRefusedBothWays() {
        let refused = ICalProperty(name: "DTSTART", value: "not a date")
        #expect(!ICalSerializer.constructs(refused))
        #expect(Self.bothWays(refused) == (nil, nil))
        for p in [
            ICalProperty(name: "SEQUENCE", value: "eins"), ICalProperty(name: "RRULE", value: "FREQ=SOMETIMES"),
            ICalProperty(name: "STATUS", value: "VIELLEICHT"), ICalProperty(name: "DURATION", value: "PT1H30M"),
            ICalProperty(name: "TZOFFSETFROM", value: "+0100"),
        ] {
            let (built, parsed) = Self.bothWays(p)
            #expect(built == parsed, "\(p.contentLine)")
        }
    }

    /// Random TEXT, parameters and date-times: the constructed and the parsed property give the
    /// same bytes (escapes, quoting, folding inside multi-byte characters).
    @Test func randomPropertiesAreWrittenAlike() {
        var random = SplitMix64(seed: 0x5EED_2026_1202)
        let pieces = [
            "a", "Z", " ", ",", ";", ":", "\\", "\\,", "\\;", "\\n", "\\\\", "\"", "ä", "é", "e\u{301}", "€", "😀", "–",
            "Sitzung", "https://x.invalid/a?b=c", "=", "'", "\t",
        ]
        func text(_ n: Int) -> String { (0..<n).map { _ in pieces[random.below(pieces.count)] }.joined() }
        var compared = 0
        for round in 0..<2000 {
            let name = ["SUMMARY", "LOCATION", "DESCRIPTION", "COMMENT", "UID", "CATEGORIES", "CONTACT"][round % 7]
            var parameters: [ICalParameter] = []
            if random.chance(30) {
                parameters.append(ICalParameter(name: "LANGUAGE", value: text(1 + random.below(3))))
            }
            if random.chance(20) {
                parameters.append(ICalParameter(name: "ALTREP", value: "https://x.invalid/\(round)"))
            }
            // An escaped TEXT value as ICalText.escape makes it, or raw text.
            let p = ICalProperty(name: name, parameters: parameters, value: text(1 + random.below(120)))
            let (built, parsed) = Self.bothWays(p)
            #expect(built == parsed, "\(p.contentLine)")
            compared += 1
            let day = String(
                format: "2026%02d%02dT%02d%02d00", 1 + random.below(12), 1 + random.below(28), random.below(24),
                random.below(60))
            for t in [
                ICalProperty(
                    name: "DTSTART", parameters: [ICalParameter(name: "TZID", value: "Europe/Berlin")], value: day),
                ICalProperty(name: "DTSTAMP", value: day + "Z"),
                ICalProperty(name: "RECURRENCE-ID", value: day),
                ICalProperty(
                    name: "ATTENDEE",
                    parameters: [
                        ICalParameter(name: "CN", value: text(1 + random.below(20))),
                        ICalParameter(
                            name: "PARTSTAT", value: ["ACCEPTED", "DECLINED", "NEEDS-ACTION"][random.below(3)]),
                    ], value: "mailto:p\(round)@kreis.invalid"),
            ] {
                let (built, parsed) = Self.bothWays(t)
                #expect(built == parsed, "\(t.contentLine)")
                compared += 1
            }
        }
        #expect(compared == 10000)
    }
}

/// The names `TreeReader` gives the properties libical read are the ones libical gives.
struct PropertyNameTests {
    @Test func theTableNamesEveryKindAsLibicalDoes() throws {
        var named = 0
        for raw in 0..<ICAL_NO_PROPERTY.rawValue {
            let kind = icalproperty_kind(rawValue: raw)
            // We own `p`: icalproperty_new gives a new property, freed here.
            guard let p = icalproperty_new(kind) else { continue }
            defer { icalproperty_free(p) }
            guard let own = icalproperty_get_property_name_r(p) else {
                #expect(TreeReader.name(of: kind) == nil, "kind \(raw)")
                continue
            }
            defer { free(own) }
            if let name = TreeReader.name(of: kind) {
                #expect(name == String(cString: own), "kind \(raw)")
                named += 1
            }
        }
        // Every property of RFC 5545 and its successors libical 3.0 knows (about a hundred).
        #expect(named > 90)
        #expect(TreeReader.name(of: ICAL_X_PROPERTY) == nil)
    }
}
