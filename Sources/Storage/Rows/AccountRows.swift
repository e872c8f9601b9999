import Coordination
import Foundation

/// A row of the `account` table (a bcrypt hash, never a password), as every backend keeps it.
public struct AccountRow: Codable, Sendable {
    public var person: String
    public var email: String
    public var passwordHash: String?
    public var roles: [String]
    public var bodies: [String]
    public var created: String

    public init(_ a: Account) {
        person = a.person
        email = a.email
        passwordHash = a.passwordHash
        roles = a.roles.map(\.rawValue)
        bodies = a.bodies
        created = a.created.description
    }

    public func domain() throws(StorageError) -> Account {
        let what = "account of \(person)"
        var parsed: [AccessToken.Role] = []
        for r in roles { parsed.append(try value(r, "role", of: what)) }
        return Account(
            person: person, email: email, passwordHash: passwordHash, roles: parsed, bodies: bodies,
            created: try time(created, "created", of: what))
    }
}

/// A row of the `signInLink` table (the SHA-256 of the link's secret).
public struct SignInLinkRow: Codable, Sendable {
    public var hash: String
    public var person: String
    public var expires: String

    public init(_ l: SignInLink) { (hash, person, expires) = (l.hash, l.person, l.expires.description) }

    public func domain() throws(StorageError) -> SignInLink {
        SignInLink(hash: hash, person: person, expires: try time(expires, "expires", of: "sign-in link of \(person)"))
    }
}

/// A row of the `webSession` table (the SHA-256 of the cookie's secret).
public struct WebSessionRow: Codable, Sendable {
    public var hash: String
    public var person: String
    public var tokenHash: String?
    public var csrf: String
    public var created: String
    public var lastSeen: String

    public init(_ s: WebSessionRecord) {
        (hash, person, tokenHash, csrf) = (s.hash, s.person, s.tokenHash, s.csrf)
        (created, lastSeen) = (s.created.description, s.lastSeen.description)
    }

    public func domain() throws(StorageError) -> WebSessionRecord {
        let what = "web session of \(person)"
        return WebSessionRecord(
            hash: hash, person: person, tokenHash: tokenHash, csrf: csrf,
            created: try time(created, "created", of: what), lastSeen: try time(lastSeen, "lastSeen", of: what))
    }
}

/// A row of the `signInFailure` table.
public struct SignInFailureRow: Codable, Sendable {
    public var key: String
    public var count: Int
    public var last: String

    public init(_ f: SignInFailures) { (key, count, last) = (f.key, f.count, f.last.description) }

    public func domain() throws(StorageError) -> SignInFailures {
        SignInFailures(key: key, count: count, last: try time(last, "last", of: "failed sign-ins of \(key)"))
    }
}
