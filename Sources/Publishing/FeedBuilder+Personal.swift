import Coordination
import ICalendar

extension FeedBuilder {
    /// A member of staff's own calendar: the sessions of the bodies they hold a seat in, while
    /// they hold it. Regular seats show as usual (busy); deputy seats, when `showDeputies`, as
    /// free events titled "Vertretung: …" (a body in which they also hold a regular seat shows
    /// only that). A person without seats gets a valid calendar without events.
    public func personalFeed(
        path: String, name: String, description: String, seats: [Seat], showDeputies: Bool,
        bodies only: Set<String>? = nil
    ) throws(ICalendarError) -> Feed {
        let tails = try Self.tails()
        var events: [RenderedEvent] = []
        var shown: [Body] = []
        for body in district.bodies where only?.contains(body.id) ?? true {
            let own = seats.filter { $0.body == body.id }
            let regular = own.filter { $0.role == .regular }
            let deputy = showDeputies && regular.isEmpty ? own.filter { $0.role == .deputy } : []
            let held = regular.isEmpty ? deputy : regular
            guard let first = held.first, let view = periodView(of: body, periods: held) else { continue }
            shown.append(body)
            let office = district.office(first.office)
            let seat =
                regular.isEmpty
                ? "Ihr Sitz: Vertretung (\(first.rank). Vertretung für \(office?.shortName ?? first.office))"
                : "Ihr Sitz: Mitglied für \(office?.shortName ?? first.office)"
            let texts = try bodyTexts(of: view, tails: tails, deputy: regular.isEmpty)
            events += try render(texts, description: seat + "\n" + describe(body: body, office: office))
        }
        let spec = FeedSpec(path: path, name: name, description: description, bodies: [], office: nil)
        return calendar(
            spec, header: try fixedHeader(), bodies: shown, events: events, zones: try zoneTexts([shown]))
    }
}
