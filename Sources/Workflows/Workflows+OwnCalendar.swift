import Coordination
import Platform
import Storage

extension Workflows {
    /// The private-feed tokens of the signed-in person, newest first.
    public func ownFeedTokens(by principal: Principal) async throws(WorkflowError) -> [AccessToken] {
        guard let person = principal.person else { throw .forbidden("only a person has a calendar of their own") }
        let all = try await stored { () async throws(StorageError) in try await store.tokens() }
        return all.filter { $0.person == person && $0.kind == .feed }.reversed()
    }

    /// Issues the signed-in person a new private-feed token for the bodies of their office; the
    /// ones in force before are revoked (renewal). Only its SHA-256 is stored.
    public func renewOwnFeed(by principal: Principal) async throws(WorkflowError) -> IssuedToken {
        guard let person = principal.person else { throw .forbidden("only a person has a calendar of their own") }
        try await revokeOwnFeeds(by: principal)
        let secret = Secrets.token(prefix: TokenSecret.prefix(for: .feed))
        let token = AccessToken(
            id: Secrets.handle(prefix: "t-"), hash: TokenSecret.hash(secret), person: person, kind: .feed,
            created: clock.now())
        let name = try await stored { () async throws(StorageError) in
            try await store.save(token, actor: principal.actor)
            return try await store.person(id: person)?.name
        }
        return IssuedToken(token: token, name: name ?? person, secret: secret)
    }

    /// Revokes the signed-in person's private-feed tokens that are in force.
    public func revokeOwnFeeds(by principal: Principal) async throws(WorkflowError) {
        let now = clock.now()
        for t in try await ownFeedTokens(by: principal) where t.isActive(at: now) {
            try await stored { () async throws(StorageError) in
                try await store.revokeToken(id: t.id, at: now, actor: principal.actor)
            }
        }
    }

    /// The change log, newest first, at most `limit` entries (auditors, admins).
    public func changeLog(limit: Int = 200, by principal: Principal) async throws(WorkflowError) -> [ChangeRecord] {
        try await changeLogCounted(limit: limit, by: principal).entries
    }

    /// `changeLog(limit:by:)` and how many entries the change log holds in all; only those
    /// shown are read (`changeLogCounted(limit: 0, …)` counts).
    public func changeLogCounted(limit: Int = 200, by principal: Principal) async throws(WorkflowError) -> (
        entries: [ChangeRecord], total: Int
    ) {
        try Self.requireChangeLogReader(principal)
        let last = try await stored { () async throws(StorageError) in try await store.changes(last: limit) }
        return (last.entries.reversed(), last.total)
    }

    /// The whole change log, newest first, a page of `pageSize` entries at a time (the auditors'
    /// download): never held whole, each page one short read, and the entries written after the
    /// first page not among them. The right to read it is checked here, before the first page.
    public func changeLogPages(pageSize: Int = 2_000, by principal: Principal) throws(WorkflowError)
        -> ChangeLogPages
    {
        try Self.requireChangeLogReader(principal)
        return ChangeLogPages(workflows: self, pageSize: max(pageSize, 1))
    }

    private static func requireChangeLogReader(_ principal: Principal) throws(WorkflowError) {
        guard principal.roles.contains(.auditor) || principal.mayAdminister else {
            throw .forbidden("only an auditor reads the change log")
        }
    }
}

/// The change log read a page at a time, newest first (`Workflows.changeLogPages`).
public struct ChangeLogPages: Sendable {
    let workflows: Workflows
    let pageSize: Int
    /// The number of the oldest entry given so far; `nil` before the first page.
    private var oldest: Int64?
    private var ended = false

    init(workflows: Workflows, pageSize: Int) {
        self.workflows = workflows
        self.pageSize = pageSize
    }

    /// The next (older) entries, newest first; `nil` once all are given.
    public mutating func next() async throws(WorkflowError) -> [ChangeRecord]? {
        guard !ended else { return nil }
        let (store, before, count) = (workflows.store, oldest, pageSize)
        let page = try await workflows.stored { () async throws(StorageError) in
            try await store.changes(before: before, count: count)
        }
        // A short page is the last (an empty one too: `count` is at least 1).
        ended = page.count < count
        guard let last = page.last else { return nil }
        oldest = last.number
        return page.map(\.entry)
    }
}
