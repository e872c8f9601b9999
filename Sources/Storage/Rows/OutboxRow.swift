import Coordination

/// A row of the `outbox` table, as every backend keeps it.
public struct OutboxRow: Codable, Sendable {
    public var id: Int64?
    public var kind: String
    public var person: String
    public var bodyId: String
    public var seriesId: String?
    public var date: String?
    public var uid: String?
    public var created: String
    public var state: String
    public var attempts: Int
    public var nextAttempt: String
    public var lastError: String?
    public var sentAt: String?
    public var claimedBy: String?
    public var claimedUntil: String?

    public init(_ e: OutboxEntry) {
        id = e.id == 0 ? nil : Int64(e.id)
        (kind, person, bodyId, seriesId, date) = (e.kind.rawValue, e.person, e.body, e.series, e.date?.description)
        uid = e.uid
        (created, state, attempts, nextAttempt) = (
            e.created.description, e.state.rawValue, e.attempts, e.nextAttempt.description
        )
        (lastError, sentAt, claimedBy, claimedUntil) = (
            e.lastError, e.sentAt?.description, e.claimedBy, e.claimedUntil?.description
        )
    }

    public func domain() throws(StorageError) -> OutboxEntry {
        guard let k = OutboxEntry.Kind(rawValue: kind), let s = OutboxEntry.State(rawValue: state),
            let made = LocalDateTime(iso: created), let next = LocalDateTime(iso: nextAttempt)
        else { throw .unreadable(what: "outbox entry \(id ?? 0)", reason: "kind, state or time") }
        return OutboxEntry(
            id: Int(id ?? 0), kind: k, person: person, body: bodyId, series: seriesId,
            date: date.flatMap(CivilDate.init(iso:)), uid: uid, created: made, state: s, attempts: attempts,
            nextAttempt: next,
            lastError: lastError, sentAt: sentAt.flatMap(LocalDateTime.init(iso:)), claimedBy: claimedBy,
            claimedUntil: claimedUntil.flatMap(LocalDateTime.init(iso:)))
    }
}
