import Coordination
import Foundation
import HummingbirdBcrypt
import Platform
import Storage

/// A browser just signed in: the cookie's secret (shown once, never kept) and its session.
public struct WebSignIn: Sendable {
    public var secret: String
    public var session: SignedIn
}

/// A signed-in browser's session and who acts in it.
public struct SignedIn: Sendable {
    public var record: WebSessionRecord
    public var principal: Principal
    /// The account, when the session was opened with one (not with an API token).
    public var account: Account?
    /// The person's name, as the pages greet them.
    public var name: String
}

/// A one-time sign-in link just made: the secret goes into the link and is kept nowhere.
public struct IssuedLink: Sendable {
    public var account: Account
    /// The person's name (the account holds their id).
    public var name: String
    public var secret: String
    /// UTC.
    public var expires: LocalDateTime

    /// The address to open: `https://gremien.example/anmelden/link/gl_…`.
    public func url(base: String) -> String { "\(base)/anmelden/link/\(secret)" }
}

extension Workflows {
    /// A web session ends after this long without a request (seconds).
    public static let sessionIdle: Int64 = 2 * 3600
    /// … and this long after it was opened, used or not.
    public static let sessionLongest: Int64 = 12 * 3600
    /// Browsers a person stays signed in with at once; a further sign-in ends the least recently used.
    public static let sessionsPerPerson = 10
    /// A one-time sign-in link works for this long (seconds).
    public static let linkLifetime: Int64 = 72 * 3600
    /// Failed sign-ins in a row (per account, per address) before the next attempt waits.
    public static let freeAttempts = 5
    /// Passwords: at least this many characters …
    public static let passwordShortest = 10
    /// … and at most this many bytes (bcrypt reads no further).
    public static let passwordLongest = 72
    /// bcrypt's cost (2^cost rounds).
    static let bcryptCost: UInt8 = 11

    /// Who an account is for and what it may do.
    public struct AccountRequest: Sendable, Hashable {
        public var person: String
        /// `nil`: the person's e-mail address of the staff records.
        public var email: String?
        public var roles: [AccessToken.Role]
        public var bodies: [String]

        public init(person: String, email: String? = nil, roles: [AccessToken.Role] = [], bodies: [String] = []) {
            self.person = person
            self.email = email
            self.roles = roles
            self.bodies = bodies
        }
    }

    /// Opens (or changes) the account of a person and makes a one-time sign-in link for them
    /// (an admin). A password set earlier stays; the person's earlier links stop working.
    public func invite(_ request: AccountRequest, by principal: Principal) async throws(WorkflowError) -> IssuedLink {
        try principal.requireAdmin("opens accounts")
        try WorkflowError.requireText(request.email, "the e-mail address")
        let (people, definitions) = try await stored { () async throws(StorageError) in
            (try await store.people(), try await store.definitions())
        }
        let person: Person
        do { person = try Self.person(request.person, in: people) } catch {
            guard case .notFound = error else { throw error }
            throw .invalid(
                "\(request.person) is not in the staff records; add with: gremien person add",
                german: "\(request.person) steht nicht im Personalverzeichnis; bitte zuerst unter „Personen“ anlegen.")
        }
        let existing = try await stored { () async throws(StorageError) in try await store.account(person: person.id) }
        let email = (request.email ?? person.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard Self.isEmailAddress(email) else {
            throw .invalid([
                Problem(
                    email.isEmpty
                        ? "\(person.name) has no e-mail address; give one with --email"
                        : "'\(email)' is not an e-mail address",
                    german: "Bitte eine E-Mail-Adresse angeben, z. B. anna.beispiel@kreis.example.", field: "email")
            ])
        }
        if request.roles.contains(.coordinator) && request.bodies.isEmpty {
            throw .invalid([
                Problem(
                    "a coordinator needs the bodies they coordinate (--body ID)",
                    german: "Für die Koordination bitte mindestens ein Gremium wählen.", field: "bodies")
            ])
        }
        for id in request.bodies where !definitions.bodies.contains(where: { $0.id == id }) {
            throw .invalid([
                Problem(
                    "unknown body '\(id)'; known bodies: \(definitions.bodies.map(\.id).joined(separator: ", "))",
                    german: "Das Gremium „\(id)“ gibt es nicht.", field: "bodies")
            ])
        }
        let now = clock.now()
        var roles: [AccessToken.Role] = []
        for r in AccessToken.Role.allCases where request.roles.contains(r) { roles.append(r) }
        let account = Account(
            person: person.id, email: email, passwordHash: existing?.passwordHash, roles: roles,
            bodies: request.roles.contains(.coordinator) ? Array(Set(request.bodies)).sorted() : [],
            created: existing?.created ?? now)
        try await stored { () async throws(StorageError) in
            try await store.save(
                account, at: now, actor: principal.actor, action: existing == nil ? "opened" : "changed")
        }
        return try await makeLink(for: account, name: person.name, at: now)
    }

    /// Takes the password of an account away and makes a new one-time link (an admin): the
    /// person sets a new password after signing in by it. Their open sessions end.
    public func resetPassword(person reference: String, by principal: Principal) async throws(WorkflowError)
        -> IssuedLink
    {
        try principal.requireAdmin("resets passwords")
        let holder = try await self.person(reference)
        let person = holder.id
        guard
            var account = try await stored({ () async throws(StorageError) in try await store.account(person: person) })
        else {
            throw .notFound("\(person) has no account; open one with: gremien account invite --person NAME")
        }
        account.passwordHash = nil
        let now = clock.now()
        let changed = account
        try await stored { () async throws(StorageError) in
            try await store.save(changed, at: now, actor: principal.actor, action: "password reset")
            try await store.closeWebSessions(hash: nil, person: person)
        }
        return try await makeLink(for: changed, name: holder.name, at: now)
    }

    private func makeLink(for account: Account, name: String, at now: LocalDateTime) async throws(WorkflowError)
        -> IssuedLink
    {
        let secret = Secrets.token(prefix: "gl_")
        let expires = LocalDateTime(localSeconds: now.localSeconds + Self.linkLifetime)
        let link = SignInLink(hash: SHA256Hex.of(secret), person: account.person, expires: expires)
        try await stored { () async throws(StorageError) in try await store.save(link) }
        return IssuedLink(account: account, name: name, secret: secret, expires: expires)
    }

    /// Every account (an admin).
    public func accounts(by principal: Principal) async throws(WorkflowError) -> [Account] {
        try principal.requireAdmin("manages accounts")
        return try await stored { () async throws(StorageError) in try await store.accounts() }
    }

    /// Signs in with an e-mail address and a password. After `freeAttempts` failures in a row
    /// for the account or for the address, each further attempt waits twice as long as the one
    /// before (up to 15 minutes), whether the password is right or not.
    public func signIn(email: String, password: String, address: String, replacing: String? = nil)
        async throws(WorkflowError) -> WebSignIn
    {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        let keys = ["account:\(email)", "address:\(address)"]
        let now = clock.now()
        let failures = try await stored { () async throws(StorageError) in
            var found: [SignInFailures] = []
            for key in keys { if let f = try await store.signInFailures(key) { found.append(f) } }
            return found
        }
        for f in failures {
            let wait = Self.wait(after: f.count)
            let left = f.last.localSeconds + wait - now.localSeconds
            if wait > 0, left > 0 { throw .tooManyAttempts(retryAfter: Int(left)) }
        }
        let account = try await stored { () async throws(StorageError) in try await store.account(email: email) }
        // A missing account costs the same time as a wrong password: nobody learns who has one.
        let given = String(password.prefix(Self.passwordLongest))
        let hash = account?.passwordHash ?? Self.noHash
        let matches = await Self.offTheLoop { Bcrypt.verify(given, hash: hash) }
        guard let account, account.passwordHash != nil, matches else {
            try await stored { () async throws(StorageError) in try await store.noteSignIn(keys, failed: true, at: now)
            }
            throw .unauthenticated(
                Problem(
                    "the e-mail address or the password is wrong",
                    german: "Die E-Mail-Adresse oder das Passwort stimmt nicht."))
        }
        try await stored { () async throws(StorageError) in try await store.noteSignIn(keys, failed: false, at: now) }
        return try await openSession(person: account.person, tokenHash: nil, replacing: replacing)
    }

    /// How long an attempt waits after `count` failures in a row (seconds).
    static func wait(after count: Int) -> Int64 {
        guard count >= freeAttempts else { return 0 }
        return min(Int64(1) << Int64(min(count - freeAttempts + 1, 20)), 900)
    }

    /// Runs bcrypt (a tenth of a second of one core, on purpose) on a thread of its own, so that
    /// the server's event loops keep answering other requests meanwhile.
    static func offTheLoop<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }

    /// A bcrypt hash no password gives (for accounts that do not exist).
    static let noHash = Bcrypt.hash("\u{0}keines", cost: bcryptCost)

    /// Signs in by a one-time link; the link stops working.
    public func signIn(link secret: String, replacing: String? = nil) async throws(WorkflowError) -> WebSignIn {
        let now = clock.now()
        let link = try await stored { () async throws(StorageError) in
            try await store.redeemSignInLink(hash: SHA256Hex.of(secret), at: now)
        }
        guard let link else {
            throw .unauthenticated(
                Problem(
                    "the sign-in link is not valid, was used already or has expired",
                    german:
                        "Der Anmeldelink ist nicht gültig, wurde schon benutzt oder ist abgelaufen. Bitte lassen Sie sich von der Administration einen neuen geben."
                ))
        }
        return try await openSession(person: link.person, tokenHash: nil, replacing: replacing)
    }

    /// Signs in with an API token (programs and the operator's tests; people use their account).
    public func signIn(token secret: String, replacing: String? = nil) async throws(WorkflowError) -> WebSignIn {
        let token = try await authenticate(secret: secret, kind: .api)
        return try await openSession(person: token.person, tokenHash: token.hash, replacing: replacing)
    }

    private func openSession(person: String, tokenHash: String?, replacing: String?) async throws(WorkflowError)
        -> WebSignIn
    {
        let now = clock.now()
        let secret = Secrets.token(prefix: "gs_")
        let record = WebSessionRecord(
            hash: SHA256Hex.of(secret), person: person, tokenHash: tokenHash,
            csrf: Secrets.token(prefix: ""), created: now, lastSeen: now)
        let stale = LocalDateTime(localSeconds: now.localSeconds - Self.sessionLongest)
        try await stored { () async throws(StorageError) in
            try await store.open(
                record, replacing: replacing.map(SHA256Hex.of), staleBefore: stale, keeping: Self.sessionsPerPerson)
        }
        guard let session = try await signedIn(record) else {
            throw .unauthenticated(Problem("the account no longer exists", german: "Das Konto gibt es nicht mehr."))
        }
        return WebSignIn(secret: secret, session: session)
    }

    /// The session a browser's cookie names, while it is in force; its last use is noted (to the
    /// minute). `nil` for an unknown, idle, too old or revoked one.
    public func webSession(secret: String) async throws(WorkflowError) -> SignedIn? {
        let hash = SHA256Hex.of(secret)
        guard let record = try await stored({ () async throws(StorageError) in try await store.webSession(hash: hash) })
        else { return nil }
        let now = clock.now().localSeconds
        guard now - record.lastSeen.localSeconds < Self.sessionIdle,
            now - record.created.localSeconds < Self.sessionLongest, let session = try await signedIn(record)
        else {
            try await stored { () async throws(StorageError) in
                try await store.closeWebSessions(hash: hash, person: nil)
            }
            return nil
        }
        if now - record.lastSeen.localSeconds >= 60 {
            try? await store.touchWebSession(hash: hash, at: clock.now())
        }
        return session
    }

    /// Who acts in a session: its API token's holder while the token is in force, else the
    /// account's holder while the account exists.
    private func signedIn(_ record: WebSessionRecord) async throws(WorkflowError) -> SignedIn? {
        let person = record.person
        let name =
            try await stored { () async throws(StorageError) in try await store.person(id: person) }?.name ?? person
        if let tokenHash = record.tokenHash {
            guard let token = try await activeToken(hash: tokenHash) else { return nil }
            return SignedIn(record: record, principal: try await principal(token: token), account: nil, name: name)
        }
        guard
            let account = try await stored({ () async throws(StorageError) in try await store.account(person: person) })
        else { return nil }
        var principal = Principal(account: account)
        principal.actor = name
        return SignedIn(record: record, principal: principal, account: account, name: name)
    }

    /// Signs a browser out.
    public func signOut(secret: String) async throws(WorkflowError) {
        try await stored { () async throws(StorageError) in
            try await store.closeWebSessions(hash: SHA256Hex.of(secret), person: nil)
        }
    }

    /// Sets the password of the signed-in person's account. With a password set, the current
    /// one must be given; right after a link (no password yet) it need not.
    public func changePassword(current: String, new: String, repeated: String, of session: SignedIn)
        async throws(WorkflowError)
    {
        guard var account = session.account else {
            throw .forbidden("a session opened with an API token has no password to change")
        }
        var problems: [Problem] = []
        let currentGiven = String(current.prefix(Self.passwordLongest))
        if let hash = account.passwordHash, await !Self.offTheLoop({ Bcrypt.verify(currentGiven, hash: hash) }) {
            problems.append(
                Problem(
                    "the current password is wrong", german: "Das bisherige Passwort stimmt nicht.", field: "bisher"))
        }
        if new.count < Self.passwordShortest || new.utf8.count > Self.passwordLongest {
            problems.append(
                Problem(
                    "a password has \(Self.passwordShortest) to \(Self.passwordLongest) characters",
                    german:
                        "Das Passwort muss mindestens \(Self.passwordShortest) und höchstens \(Self.passwordLongest) Zeichen lang sein.",
                    field: "neu"))
        } else if ControlCharacters.problem(in: new, field: "the password", multiline: false) != nil {
            problems.append(
                Problem(
                    "the password holds a control character", german: "Das Passwort enthält ein Steuerzeichen.",
                    field: "neu"))
        }
        if new != repeated {
            problems.append(
                Problem(
                    "the two new passwords differ",
                    german: "Die Wiederholung stimmt nicht mit dem neuen Passwort überein.",
                    field: "wiederholung"))
        }
        guard problems.isEmpty else { throw .invalid(problems) }
        account.passwordHash = await Self.offTheLoop { Bcrypt.hash(new, cost: Self.bcryptCost) }
        let now = clock.now()
        let changed = account
        try await stored { () async throws(StorageError) in
            try await store.save(changed, at: now, actor: changed.person, action: "password changed")
        }
    }

    /// Whether `text` is an e-mail address as a mail server takes it: a local part of letters,
    /// digits and ``!#$%&'*+/=?^_`{|}~.-`` (no dot at either end, none twice), `@`, and a domain
    /// of at least two labels (letters, digits, inner hyphens) ending in a name of letters.
    public static func isEmailAddress(_ text: String) -> Bool {
        guard text.utf8.count <= 254 else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~.-")
        guard !local.isEmpty, local.count <= 64, local.allSatisfy({ allowed.contains($0) }), !local.hasPrefix("."),
            !local.hasSuffix("."), !local.contains("..")
        else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let top = labels.last, top.count >= 2, top.allSatisfy({ $0.isASCII && $0.isLetter })
        else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}
