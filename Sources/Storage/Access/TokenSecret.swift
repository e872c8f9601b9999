import Coordination

/// The hashes and the shape of token secrets. A secret is 32 random bytes (base64url, 43
/// characters) with a prefix naming its kind (made by `Platform.Secrets`); the store keeps only
/// its SHA-256.
public enum TokenSecret {
    /// The prefix of a secret of `kind`: `ga_` for an API token, `gf_` for a feed token.
    public static func prefix(for kind: AccessToken.Kind) -> String { kind == .api ? "ga_" : "gf_" }

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
