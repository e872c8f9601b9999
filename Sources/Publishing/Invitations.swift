import Coordination
import Foundation
import ICalendar

/// Someone named in an invitation: the organizer (the body's chair office, from the district's
/// sender mailbox) or an attendee (a member of staff holding a seat).
public struct InvitationParty: Sendable, Hashable {
    public var name: String
    public var address: String
    /// Who sends for the organizer (`SENT-BY`): the district's sender when the organizer is an
    /// office's mailbox.
    public var sentBy: String?

    public init(name: String, address: String, sentBy: String? = nil) {
        self.name = name
        self.address = address
        self.sentBy = sentBy
    }
}

/// iTIP messages (RFC 5546) made from the same events as the feeds — the same UIDs and
/// SEQUENCE, so that a calendar that both subscribes and receives invitations sees one event —
/// with METHOD, ORGANIZER and one ATTENDEE. Build them with a planner whose district states
/// cancelled sessions as EXDATEs (`cancelled_sessions: hide`): a series REQUEST carries no
/// cancelled occurrences, an instance CANCEL says that one went.
extension FeedBuilder {
    /// The person's sessions of one body as REQUESTs, one per UID (a series, a version of a
    /// series, an extra session: receivers such as Outlook and CalDAV servers take one UID per
    /// message): every series while they hold a seat, regular seats with RSVP, deputy seats for
    /// information (`ROLE=NON-PARTICIPANT`, free). Empty when the seats show no session.
    public func request(
        body: String, seats: [Seat], organizer: InvitationParty, attendee: InvitationParty
    ) throws(ICalendarError) -> [String] {
        let feed = try personalFeed(
            path: "", name: "Einladung", description: "Einladung", seats: seats, showDeputies: true,
            bodies: [body])
        guard feed.eventCount > 0 else { return [] }
        let regular = seats.contains { $0.body == body && $0.role == .regular }
        let people = try parties(organizer, attendee, regular: regular)
        return Self.perUID(
            Self.itip(feed.text, method: "REQUEST") { event in
                event.inserting(people, afterLineStarting: "UID:")
            })
    }

    /// CANCELs of every series of one body, one per UID, for a person who holds no seat there
    /// any more.
    public func cancelSeries(body id: String, organizer: InvitationParty, attendee: InvitationParty)
        throws(ICalendarError) -> [String]
    {
        guard let body = district.body(id) else { return [] }
        let events = try events(of: body).filter { !$0.contains("\r\nRECURRENCE-ID") }
        guard !events.isEmpty else { return [] }
        let people = try parties(organizer, attendee, regular: true)
        return Self.perUID(
            Self.itip(try cancellation(of: body, events), method: "CANCEL") { event in
                event.cancelled().inserting(people, afterLineStarting: "UID:")
            })
    }

    /// A CANCEL of one session (the occurrence of a series, or an extra session) for one person:
    /// the event as the feeds state a cancelled session (`cancelled_sessions: show`), with
    /// METHOD:CANCEL, ORGANIZER and ATTENDEE. `nil` when the session is not cancelled.
    public func cancelSession(
        body id: String, uid: String, recurrence: String?, organizer: InvitationParty, attendee: InvitationParty
    ) throws(ICalendarError) -> String? {
        guard let body = district.body(id) else { return nil }
        guard
            let event = try events(of: body).first(where: { e in
                e.contains("\r\nUID:\(uid)\r\n") && e.contains("\r\nSTATUS:CANCELLED\r\n")
                    && (recurrence.map { e.contains("\r\nRECURRENCE-ID") && e.contains($0) } ?? true)
            })
        else { return nil }
        let people = try parties(organizer, attendee, regular: true)
        return Self.itip(try cancellation(of: body, [event]), method: "CANCEL") {
            $0.inserting(people, afterLineStarting: "UID:")
        }
    }

    /// A CANCEL of an added session that was removed (no feed shows it any more): its UID, the
    /// series' SEQUENCE (raised by the removal), STATUS:CANCELLED.
    public func cancelRemoved(
        body id: String, uid: String, sequence: Int, organizer: InvitationParty, attendee: InvitationParty
    ) throws(ICalendarError) -> String {
        guard let body = district.body(id) else { throw .notICalendar("no body \(id)") }
        let event =
            "BEGIN:VEVENT\r\n"
            + (try ICalSerializer.contentLines([
                ICalProperty(name: "UID", value: uid),
                ICalProperty(name: "DTSTAMP", value: "19700101T000000Z"),
                ICalProperty(name: "SEQUENCE", value: String(sequence)),
                ICalProperty(name: "SUMMARY", value: ICalText.escape("Entfällt: \(body.name)")),
                ICalProperty(name: "STATUS", value: "CANCELLED"),
            ])) + (try parties(organizer, attendee, regular: true)) + "END:VEVENT\r\n"
        return Self.itip(try cancellation(of: body, [event]), method: "CANCEL") { $0 }
    }

    /// Every event of a body as its feed writes it.
    private func events(of body: Body) throws(ICalendarError) -> [String] {
        try render(try bodyTexts(of: body, tails: try Self.tails()), description: describe(body: body, office: nil))
            .map(\.text)
    }

    /// A calendar around the events of a cancellation, with the body's time zones.
    private func cancellation(of body: Body, _ events: [String]) throws(ICalendarError) -> String {
        let spec = FeedSpec(path: "", name: body.name, description: "Absage", bodies: [], office: nil)
        let whole = events.map { RenderedEvent(before: $0, description: "", after: "") }
        return calendar(
            spec, header: try fixedHeader(), bodies: [body], events: whole, zones: try zoneTexts([[body]])
        ).text
    }

    func parties(_ organizer: InvitationParty, _ attendee: InvitationParty, regular: Bool) throws(ICalendarError)
        -> String
    {
        try ICalSerializer.contentLines([
            ICalProperty(
                name: "ORGANIZER",
                parameters: [ICalParameter(name: "CN", value: organizer.name)]
                    + (organizer.sentBy.map { [ICalParameter(name: "SENT-BY", value: "mailto:\($0)")] } ?? []),
                value: "mailto:\(organizer.address)"),
            ICalProperty(
                name: "ATTENDEE",
                parameters: [
                    ICalParameter(name: "CN", value: attendee.name),
                    ICalParameter(name: "ROLE", value: regular ? "REQ-PARTICIPANT" : "NON-PARTICIPANT"),
                    ICalParameter(name: "PARTSTAT", value: "NEEDS-ACTION"),
                    ICalParameter(name: "RSVP", value: regular ? "TRUE" : "FALSE"),
                ], value: "mailto:\(attendee.address)"),
        ])
    }

    /// A feed's text as an iTIP message: METHOD after VERSION, the feed-only properties left out,
    /// each VEVENT changed by `event`.
    static func itip(_ text: String, method: String, _ event: (String) -> String) -> String {
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "BEGIN:VEVENT\r\n") {
            out += rest[..<start.lowerBound]
            guard let end = rest.range(of: "END:VEVENT\r\n", range: start.upperBound..<rest.endIndex) else { break }
            out += event(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        out += rest
        var lines: [String] = []
        var skipping = false
        for line in out.components(separatedBy: "\r\n") {
            if skipping && line.hasPrefix(" ") { continue }
            skipping = ["X-WR-", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"].contains { line.hasPrefix($0) }
            if skipping { continue }
            lines.append(line)
            if line == "VERSION:2.0" { lines.append("METHOD:\(method)") }
        }
        return lines.joined(separator: "\r\n")
    }
}

extension FeedBuilder {
    /// A calendar split into one calendar per UID, each with the header and the time zones of
    /// the whole, in the order the UIDs first appear.
    static func perUID(_ text: String) -> [String] {
        guard let first = text.range(of: "BEGIN:VEVENT\r\n"),
            let last = text.range(of: "END:VEVENT\r\n", options: .backwards)
        else { return [text] }
        let head = text[..<first.lowerBound]
        let tail = text[last.upperBound...]
        var order: [String] = []
        var groups: [String: String] = [:]
        var rest = text[first.lowerBound..<last.upperBound]
        while let start = rest.range(of: "BEGIN:VEVENT\r\n"),
            let end = rest.range(of: "END:VEVENT\r\n", range: start.upperBound..<rest.endIndex)
        {
            let event = String(rest[start.lowerBound..<end.upperBound])
            let uid = event.unfoldedValue(of: "UID") ?? ""
            if groups[uid] == nil { order.append(uid) }
            groups[uid, default: ""] += event
            rest = rest[end.upperBound...]
        }
        return order.map { head + (groups[$0] ?? "") + tail }
    }
}

extension String {
    /// The value of the first content line named `name`, unfolded.
    func unfoldedValue(of name: String) -> String? {
        let unfolded = replacingOccurrences(of: "\r\n ", with: "")
        guard let at = unfolded.range(of: "\r\n\(name):") ?? unfolded.range(of: "\(name):", options: .anchored)
        else { return nil }
        let end = unfolded.range(of: "\r\n", range: at.upperBound..<unfolded.endIndex)?.lowerBound ?? unfolded.endIndex
        return String(unfolded[at.upperBound..<end])
    }

    /// The event with `lines` (CRLF-terminated content lines) after its first line starting with `prefix`.
    func inserting(_ lines: String, afterLineStarting prefix: String) -> String {
        guard let at = range(of: "\r\n" + prefix) else { return self }
        guard let end = range(of: "\r\n", range: at.upperBound..<endIndex) else { return self }
        var copy = self
        copy.insert(contentsOf: lines, at: end.upperBound)
        return copy
    }

    /// The event as a cancelled one: STATUS:CANCELLED, SEQUENCE raised by one.
    func cancelled() -> String {
        var lines = components(separatedBy: "\r\n").filter { !$0.hasPrefix("STATUS:") && !$0.hasPrefix("TRANSP:") }
        for i in lines.indices where lines[i].hasPrefix("SEQUENCE:") {
            lines[i] = "SEQUENCE:\((Int(lines[i].dropFirst(9)) ?? 0) + 1)"
        }
        if let end = lines.firstIndex(of: "END:VEVENT") { lines.insert("STATUS:CANCELLED", at: end) }
        return lines.joined(separator: "\r\n")
    }
}
