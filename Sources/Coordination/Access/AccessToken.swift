/// A token that lets a member of staff subscribe to a private feed or use the API and the web
/// pages. Only the SHA-256 of the secret is kept; the secret is shown once, when issued.
public struct AccessToken: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// `/feeds/personal/{token}.ics`: the person's bodies, with their role.
        case feed
        /// `Authorization: Bearer …` for `/api/v1`, and signing in to the web pages.
        case api
    }

    /// What an API token may do.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        /// Reads everything; writes attendance, session changes and minutes state of its bodies.
        case coordinator
        /// Reads everything, writes nothing.
        case auditor
        /// Reads everything and manages tokens.
        case admin
    }

    /// Public handle (`t-3f9a…`), shown in lists and used to revoke; not the secret.
    public var id: String
    /// SHA-256 of the secret, lowercase hex.
    public var hash: String
    public var person: String
    public var kind: Kind
    /// For API tokens.
    public var role: Role?
    /// The bodies the token is for: a coordinator's bodies, or the bodies a feed token shows
    /// (empty: all bodies of the person's office).
    public var bodies: [String]
    /// UTC.
    public var created: LocalDateTime
    /// The token is refused after this time (UTC); `nil`: until revoked.
    public var expires: LocalDateTime?
    public var revoked: LocalDateTime?
    public var lastUsed: LocalDateTime?

    public init(
        id: String, hash: String, person: String, kind: Kind, role: Role? = nil, bodies: [String] = [],
        created: LocalDateTime, expires: LocalDateTime? = nil, revoked: LocalDateTime? = nil,
        lastUsed: LocalDateTime? = nil
    ) {
        self.id = id
        self.hash = hash
        self.person = person
        self.kind = kind
        self.role = role
        self.bodies = bodies
        self.created = created
        self.expires = expires
        self.revoked = revoked
        self.lastUsed = lastUsed
    }

    /// Whether the token may be used at `now` (UTC): not revoked and not expired.
    public func isActive(at now: LocalDateTime) -> Bool {
        revoked == nil && (expires.map { now < $0 } ?? true)
    }

    /// Whether the token may write records (attendance, session changes, minutes) of `body`.
    public func mayWrite(body: String) -> Bool {
        kind == .api && role == .coordinator && bodies.contains(body)
    }
}
