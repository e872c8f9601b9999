/// A person's account for the web pages: the e-mail address they sign in with, the bcrypt hash
/// of their password (never the password) and the roles they hold. Every person with an
/// account is staff (their own calendar); the roles add to that.
public struct Account: Sendable, Hashable, Codable {
    /// The person of the staff records the account belongs to (one account per person).
    public var person: String
    /// Lowercase; unique.
    public var email: String
    /// bcrypt; `nil` until the person sets a password after signing in by a link.
    public var passwordHash: String?
    public var roles: [AccessToken.Role]
    /// The bodies a coordinator writes the records of.
    public var bodies: [String]
    /// UTC.
    public var created: LocalDateTime

    public init(
        person: String, email: String, passwordHash: String? = nil, roles: [AccessToken.Role] = [],
        bodies: [String] = [], created: LocalDateTime
    ) {
        self.person = person
        self.email = email
        self.passwordHash = passwordHash
        self.roles = roles
        self.bodies = bodies
        self.created = created
    }
}

/// A one-time sign-in link an admin made for a person: the SHA-256 of its secret and when it
/// stops working. It works once.
public struct SignInLink: Sendable, Hashable, Codable {
    public var hash: String
    public var person: String
    /// UTC.
    public var expires: LocalDateTime

    public init(hash: String, person: String, expires: LocalDateTime) {
        self.hash = hash
        self.person = person
        self.expires = expires
    }
}

/// A signed-in browser, as the store keeps it: the SHA-256 of the cookie's secret (never the
/// secret), whose it is, and when it was opened and last used (UTC). A session opened with an
/// API token names the token's hash, so that revoking the token ends it.
public struct WebSessionRecord: Sendable, Hashable, Codable {
    public var hash: String
    public var person: String
    public var tokenHash: String?
    /// The token each form of this session carries (CSRF).
    public var csrf: String
    public var created: LocalDateTime
    public var lastSeen: LocalDateTime

    public init(
        hash: String, person: String, tokenHash: String? = nil, csrf: String, created: LocalDateTime,
        lastSeen: LocalDateTime
    ) {
        self.hash = hash
        self.person = person
        self.tokenHash = tokenHash
        self.csrf = csrf
        self.created = created
        self.lastSeen = lastSeen
    }
}

/// Failed sign-ins in a row for an account or an address (what slows the next attempt down).
public struct SignInFailures: Sendable, Hashable, Codable {
    /// `konto:anna@example.org` or `adresse:192.0.2.7`.
    public var key: String
    public var count: Int
    /// UTC.
    public var last: LocalDateTime

    public init(key: String, count: Int, last: LocalDateTime) {
        self.key = key
        self.count = count
        self.last = last
    }
}
