import Coordination
import ICalendar

/// Builds the district's feeds: one for all sessions, one per body, one per office.
///
/// A series becomes one VEVENT with RRULE (cut at the plan's end), its cancelled sessions become
/// EXDATEs (Outlook shows STATUS:CANCELLED overrides as happening; EXDATE hides them everywhere),
/// its moved sessions RECURRENCE-ID overrides, its extra sessions VEVENTs of their own. Nothing
/// depends on the clock: DTSTAMP and LAST-MODIFIED are the series' `updated`, so the same input
/// gives the same bytes. No staff names: feeds name bodies and offices only.
///
/// Every content line is written by libical; each series is planned and written once, and
/// only its DESCRIPTION is written again for each office feed that shows it.
public struct FeedBuilder {
    public let planner: SessionPlanner
    var district: District { planner.district }

    public init(planner: SessionPlanner) {
        self.planner = planner
    }

    /// All feeds, in a fixed order: `all.ics`, then bodies, then offices, each by id.
    public func feeds() throws(ICalendarError) -> [Feed] {
        var texts: [String: [[EventText]]] = [:]
        var publicEvents: [String: [String]] = [:]
        for body in district.bodies {
            var bodyTexts: [[EventText]] = []
            var events: [String] = []
            for series in body.series {
                let t = try eventTexts(body: body, series: series, plan: plan(body: body, series: series))
                events += try render(t, description: describe(body: body, series: series, office: nil))
                bodyTexts.append(t)
            }
            texts[body.id] = bodyTexts
            publicEvents[body.id] = events
        }
        var zones = ZoneTexts()
        var feeds: [Feed] = []
        feeds.append(
            try calendar(
                path: "all.ics", name: "Gremien \(district.name) – alle Sitzungen",
                description: "Alle Sitzungen der Gremien im \(district.name)", bodies: district.bodies,
                events: district.bodies.flatMap { publicEvents[$0.id] ?? [] }, zones: &zones))
        for body in district.bodies {
            feeds.append(
                try calendar(
                    path: "bodies/\(body.id).ics", name: body.name, description: "Sitzungen: \(body.name)",
                    bodies: [body], events: publicEvents[body.id] ?? [], zones: &zones))
        }
        for office in district.offices {
            let bodies = district.bodies.filter { $0.members.contains { $0.office == office.id } }
            var events: [String] = []
            for body in bodies {
                for (series, t) in zip(body.series, texts[body.id] ?? []) {
                    events += try render(t, description: describe(body: body, series: series, office: office))
                }
            }
            feeds.append(
                try calendar(
                    path: "offices/\(office.id).ics", name: "Gremien – \(office.shortName)",
                    description: "Sitzungen der Gremien, in denen \(office.name) mitwirkt", bodies: bodies,
                    events: events, zones: &zones))
        }
        return feeds
    }

    /// The VTIMEZONE texts written so far, by TZID and first year.
    struct ZoneTexts {
        var texts: [String: String] = [:]
    }

    /// A VCALENDAR with the feed properties and one VTIMEZONE per TZID used, around `events`.
    private func calendar(
        path: String, name: String, description: String, bodies: [Body], events: [String], zones: inout ZoneTexts
    ) throws(ICalendarError) -> Feed {
        let minutes = district.refreshMinutes
        let refresh = "PT\(minutes / 60)H" + (minutes % 60 == 0 ? "" : "\(minutes % 60)M")
        let header = try ICalSerializer.contentLines([
            ICalProperty(name: "PRODID", value: "-//\(ICalText.escape(district.name))//Gremien//DE"),
            ICalProperty(name: "VERSION", value: "2.0"),
            ICalProperty(name: "CALSCALE", value: "GREGORIAN"),
            ICalProperty(name: "METHOD", value: "PUBLISH"),
            ICalProperty(name: "X-WR-CALNAME", value: ICalText.escape(name)),
            ICalProperty(name: "X-WR-CALDESC", value: ICalText.escape(description)),
            ICalProperty(name: "X-WR-TIMEZONE", value: district.defaultTimeZone),
            ICalProperty(
                name: "REFRESH-INTERVAL", parameters: [ICalParameter(name: "VALUE", value: "DURATION")], value: refresh),
            ICalProperty(name: "X-PUBLISHED-TTL", value: refresh),
        ])
        // Each zone from the year before its earliest start, so every DTSTART lies after an observance.
        var first: [String: Int] = [:]
        for body in bodies {
            for series in body.series {
                var year = series.start.date.year
                for case .add(let add) in series.exceptions { year = min(year, add.start.date.year) }
                for case .move(let move) in series.exceptions { year = min(year, move.to.date.year) }
                first[series.timeZone] = min(first[series.timeZone] ?? Int.max, year - 1)
            }
        }
        if first.isEmpty { first[district.defaultTimeZone] = district.planUntil.year }
        var text = "BEGIN:VCALENDAR\r\n" + header
        for (tzid, year) in first.sorted(by: { $0.key < $1.key }) where tzid != "UTC" {
            let key = "\(tzid) \(year)"
            if zones.texts[key] == nil {
                var rules = planner.zone(ofTimeZone: tzid)
                if rules == nil { rules = try SystemTimeZones.rules(for: tzid) }
                guard let rules else { continue }
                zones.texts[key] = try ICalSerializer.serialize(rules.vtimezone(sinceYear: year))
            }
            text += zones.texts[key] ?? ""
        }
        for event in events { text += event }
        text += "END:VCALENDAR\r\n"
        return Feed(path: path, text: text, eventCount: events.count)
    }
}
