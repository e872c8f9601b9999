import Coordination
import Testing

/// `String.pieces(at:)`, which reading rules and EXDATE lists uses.
struct SplittingTests {
    /// ASCII text is split as bytes, other text by Characters: the pieces are those of
    /// splitting by Characters, also with line breaks (CR LF is one Character), umlauts and a
    /// combining mark after a separator.
    @Test func splittingGivesThePiecesOfSplittingByCharacters() {
        let alphabet = ["F", "R", "=", ";", ",", "1", "-", "M", "O", "\r", "\n", "\r\n", "ä", "\u{301}", " "]
        // A fixed linear congruential sequence: the same texts every run.
        var state: UInt64 = 20
        func below(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % n
        }
        for _ in 0..<5_000 {
            let text = (0..<below(12)).map { _ in alphabet[below(alphabet.count)] }.joined()
            for separator: Unicode.Scalar in [";", ","] {
                for omitting in [true, false] {
                    #expect(
                        text.pieces(at: separator, omittingEmptySubsequences: omitting)
                            == text.split(separator: Character(separator), omittingEmptySubsequences: omitting),
                        "\(text.unicodeScalars.map { "U+\(String($0.value, radix: 16))" })")
                }
            }
        }
    }
}
