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
    /// Sign-ins kept per token: a script signing in again and again replaces its oldest.
    static let perToken = 10
    /// Sessions kept at all; the ones closest to expiry go first.
    static let most = 10_000

    private var entries: [String: Entry] = [:]

    /// Opens a session for a token's hash; returns the session id and its CSRF token. Expired
    /// sessions go, and the token's oldest when it has `perToken` already: they cannot pile up.
    func open(tokenHash: String) -> (id: String, csrf: String) {
        let now = Date()
        entries = entries.filter { $0.value.expires > now }
        let own = entries.filter { $0.value.tokenHash == tokenHash }.sorted { $0.value.expires < $1.value.expires }
        for (id, _) in own.prefix(max(0, own.count - Self.perToken + 1)) { entries[id] = nil }
        if entries.count >= Self.most {
            let oldest = entries.sorted { $0.value.expires < $1.value.expires }.prefix(entries.count - Self.most + 1)
            for (id, _) in oldest { entries[id] = nil }
        }
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

    /// How many sessions are open (the tests).
    var count: Int { entries.count }
}
