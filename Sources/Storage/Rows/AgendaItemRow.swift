import Coordination
import Foundation

/// A row of the `agendaItem` table, as every backend keeps it;
/// `domain()` reads it back, refusing what cannot be read.
public struct AgendaItemRow: Codable, Sendable {
    public var id: Int64?
    public var bodyId: String
    public var seriesId: String
    public var date: String
    public var text: String

    public init(_ a: AgendaItem) {
        (bodyId, seriesId, date, text) = (a.session.body, a.session.series, a.session.date.description, a.text)
    }

    public func domain() throws(StorageError) -> AgendaItem {
        guard let day = CivilDate(iso: date) else {
            throw .unreadable(what: "agenda item \(id ?? 0)", reason: "date '\(date)'")
        }
        return AgendaItem(session: SessionKey(body: bodyId, series: seriesId, date: day), text: text)
    }
}
