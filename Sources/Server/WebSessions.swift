import Foundation
import Platform
import Storage

/// Signed-in browsers: a random session id in an HttpOnly, SameSite=Strict cookie, mapped here
/// to the API token it was opened with and a CSRF token for its forms. Kept in memory: a
/// restart signs everybody out.
actor WebSessions {
    struct Entry: Sendable {
        var tokenHash: String
        var csrf: String
        var expires: Date
    }

    static let cookie = "gremien_sitzung"
    static let lifetime: TimeInterval = 8 * 3600

    private var entries: [String: Entry] = [:]

    /// Opens a session for a token's hash; returns the session id and its CSRF token.
    func open(tokenHash: String) -> (id: String, csrf: String) {
        let now = Date()
        entries = entries.filter { $0.value.expires > now }
        let id = Secrets.token(prefix: "")
        let csrf = Secrets.token(prefix: "")
        entries[String(id)] = Entry(tokenHash: tokenHash, csrf: String(csrf), expires: now + Self.lifetime)
        return (String(id), String(csrf))
    }

    func entry(_ id: String) -> Entry? {
        guard let e = entries[id], e.expires > Date() else { return nil }
        return e
    }

    func close(_ id: String) { entries[id] = nil }
}
