import Coordination
import Mail
import Platform
import Publishing
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

    /// The newest answers by mail that were refused (an admin or the operator).
    public func refusedReplies(limit: Int = 20, by principal: Principal) async throws(WorkflowError) -> [RefusedReply] {
        try principal.requireAdmin("reads the refused answers")
        let events = try await stored { () async throws(StorageError) in
            try await store.events(of: .replyRefused, limit: limit)
        }
        return events.compactMap { AuditPayload.decode(RefusedReply.self, from: $0.payload) }
    }

    /// The answers for a session.
    public func replies(of found: ResolvedSession) async throws(WorkflowError) -> [Reply] {
        let key = found.key
        return try await stored { () async throws(StorageError) in try await store.replies(of: key) }
    }
}

/// Answers by mail (issue 17): an iTIP REPLY that a mail server pipes into `gremien imip receive`.
extension Workflows {
    /// What became of one received message.
    public struct ReceivedReply: Sendable, Hashable {
        /// The answers recorded (a series answer: one per coming session).
        public var recorded: [Reply] = []
        /// Answers that were already recorded (a replayed message) or older than the recorded.
        public var unchanged = 0
        /// Why answers were refused (each logged in the event log).
        public var refused: [String] = []
        /// The sessions the answers are for, in German (`AG § 78 am 12.01.2027`).
        public var sessions: [String] = []
        /// Why the message was left alone (an automatic reply), when it was.
        public var ignored: String?
    }

    /// Reads a message, takes its iTIP REPLY (the text/calendar part, or an attached `.ics`) and
    /// records each answer per session: with a RECURRENCE-ID for that session, without for every
    /// coming session of the UID. Refused, and kept in the event log: a message whose mail server
    /// found the sender forged (Authentication-Results), an answer whose ATTENDEE is not the
    /// sender or not a seat holder of the body, one sent on someone's behalf or delegated, an
    /// unknown UID, a session that has begun. `invalid` when the message holds no REPLY.
    public func receiveReply(mail raw: [UInt8]) async throws(WorkflowError) -> ReceivedReply {
        let mail: ReceivedMail
        do { mail = try ReceivedMail(raw) } catch { throw .invalid("the message could not be read: \(error)") }
        guard let sender = mail.fromAddress else { throw .invalid("the message has no From address") }
        let calendars = mail.parts.filter {
            ["text/calendar", "application/ics"].contains($0.type)
                || ($0.parameters["name"]?.lowercased().hasSuffix(".ics") ?? false)
        }
        if calendars.isEmpty, let automatic = mail.header("auto-submitted"), !automatic.lowercased().hasPrefix("no") {
            // An out-of-office note or a delivery report: nothing to record, nothing to return.
            return ReceivedReply(ignored: "an automatic message from \(sender) (Auto-Submitted: \(automatic))")
        }
        guard let part = calendars.first(where: { $0.type == "text/calendar" }) ?? calendars.first else {
            throw .invalid("the message from \(sender) holds no calendar part (text/calendar); it is not an answer")
        }
        let answers: [InvitationAnswer]
        do { answers = try InvitationAnswer.read(part.text) } catch {
            throw .invalid("the message from \(sender): \(error)")
        }
        let now = clock.now()
        let messageID = mail.header("message-id")
        var result = ReceivedReply()
        func refuse(_ uid: String?, _ code: String, _ reason: String) async throws(WorkflowError) {
            result.refused.append(reason)
            let refused = RefusedReply(
                time: now, sender: sender, messageID: messageID, uid: uid, reason: reason, code: code)
            try await stored { () async throws(StorageError) in try await store.log(refused) }
        }
        if let verdict = mail.headers("authentication-results").joined(separator: "; ").lowercased()
            .firstMatch(of: /(dmarc|spf|dkim)=(fail|softfail)/)
        {
            try await refuse(
                answers.first?.uid, "not_genuine",
                "the mail server found the sender \(sender) not genuine (\(verdict.0))")
            return result
        }
        let planning = try await planning()
        let (people, seats) = try await stored { () async throws(StorageError) in
            (try await store.people(), try await store.seats())
        }
        var replies: [SessionKey: Reply] = [:]
        var order: [SessionKey] = []
        for answer in answers {
            let answered: Reply.Answer
            switch answer.status {
            case "ACCEPTED": answered = .accepted
            case "DECLINED": answered = .declined
            case "TENTATIVE": answered = .tentative
            case "DELEGATED":
                try await refuse(
                    answer.uid, "delegated",
                    "\(answer.attendee) delegated the invitation; a seat is filled by its holder or deputy")
                continue
            default: continue  // NEEDS-ACTION: nothing to record
            }
            if answer.delegated {
                try await refuse(
                    answer.uid, "delegated",
                    "\(answer.attendee) delegated the invitation; a seat is filled by its holder or deputy")
                continue
            }
            if let on = answer.sentBy, on != answer.attendee {
                try await refuse(
                    answer.uid, "on_behalf", "\(on) answered on behalf of \(answer.attendee); only the attendee answers"
                )
                continue
            }
            guard answer.attendee == sender else {
                try await refuse(answer.uid, "forged", "the answer for \(answer.attendee) came from \(sender)")
                continue
            }
            guard let person = people.first(where: { $0.email?.lowercased() == sender }) else {
                try await refuse(
                    answer.uid, "unknown_sender", "\(sender) is not the address of anyone in the staff records")
                continue
            }
            let bodies = planning.district.bodies.filter { answer.uid.contains(".\($0.id)@") }
            let today = now.date
            let sessions = planning.planner.keyedSessions(
                from: CivilDate(dayNumber: today.dayNumber - 400),
                through: CivilDate(dayNumber: today.dayNumber + 1100),
                bodies: Set(bodies.map(\.id))
            ).filter { $0.session.uid == answer.uid }
            guard !sessions.isEmpty else {
                try await refuse(answer.uid, "unknown_uid", "no session has the UID \(answer.uid)")
                continue
            }
            var chosen = sessions
            if answer.recurrence != nil {
                let zone = planning.planner.zone(ofTimeZone: sessions[0].session.timeZone) ?? .utc
                let day = answer.occurrenceDay(in: zone)
                chosen = sessions.filter { ($0.session.recurrenceID ?? $0.session.start).local.date == day }
                guard !chosen.isEmpty else {
                    try await refuse(
                        answer.uid, "no_session", "\(answer.uid) has no session on \(answer.recurrence ?? "")")
                    continue
                }
            }
            let nowUTC = now.localSeconds
            let coming = chosen.filter { $0.session.start.utc > nowUTC && $0.session.status != .cancelled }
            guard !coming.isEmpty else {
                try await refuse(
                    answer.uid, "begun",
                    "the session of \(answer.uid) has begun or is cancelled; answers are taken until it begins")
                continue
            }
            let held = coming.filter { s in
                seats.contains { $0.person == person.id && $0.body == s.key.body && $0.isValid(on: s.key.date) }
            }
            guard !held.isEmpty else {
                try await refuse(
                    answer.uid, "no_seat", "\(person.name) holds no seat in \(coming[0].key.body) for these sessions")
                continue
            }
            let time = min(answer.stamp ?? now, now)
            for s in held {
                if replies[s.key] == nil { order.append(s.key) }
                replies[s.key] = Reply(
                    session: s.key, person: person.id, answer: answered, time: time, via: "mail",
                    comment: answer.comment)
                let name = planning.district.body(s.key.body)?.name ?? s.key.body
                let label = "\(name) am \(s.session.start.local.date.german)"
                if !result.sessions.contains(label) { result.sessions.append(label) }
            }
        }
        let wanted = order.compactMap { replies[$0] }
        let recorded = try await stored { () async throws(StorageError) in try await store.record(wanted) }
        result.recorded = recorded
        result.unchanged = wanted.count - recorded.count
        return result
    }
}
