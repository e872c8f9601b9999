import Coordination
import ICalendar

/// Builds the district's feeds: one for all sessions, one per body, one per office.
///
/// A series becomes one VEVENT with RRULE (cut at the plan's end), its cancelled sessions become
/// EXDATEs (Outlook shows STATUS:CANCELLED overrides as happening; EXDATE hides them everywhere),
/// its moved sessions RECURRENCE-ID overrides, its extra sessions VEVENTs of their own. Nothing
/// depends on the clock: DTSTAMP and LAST-MODIFIED are the series' `updated`, so the same input
/// gives the same bytes. No staff names: feeds name bodies and offices only.
public struct FeedBuilder {
    public let planner: SessionPlanner
    var district: District { planner.district }

    public init(planner: SessionPlanner) {
        self.planner = planner
    }

    /// All feeds, in a fixed order: `all.ics`, then bodies, then offices, each by id.
    public func feeds() throws(ICalendarError) -> [Feed] {
        // The public events of each body, serialised once and shared by `all` and the body feed.
        // The plan of each series is made once and shared by every feed that shows it.
        var publicEvents: [String: [String]] = [:]
        var plans: [String: [[Session]]] = [:]
        for body in district.bodies {
            var texts: [String] = []
            let bodyPlans = body.series.map { plan(body: body, series: $0) }
            for (series, plan) in zip(body.series, bodyPlans) {
                texts += try events(body: body, series: series, plan: plan, office: nil)
            }
            publicEvents[body.id] = texts
            plans[body.id] = bodyPlans
        }
        var feeds: [Feed] = []
        feeds.append(
            try calendar(
                path: "all.ics", name: "Gremien \(district.name) – alle Sitzungen",
                description: "Alle Sitzungen der Gremien im \(district.name)", bodies: district.bodies,
                events: district.bodies.flatMap { publicEvents[$0.id] ?? [] }))
        for body in district.bodies {
            feeds.append(
                try calendar(
                    path: "bodies/\(body.id).ics", name: body.name, description: "Sitzungen: \(body.name)",
                    bodies: [body], events: publicEvents[body.id] ?? []))
        }
        for office in district.offices {
            let bodies = district.bodies.filter { $0.members.contains { $0.office == office.id } }
            var events: [String] = []
            for body in bodies {
                for (series, plan) in zip(body.series, plans[body.id] ?? []) {
                    events += try self.events(body: body, series: series, plan: plan, office: office)
                }
            }
            feeds.append(
                try calendar(
                    path: "offices/\(office.id).ics", name: "Gremien – \(office.shortName)",
                    description: "Sitzungen der Gremien, in denen \(office.name) mitwirkt", bodies: bodies,
                    events: events))
        }
        return feeds
    }

    /// A VCALENDAR with the feed properties and one VTIMEZONE per TZID used, around `events`.
    private func calendar(path: String, name: String, description: String, bodies: [Body], events: [String])
        throws(ICalendarError) -> Feed
    {
        let refresh =
            "PT\(district.refreshMinutes / 60)H"
            + (district.refreshMinutes % 60 == 0 ? "" : "\(district.refreshMinutes % 60)M")
        var cal = ICalComponent(
            name: "VCALENDAR",
            properties: [
                ICalProperty(name: "PRODID", value: "-//\(ICalText.escape(district.name))//Gremien//DE"),
                ICalProperty(name: "VERSION", value: "2.0"),
                ICalProperty(name: "CALSCALE", value: "GREGORIAN"),
                ICalProperty(name: "METHOD", value: "PUBLISH"),
                ICalProperty(name: "X-WR-CALNAME", value: ICalText.escape(name)),
                ICalProperty(name: "X-WR-CALDESC", value: ICalText.escape(description)),
                ICalProperty(name: "X-WR-TIMEZONE", value: district.defaultTimeZone),
                ICalProperty(
                    name: "REFRESH-INTERVAL", parameters: [ICalParameter(name: "VALUE", value: "DURATION")],
                    value: refresh),
                ICalProperty(name: "X-PUBLISHED-TTL", value: refresh),
            ])
        // Each zone from the year before its earliest start, so every DTSTART lies after an observance.
        var zones: [String: Int] = [:]
        for body in bodies {
            for series in body.series {
                var year = series.start.date.year
                for case .add(let add) in series.exceptions { year = min(year, add.start.date.year) }
                for case .move(let move) in series.exceptions { year = min(year, move.to.date.year) }
                zones[series.timeZone] = min(zones[series.timeZone] ?? Int.max, year - 1)
            }
        }
        if zones.isEmpty { zones[district.defaultTimeZone] = district.planUntil.year }
        for (tzid, year) in zones.sorted(by: { $0.key < $1.key }) where tzid != "UTC" {
            var rules = planner.zone(ofTimeZone: tzid)
            if rules == nil { rules = try SystemTimeZones.rules(for: tzid) }
            guard let rules else { continue }
            cal.components.append(rules.vtimezone(sinceYear: year))
        }
        let shell = try ICalSerializer.serialize(cal)
        let end = "END:VCALENDAR\r\n"
        guard shell.hasSuffix(end) else {
            throw .cannotBuild(property: "VCALENDAR", reason: "unexpected text from libical")
        }
        // Cut on bytes: "\r\n" is one Character in Swift, so counting Characters would cut too much.
        var text = String(decoding: shell.utf8.dropLast(end.utf8.count), as: UTF8.self)
        text.reserveCapacity(text.utf8.count + events.reduce(0) { $0 + $1.utf8.count } + end.utf8.count)
        for event in events { text += event }
        text += end
        return Feed(path: path, text: text, eventCount: events.count)
    }
}
