import Coordination
import Foundation
import ICalendar

/// Builds the district's feeds: one for all sessions, one per body, one per office.
///
/// A series becomes one VEVENT with RRULE (cut at the plan's end), its cancelled sessions become
/// EXDATEs (Outlook shows STATUS:CANCELLED overrides as happening; EXDATE hides them everywhere),
/// its moved sessions RECURRENCE-ID overrides, its extra sessions VEVENTs of their own. Nothing
/// depends on the clock: DTSTAMP and LAST-MODIFIED are the series' `updated`, so the same input
/// gives the same bytes. No staff names: feeds name bodies and offices only.
///
/// Every content line is written by libical (a line that recurs, on the same thread, once:
/// `ContentLineMemo`); each series is planned and written once, and only its DESCRIPTION is
/// written again for each office feed that shows it.
public struct FeedBuilder: Sendable {
    public let planner: SessionPlanner
    var district: District { planner.district }
    /// The server's address (`--public-url`): when known, each DESCRIPTION links to the page of
    /// the session (or, for a series, of the body).
    public var publicURL: String?
    /// The items added to single sessions' agendas: such a session is stated on its own (an
    /// override), with the standing items and these in its DESCRIPTION.
    public var agendas: [SessionKey: [String]]

    public init(planner: SessionPlanner, publicURL: String? = nil, agendas: [SessionKey: [String]] = [:]) {
        self.planner = planner
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.agendas = agendas.filter { !$0.value.isEmpty }
    }

    /// All feeds, in a fixed order: `all.ics`, then bodies, then offices, each by id.
    ///
    /// Bodies are planned and written on every core (each series on its own); the feeds are then
    /// assembled from those texts, again in parallel. The result does not depend on the order.
    public func feeds() throws(ICalendarError) -> [Feed] {
        let bodies = district.bodies
        let tails = try Self.tails()
        let header = try fixedHeader()
        // Per body: its events' texts, their public VEVENTs, its public description as TEXT.
        let perBody = ParallelResults<([EventText], [RenderedEvent], String), ICalendarError>(count: bodies.count)
        perBody.run(bodies.count, state: { ContentLineMemo() }) { i, memo throws(ICalendarError) in
            let body = bodies[i]
            let texts = try bodyTexts(of: body, tails: tails, memo: memo)
            let description = ICalText.escape(describe(body))
            return (texts, try render(texts, escapedDescription: description), description)
        }
        let built = try perBody.values()
        var specs: [FeedSpec] = [
            FeedSpec(
                path: "all.ics", name: "Gremien \(district.name) – alle Sitzungen",
                description: "Alle Sitzungen der Gremien im \(district.name)", bodies: Array(bodies.indices),
                office: nil)
        ]
        for (i, body) in bodies.enumerated() {
            specs.append(
                FeedSpec(
                    path: "bodies/\(body.id).ics", name: body.name, description: "Sitzungen: \(body.name)", bodies: [i],
                    office: nil))
        }
        for office in district.offices {
            specs.append(
                FeedSpec(
                    path: "offices/\(office.id).ics", name: "Gremien – \(office.shortName)",
                    description: "Sitzungen der Gremien, in denen \(office.name) mitwirkt",
                    bodies: bodies.indices.filter { bodies[$0].members.contains { $0.office == office.id } },
                    office: office))
        }
        // Each body's zones once; each feed's the earliest of its bodies'.
        let bodyYears = bodies.map(zoneYears)
        let years = specs.map { spec in firstYears(merging: spec.bodies.map { bodyYears[$0] }) }
        let zones = try zoneTexts(years: years)
        let allSpecs = specs
        // The office feeds first, most bodies first (each event's description is written for
        // the office), then all.ics and the bodies' feeds, which are put together from texts.
        func weight(_ n: Int) -> Int { specs[n].office == nil ? -1 : specs[n].bodies.count }
        let order = specs.indices.sorted { a, b in (weight(a), b) > (weight(b), a) }
        let feeds = ParallelResults<Feed, ICalendarError>(count: allSpecs.count)
        feeds.run(allSpecs.count, order: order, state: { ContentLineMemo() }) { n, memo throws(ICalendarError) in
            let spec = allSpecs[n]
            var events: [RenderedEvent] = []
            for i in spec.bodies {
                if let office = spec.office {
                    let body = bodies[i]
                    guard let view = seatView(of: body, for: office.id) else { continue }
                    let texts = view == body ? built[i].0 : try bodyTexts(of: view, tails: tails, memo: memo)
                    let description = ICalText.escape(role(of: office, in: body)) + "\\n" + built[i].2
                    events += try render(texts, escapedDescription: description)
                } else {
                    events += built[i].1
                }
            }
            return calendar(spec, header: header, years: years[n], events: events, zones: zones)
        }
        return try feeds.values()
    }

    /// One office's view of some of its bodies, under its own name: a member of staff's private
    /// feed (`/feeds/personal/…`), with the office's role in each body.
    public func feed(
        path: String, name: String, description: String, office: Office, bodies ids: [String]
    ) throws(ICalendarError) -> Feed {
        let bodies = district.bodies.filter { ids.contains($0.id) }
        let tails = try Self.tails()
        var events: [RenderedEvent] = []
        for body in bodies {
            guard let view = seatView(of: body, for: office.id) else { continue }
            events += try render(
                try bodyTexts(of: view, tails: tails), description: describe(body: body, office: office))
        }
        let spec = FeedSpec(
            path: path, name: name, description: description, bodies: Array(bodies.indices), office: office)
        return calendar(
            spec, header: try fixedHeader(), bodies: bodies, events: events, zones: try zoneTexts([bodies]))
    }

    /// The event texts of every series of `body`, in order, each version of a series (a sync
    /// changed its time, place or text) as events of its own.
    /// With `deputy`, as a deputy's calendar shows them: free, "Vertretung: …".
    func bodyTexts(
        of body: Body, tails: [Series.MeetingKind: String], deputy: Bool = false, memo: ContentLineMemo? = nil
    ) throws(ICalendarError) -> [EventText] {
        var texts: [EventText] = []
        for series in body.series {
            for version in planner.versions(of: series) {
                texts += try eventTexts(
                    body: body, series: version, plan: plan(body: body, series: version), tails: tails, deputy: deputy,
                    memo: memo)
            }
        }
        return texts
    }

    /// What one feed holds: its path and names, the bodies (by index) and the office whose view it is.
    struct FeedSpec: Sendable {
        var path: String
        var name: String
        var description: String
        var bodies: [Int]
        var office: Office?
    }

    /// The VTIMEZONE text of each TZID a feed uses, from the year before its earliest start so
    /// that every DTSTART lies after an observance; keyed by feed-independent `"TZID year"`.
    func zoneTexts(_ feeds: [[Body]]) throws(ICalendarError) -> [String: String] {
        try zoneTexts(years: feeds.map(firstYears))
    }

    /// The VTIMEZONE texts for feeds whose `firstYears` are given.
    func zoneTexts(years feeds: [[(String, Int)]]) throws(ICalendarError) -> [String: String] {
        var texts: [String: String] = [:]
        for years in feeds {
            for (tzid, year) in years where texts["\(tzid) \(year)"] == nil {
                // The planner resolved every TZID of the district when it was made.
                guard let rules = planner.zone(ofTimeZone: tzid) else { throw .unknownTimeZone(tzid) }
                texts["\(tzid) \(year)"] = try ICalSerializer.serialize(rules.vtimezone(sinceYear: year))
            }
        }
        return texts
    }

    /// The TZIDs of these bodies' series with the year before each one's earliest start, by TZID.
    private func firstYears(_ bodies: [Body]) -> [(String, Int)] { firstYears(merging: bodies.map(zoneYears)) }

    /// The years of several bodies (`zoneYears`) together: the earliest per TZID, by TZID,
    /// without UTC (which needs no VTIMEZONE); the district's zone when there is none.
    func firstYears(merging years: [[String: Int]]) -> [(String, Int)] {
        var first: [String: Int] = [:]
        for one in years { first.merge(one, uniquingKeysWith: min) }
        if first.isEmpty { first[district.defaultTimeZone] = district.planUntil.year }
        return first.sorted { $0.key < $1.key }.filter { $0.key != "UTC" }
    }

    /// The TZIDs of a body's series (every version) with the year before each one's earliest
    /// start, added or moved session: every DTSTART then lies after an observance.
    func zoneYears(_ body: Body) -> [String: Int] {
        var first: [String: Int] = [:]
        for series in body.series.flatMap({ s in [s] + s.earlier.map(s.asVersion) }) {
            var year = series.start.date.year
            for case .add(let add) in series.exceptions { year = min(year, add.start.date.year) }
            for case .move(let move) in series.exceptions { year = min(year, move.to.date.year) }
            first[series.timeZone] = min(first[series.timeZone] ?? Int.max, year - 1)
        }
        return first
    }

    /// The calendar properties every feed shares, written once: PRODID, VERSION, CALSCALE,
    /// X-WR-TIMEZONE, REFRESH-INTERVAL and X-PUBLISHED-TTL.
    ///
    /// No METHOD: a subscribed feed is not an iTIP message (RFC 5546), and METHOD:PUBLISH would
    /// require an ORGANIZER in every event (libical's `icalrestriction_check` says so for each),
    /// which a public list of sessions has no one to name; Outlook, Thunderbird, Apple and Google
    /// Calendar subscribe to feeds without METHOD. Invitations (iTIP) carry METHOD and ORGANIZER.
    func fixedHeader() throws(ICalendarError) -> (before: String, after: String) {
        let minutes = district.refreshMinutes
        let refresh = "PT\(minutes / 60)H" + (minutes % 60 == 0 ? "" : "\(minutes % 60)M")
        let before = try ICalSerializer.contentLines([
            ICalProperty(name: "PRODID", value: "-//\(ICalText.escape(district.name))//Gremien//DE"),
            ICalProperty(name: "VERSION", value: "2.0"),
            ICalProperty(name: "CALSCALE", value: "GREGORIAN"),
        ])
        let after = try ICalSerializer.contentLines([
            ICalProperty(name: "X-WR-TIMEZONE", value: district.defaultTimeZone),
            ICalProperty(
                name: "REFRESH-INTERVAL", parameters: [ICalParameter(name: "VALUE", value: "DURATION")], value: refresh),
            ICalProperty(name: "X-PUBLISHED-TTL", value: refresh),
        ])
        return (before, after)
    }

    /// A VCALENDAR with the feed properties and one VTIMEZONE per TZID used, around `events`.
    func calendar(
        _ spec: FeedSpec, header: (before: String, after: String), bodies: [Body], events: [RenderedEvent],
        zones: [String: String]
    ) -> Feed {
        calendar(spec, header: header, years: firstYears(bodies), events: events, zones: zones)
    }

    /// A VCALENDAR around `events` with the VTIMEZONEs of `years` (`firstYears`).
    func calendar(
        _ spec: FeedSpec, header: (before: String, after: String), years: [(String, Int)], events: [RenderedEvent],
        zones: [String: String]
    ) -> Feed {
        // Written here: libical would write their TEXT unescaped.
        let names =
            ICalSerializer.foldedLine("X-WR-CALNAME", ICalText.escape(spec.name))
            + ICalSerializer.foldedLine("X-WR-CALDESC", ICalText.escape(spec.description))
        var parts = ["BEGIN:VCALENDAR\r\n", header.before + names + header.after]
        parts.reserveCapacity(parts.count + years.count + 3 * events.count + 1)
        parts += years.map { zones["\($0.0) \($0.1)"] ?? "" }
        for event in events {
            parts.append(event.before)
            parts.append(event.description)
            parts.append(event.after)
        }
        parts.append("END:VCALENDAR\r\n")
        return Feed(path: spec.path, parts: parts, eventCount: events.count)
    }
}
