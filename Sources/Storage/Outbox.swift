import Coordination

/// A message to be sent, kept in the store from the change that causes it until it is sent:
/// written in the same transaction as that change, claimed by one sender at a time (a lease,
/// so that several servers never send one message twice), tried again after a transient
/// failure. What it says is made when it is sent, from the records as they stand then.
public struct OutboxEntry: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The person's sessions of the body as they stand: an iTIP REQUEST of every series
        /// while they hold a seat there, a CANCEL once they hold none.
        case update
        /// One session cancelled: an iTIP CANCEL of that occurrence (followed by an update).
        case cancelSession = "cancel-session"
        /// The Ladung of one session: date, place, agenda, documents, answer links.
        case ladung
        /// To the chair: the Ladung of one session did not go out in time.
        case reminder
        /// An added session removed: an iTIP CANCEL of its UID (`uid`), which no feed shows any more.
        case cancelRemoved = "cancel-removed"
    }

    public enum State: String, Sendable, Hashable, Codable {
        case pending, sent, failed
    }

    /// Given by the store; 0 before it is stored.
    public var id: Int
    public var kind: Kind
    /// The person's id.
    public var person: String
    public var body: String
    /// For `cancelSession`: the session (its series and planned date).
    public var series: String?
    public var date: CivilDate?
    /// For `cancelRemoved`: the UID of the session removed.
    public var uid: String?
    /// UTC.
    public var created: LocalDateTime
    public var state: State
    public var attempts: Int
    /// UTC: not before this time.
    public var nextAttempt: LocalDateTime
    public var lastError: String?
    public var sentAt: LocalDateTime?
    /// Who holds it while sending, and until when.
    public var claimedBy: String?
    public var claimedUntil: LocalDateTime?

    public init(
        id: Int = 0, kind: Kind, person: String, body: String, series: String? = nil, date: CivilDate? = nil,
        uid: String? = nil, created: LocalDateTime, state: State = .pending, attempts: Int = 0,
        nextAttempt: LocalDateTime? = nil,
        lastError: String? = nil, sentAt: LocalDateTime? = nil, claimedBy: String? = nil,
        claimedUntil: LocalDateTime? = nil
    ) {
        self.id = id
        self.kind = kind
        self.person = person
        self.body = body
        self.series = series
        self.date = date
        self.uid = uid
        self.created = created
        self.state = state
        self.attempts = attempts
        self.nextAttempt = nextAttempt ?? created
        self.lastError = lastError
        self.sentAt = sentAt
        self.claimedBy = claimedBy
        self.claimedUntil = claimedUntil
    }
}

/// How one claimed entry ended.
public enum OutboxOutcome: Sendable, Hashable {
    case sent(at: LocalDateTime)
    /// A transient failure: tried again at `retryAt`.
    case retry(at: LocalDateTime, error: String)
    /// A permanent failure (the server refused the address, say): not tried again.
    case failed(at: LocalDateTime, error: String)
}

/// That the Ladung of a session went out: when it was due (the session's day less the body's
/// Ladungsfrist), when and by whom it was put into the outbox, to how many people.
public struct LadungRecord: Sendable, Hashable, Codable {
    public var session: SessionKey
    public var due: CivilDate
    /// UTC.
    public var queued: LocalDateTime
    /// `automatisch`, or who sent it.
    public var actor: String
    public var recipients: Int

    public init(session: SessionKey, due: CivilDate, queued: LocalDateTime, actor: String, recipients: Int) {
        self.session = session
        self.due = due
        self.queued = queued
        self.actor = actor
        self.recipients = recipients
    }

    /// Whether it went out after the day it was due.
    public var late: Bool { queued.date > due }
}

/// The mail outbox.
public protocol OutboxStore: Sendable {
    /// Adds entries on their own (a reminder; changes add theirs with the change).
    func enqueue(_ entries: [OutboxEntry]) async throws(StorageError)

    /// Every entry, newest first, at most `limit`.
    func outbox(limit: Int) async throws(StorageError) -> [OutboxEntry]

    /// Up to `limit` pending entries due at `now` and not claimed by another sender (or whose
    /// claim ran out), oldest first, now claimed by `owner` for `lease` seconds — in one
    /// transaction, so that two senders never claim the same entry. Entries `owner` claimed
    /// before are claimable at once: an owner name stands for one sender at a time (a server
    /// restarted after a crash takes up what it held).
    func claimOutbox(owner: String, now: LocalDateTime, lease: Int, limit: Int) async throws(StorageError)
        -> [OutboxEntry]

    /// Records how a claimed entry ended; `conflict` when `owner` no longer holds it.
    func finish(_ id: Int, owner: String, _ outcome: OutboxOutcome) async throws(StorageError)

    /// Records that a session's Ladung goes out and adds its entries, in one transaction;
    /// `false`, with nothing added, when it went out before (so two senders never send it twice).
    func queueLadung(_ record: LadungRecord, entries: [OutboxEntry]) async throws(StorageError) -> Bool

    /// The Ladungen of sessions on `from` or later.
    func ladungen(from: CivilDate) async throws(StorageError) -> [LadungRecord]
}

/// Answers to invitations (Zusage, Absage) and the links that give them.
public protocol ReplyStore: Sendable {
    /// Keeps the links of a message (their hashes).
    func save(_ links: [ReplyLink]) async throws(StorageError)

    /// The link with this hash, if there is one.
    func replyLink(hash: String) async throws(StorageError) -> ReplyLink?

    /// Records the answer a link gives, in one transaction with the event log: the person's
    /// earlier answer for the session is replaced. `notFound` for an unknown link.
    func answer(linkHash: String, at time: LocalDateTime) async throws(StorageError) -> Reply

    /// The answers for a session, by person.
    func replies(of session: SessionKey) async throws(StorageError) -> [Reply]

    /// Records answers that came by mail, in one transaction with the event log. An answer
    /// takes the place of the person's answer for the session unless that one says the same
    /// (answer and comment) or is newer (`time`): a replayed or late message changes nothing.
    /// Returns the answers recorded.
    func record(_ replies: [Reply]) async throws(StorageError) -> [Reply]

    /// Keeps a refused answer by mail in the event log.
    func log(_ refused: RefusedReply) async throws(StorageError)
}

extension Reply {
    /// Whether this answer takes the place of `stored` (see `ReplyStore.record`).
    public func replaces(_ stored: Reply?) -> Bool {
        guard let stored else { return true }
        if stored.answer == answer && stored.comment == comment { return false }
        return time >= stored.time
    }
}
