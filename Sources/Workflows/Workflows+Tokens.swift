import Coordination
import Platform
import Storage

/// A token just issued: the stored token and its secret, which is shown once and never kept.
public struct IssuedToken: Sendable {
    public var token: AccessToken
    /// The person's name (the token holds their id).
    public var name: String
    public var secret: String
}

extension Workflows {
    /// What a token is to be issued for.
    public struct TokenRequest: Sendable, Hashable {
        public var person: String
        public var kind: AccessToken.Kind
        public var role: AccessToken.Role?
        public var bodies: [String]
        /// The last day it works.
        public var expires: CivilDate?

        public init(
            person: String, kind: AccessToken.Kind, role: AccessToken.Role? = nil, bodies: [String] = [],
            expires: CivilDate? = nil
        ) {
            self.person = person
            self.kind = kind
            self.role = role
            self.bodies = bodies
            self.expires = expires
        }
    }

    /// Issues a private-feed or API token; only its SHA-256 is stored.
    public func issueToken(_ request: TokenRequest, by principal: Principal) async throws(WorkflowError)
        -> IssuedToken
    {
        try principal.requireAdmin("issues tokens")
        try Self.checkShape(request)
        if let last = request.expires, last < clock.now().date {
            throw .invalid("the last day \(last) of the token lies in the past; give today or a later day")
        }
        let (definitions, people) = try await stored { () async throws(StorageError) in
            (try await store.definitions(), try await store.people())
        }
        let p: Person
        do { p = try Self.person(request.person, in: people) } catch {
            guard case .notFound = error else { throw error }
            throw .invalid("\(request.person) is not in the staff records; add with: gremien person add")
        }
        for id in request.bodies where !definitions.bodies.contains(where: { $0.id == id }) {
            throw .invalid(
                "unknown body '\(id)'; known bodies: \(definitions.bodies.map(\.id).joined(separator: ", "))")
        }
        if request.kind == .feed,
            let id = request.bodies.first(where: { b in
                !definitions.bodies.contains { $0.id == b && $0.members.contains { $0.office == p.office } }
            })
        {
            throw .invalid("\(p.office) (office of \(request.person)) has no seat in \(id)")
        }
        let secret = Secrets.token(prefix: TokenSecret.prefix(for: request.kind))
        let token = AccessToken(
            id: Secrets.handle(prefix: "t-"), hash: TokenSecret.hash(secret), person: p.id,
            kind: request.kind, role: request.role, bodies: request.bodies, created: clock.now(),
            expires: request.expires.map { LocalDateTime(date: CivilDate(dayNumber: $0.dayNumber + 1)) })
        try await stored { () async throws(StorageError) in try await store.save(token, actor: principal.actor) }
        return IssuedToken(token: token, name: p.name, secret: secret)
    }

    /// The rules of a token's kind, role and bodies.
    static func checkShape(_ request: TokenRequest) throws(WorkflowError) {
        if request.kind == .api && request.role == nil {
            throw .invalid("an API token needs a role: coordinator, auditor or admin")
        }
        if request.kind == .feed && request.role != nil { throw .invalid("a role is for API tokens only") }
        if request.role == .coordinator && request.bodies.isEmpty {
            throw .invalid("a coordinator token needs the bodies it is for")
        }
    }

    /// Every token, oldest first (never a secret; the store holds none).
    public func tokens(by principal: Principal) async throws(WorkflowError) -> [AccessToken] {
        try principal.requireAdmin("manages tokens")
        return try await stored { () async throws(StorageError) in try await store.tokens() }
    }

    /// Revokes a token; it is refused from then on.
    public func revokeToken(_ id: String, by principal: Principal) async throws(WorkflowError) {
        try principal.requireAdmin("manages tokens")
        let now = clock.now()
        try await stored { () async throws(StorageError) in
            try await store.revokeToken(id: id, at: now, actor: principal.actor)
        }
    }

    /// The refusal of a secret that names no token of the kind asked for.
    static let invalidToken = Problem(
        "the token is not valid",
        german: "Das Token ist nicht gültig. Bitte prüfen Sie, ob es vollständig eingefügt ist.")

    /// The token a secret names, if it is of `kind` and in force now; else `unauthenticated`.
    /// Its last use is noted, to the minute.
    public func authenticate(secret: String, kind: AccessToken.Kind) async throws(WorkflowError) -> AccessToken {
        guard TokenSecret.isWellFormed(secret) else { throw .unauthenticated(Self.invalidToken) }
        let hash = TokenSecret.hash(secret)
        let found = try await stored { () async throws(StorageError) in try await store.token(hash: hash) }
        guard let token = found, token.kind == kind else { throw .unauthenticated(Self.invalidToken) }
        let now = clock.now()
        if token.revoked != nil {
            throw .unauthenticated(Problem("the token has been revoked", german: "Das Token wurde widerrufen."))
        }
        if !token.isActive(at: now) {
            throw .unauthenticated(Problem("the token has expired", german: "Das Token ist abgelaufen."))
        }
        if token.lastUsed.map({ now.localSeconds - $0.localSeconds >= 60 }) ?? true {
            try? await store.markUsed(tokenID: token.id, at: now)
        }
        return token
    }

    /// The token whose hash a web session keeps, while it is in force; `nil` otherwise.
    public func activeToken(hash: String) async throws(WorkflowError) -> AccessToken? {
        let found = try await stored { () async throws(StorageError) in try await store.token(hash: hash) }
        guard let found, found.isActive(at: clock.now()) else { return nil }
        return found
    }
}

extension Workflows {
    /// The holder of a private-feed token: the token and its person, while the token is in force
    /// and the person has not left.
    public func feedHolder(secret: String) async throws(WorkflowError) -> (token: AccessToken, person: Person) {
        let token = try await authenticate(secret: secret, kind: .feed)
        guard
            let person = try await stored({ () async throws(StorageError) in try await store.person(id: token.person) })
        else {
            throw .unauthenticated("the token's person is no longer in the staff records")
        }
        // A person without seats gets an empty calendar; one who has left gets none.
        guard person.isActive(on: clock.now().date) else {
            throw .unauthenticated(Problem("the token's person has left (last day \(person.until?.description ?? ""))"))
        }
        return (token, person)
    }

    /// The principal of an API token, named in the logs by its person's name and the token id.
    public func principal(token: AccessToken) async throws(WorkflowError) -> Principal {
        var principal = Principal(token: token)
        if let name = try await stored({ () async throws(StorageError) in try await store.person(id: token.person) })?
            .name
        {
            principal.actor = "\(name) (\(token.id))"
        }
        return principal
    }

    /// The event log's last entry (what `/healthz` reports).
    public func chainHead() async throws(WorkflowError) -> ChainHead {
        try await stored { () async throws(StorageError) in try await store.chainHead() }
    }

    /// What keeps the store from working soon (a full disk); empty when all is well.
    public func storeProblems() -> [String] {
        (store as? any StoreHealth)?.healthProblems() ?? []
    }
}
