import Coordination
import Platform
import Storage

/// Answers to invitations (issue 17): the "Zusagen / Absagen" links in a message, and what
/// they record.
extension Workflows {
    /// Links that answer the invitation for each of `sessions` (accept, decline), stored by
    /// their SHA-256; the secrets go into the message only. Valid until the session begins.
    func replyLinks(person: String, sessions: [(key: SessionKey, session: Session)], base: String)
        async throws(WorkflowError) -> [(session: Session, accept: String, decline: String)]
    {
        var links: [ReplyLink] = []
        var shown: [(session: Session, accept: String, decline: String)] = []
        for (key, session) in sessions {
            var urls: [String] = []
            for answer in [Reply.Answer.accepted, .declined] {
                let secret = Secrets.token(prefix: "ga_r")
                links.append(
                    ReplyLink(
                        hash: SHA256Hex.of(secret), session: key, person: person, answer: answer,
                        expires: LocalDateTime(localSeconds: session.start.utc)))
                urls.append("\(base)/antwort/\(secret)")
            }
            shown.append((session, urls[0], urls[1]))
        }
        let made = links
        try await stored { () async throws(StorageError) in try await store.save(made) }
        return shown
    }

    /// What a link answers, for the page that asks to confirm it: the session, the person's
    /// name and the answer. `notFound` for an unknown link; `conflict` once the session began.
    public func replyLink(_ secret: String) async throws(WorkflowError) -> (
        link: ReplyLink, session: ResolvedSession, name: String
    ) {
        let hash = SHA256Hex.of(secret)
        let found = try await stored { () async throws(StorageError) in try await store.replyLink(hash: hash) }
        guard let link = found else {
            throw .notFound("this answer link is not known (it may have been mistyped)")
        }
        let session = try await session(
            SessionTarget(body: link.session.body, date: link.session.date, series: link.session.series))
        if link.expires < clock.now() {
            throw .conflict(code: "reply_late", "\(session.name) has begun; answers are taken until its start")
        }
        let person = try await stored { () async throws(StorageError) in try await store.person(id: link.person) }
        return (link, session, person?.name ?? link.person)
    }

    /// Records the answer a link gives (again: nothing changes).
    public func answer(_ secret: String) async throws(WorkflowError) -> Reply {
        let (link, session, _) = try await replyLink(secret)
        if session.session.status == .cancelled {
            throw .conflict(code: "cancelled", "\(session.name) is cancelled; no answer is needed")
        }
        let now = clock.now()
        return try await stored { () async throws(StorageError) in
            try await store.answer(linkHash: link.hash, at: now)
        }
    }

    /// The answers for a session.
    public func replies(of found: ResolvedSession) async throws(WorkflowError) -> [Reply] {
        let key = found.key
        return try await stored { () async throws(StorageError) in try await store.replies(of: key) }
    }
}
