import Testing

@testable import Publishing

/// `ICalText.escape` against the rule written out byte by byte (RFC 5545 3.3.11 TEXT).
struct ICalTextTests {
    static func reference(_ text: String) -> String {
        var bytes: [UInt8] = []
        for b in text.utf8 {
            switch b {
            case 0x5C, 0x3B, 0x2C: bytes += [0x5C, b]
            case 0x0A: bytes += [0x5C, 0x6E]
            case 0x00...0x1F, 0x7F: continue
            default: bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func escapesAsTheRuleSays() {
        let pieces = [
            "a", "Ä", "ß", "–", "😀", "e\u{301}", ";", ",", "\\", "\n", "\r\n", "\u{1}", "\u{7F}", "\t", " ", ":",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                pieces.randomElement(using: &generator) ?? ""
            }.joined()
            #expect(Array(ICalText.escape(text).utf8) == Array(Self.reference(text).utf8), "\(text.debugDescription)")
        }
        #expect(ICalText.escape("Sitzungssaal 1") == "Sitzungssaal 1")
        #expect(ICalText.escape("") == "")
        #expect(ICalText.escape("a;b,c\\d\r\ne") == "a\\;b\\,c\\\\d\\ne")
    }
}
