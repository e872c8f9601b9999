import Coordination
import Foundation

/// A row of the `sessionChange` table, as every backend keeps it;
/// `domain()` reads it back, refusing what cannot be read.
public struct SessionChangeRow: Codable, Sendable {
    public var id: Int64?
    public var bodyId: String
    public var seriesId: String
    public var exception: SeriesException
    public var time: String
    public var actor: String

    public init(_ c: SessionChange) {
        (bodyId, seriesId, exception, time, actor) = (c.body, c.series, c.exception, c.time.description, c.actor)
    }

    public func domain() throws(StorageError) -> SessionChange {
        guard let t = LocalDateTime(iso: time) else {
            throw .unreadable(what: "session change \(id ?? 0)", reason: "time '\(time)'")
        }
        return SessionChange(body: bodyId, series: seriesId, exception: exception, time: t, actor: actor)
    }
}
