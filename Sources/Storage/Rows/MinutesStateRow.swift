import Coordination
import Foundation

/// A row of the `minutesState` table, as every backend keeps it;
/// `domain()` reads it back, refusing what cannot be read.
public struct MinutesStateRow: Codable, Sendable {
    public var bodyId: String
    public var seriesId: String
    public var date: String
    public var status: String
    public var time: String
    public var actor: String
    public var reason: String?

    public init(_ m: MinutesState) {
        (bodyId, seriesId, date) = (m.session.body, m.session.series, m.session.date.description)
        (status, time, actor, reason) = (m.status.rawValue, m.time.description, m.actor, m.reason)
    }

    public func domain() throws(StorageError) -> MinutesState {
        guard let day = CivilDate(iso: date), let t = LocalDateTime(iso: time),
            let s = MinutesState.Status(rawValue: status)
        else { throw .unreadable(what: "minutes state \(bodyId)/\(seriesId) \(date)", reason: "date, time or status") }
        return MinutesState(
            session: SessionKey(body: bodyId, series: seriesId, date: day), status: s, time: t, actor: actor,
            reason: reason)
    }
}
