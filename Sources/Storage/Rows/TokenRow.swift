import Coordination
import Foundation

/// A row of the `token` table (the SHA-256 of a secret, never the secret), as every backend keeps it;
/// `domain()` reads it back, refusing what cannot be read.
public struct TokenRow: Codable, Sendable {
    public var id: String
    public var hash: String
    public var person: String
    public var kind: String
    public var role: String?
    public var bodies: [String]
    public var created: String
    public var expires: String?
    public var revoked: String?
    public var lastUsed: String?

    public init(_ t: AccessToken) {
        id = t.id
        hash = t.hash
        person = t.person
        kind = t.kind.rawValue
        role = t.role?.rawValue
        bodies = t.bodies
        created = t.created.description
        expires = t.expires?.description
        revoked = t.revoked?.description
        lastUsed = t.lastUsed?.description
    }

    public func domain() throws(StorageError) -> AccessToken {
        let what = "token \(id)"
        let kind: AccessToken.Kind = try value(kind, "kind", of: what)
        var parsedRole: AccessToken.Role?
        if let role { parsedRole = try value(role, "role", of: what) }
        guard let made = LocalDateTime(iso: created) else {
            throw .unreadable(what: what, reason: "created '\(created)'")
        }
        return AccessToken(
            id: id, hash: hash, person: person, kind: kind, role: parsedRole, bodies: bodies, created: made,
            expires: expires.flatMap(LocalDateTime.init(iso:)), revoked: revoked.flatMap(LocalDateTime.init(iso:)),
            lastUsed: lastUsed.flatMap(LocalDateTime.init(iso:)))
    }
}
