import Testing

@testable import Coordination

/// The control characters of a text are found from its UTF-8 bytes first: the same answer as
/// reading it scalar by scalar, for every scalar of the first planes and the edges of C1.
@Suite struct ControlCharactersTests {
    @Test func theByteScanFindsWhatTheScalarsSay() {
        let scalars =
            (0...0x3FF).compactMap(Unicode.Scalar.init)
            + [0xFFFD, 0x1F600, 0x10FFFF, 0x2028, 0xC280].compactMap(Unicode.Scalar.init)
        for scalar in scalars {
            for text in ["\(scalar)", "ab\(scalar)c", "äö\(scalar)", "😀\(scalar)\u{C2}"] {
                let expected = text.unicodeScalars.enumerated().first { ControlCharacters.isControl($0.element) }
                let found = ControlCharacters.first(in: text)
                #expect(found?.position == expected.map { $0.offset + 1 }, "U+\(String(scalar.value, radix: 16))")
                #expect(found?.scalar == expected?.element)
            }
        }
        #expect(ControlCharacters.first(in: "Zeile\neins\t", multiline: true) == nil)
        #expect(ControlCharacters.first(in: "Zeile\neins\u{85}", multiline: true)?.position == 11)
        #expect(ControlCharacters.first(in: "") == nil)
    }
}
