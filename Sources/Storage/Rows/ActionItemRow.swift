import Coordination
import Foundation

/// A row of the `actionItem` table, as every backend keeps it;
/// `domain()` reads it back, refusing what cannot be read.
public struct ActionItemRow: Codable, Sendable {
    public var id: Int64?
    public var bodyId: String
    public var seriesId: String
    public var date: String
    public var text: String
    public var office: String
    public var due: String?
    public var done: String?
    public var agendaItem: Int?

    public init(_ a: ActionItem) {
        agendaItem = a.agendaItem
        id = a.id.map(Int64.init)
        (bodyId, seriesId, date) = (a.session.body, a.session.series, a.session.date.description)
        (text, office, due, done) = (a.text, a.office, a.due?.description, a.done?.description)
    }

    public func domain() throws(StorageError) -> ActionItem {
        guard let day = CivilDate(iso: date) else {
            throw .unreadable(what: "action item \(id ?? 0)", reason: "date '\(date)'")
        }
        return ActionItem(
            id: id.map(Int.init), session: SessionKey(body: bodyId, series: seriesId, date: day), text: text,
            office: office,
            due: due.flatMap(CivilDate.init(iso:)), done: done.flatMap(LocalDateTime.init(iso:)), agendaItem: agendaItem
        )
    }
}
