import Foundation

/// Makes token secrets and their hashes. The secret is 32 random bytes (base64url, 43
/// characters) with a prefix naming its kind; the store keeps only its SHA-256.
public enum TokenSecret {
    /// A new secret, `gf_…` for a feed token, `ga_…` for an API token.
    public static func make(api: Bool) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return (api ? "ga_" : "gf_") + text
    }

    /// A new public handle for a token: `t-` and 10 hex digits.
    public static func makeID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "t-" + (0..<5).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// SHA-256 of the secret, lowercase hex: what the store keeps and looks up.
    public static func hash(_ secret: String) -> String {
        SHA256Hex.of(secret)
    }

    /// Whether `text` has the shape of a secret (so that anything else is refused before a lookup).
    public static func isWellFormed(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 46 && (text.hasPrefix("ga_") || text.hasPrefix("gf_"))
            && text.utf8.dropFirst(3).allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D
                    || c == 0x5F
            }
    }
}
