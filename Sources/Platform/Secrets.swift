import Foundation

/// Random secrets from the system's generator: token secrets and public handles.
public enum Secrets {
    /// `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// A new token secret: 32 random bytes, base64url (43 characters), after `prefix`
    /// (`gf_` for a feed token, `ga_` for an API token).
    public static func token(prefix: String) -> String {
        let text = Data(bytes(32)).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return prefix + text
    }

    /// A new public handle: `prefix` and 10 lowercase hex digits (`t-3f9a…`).
    public static func handle(prefix: String) -> String {
        prefix + bytes(5).map { String(format: "%02x", $0) }.joined()
    }
}
