import Coordination
import ICalendar

extension FeedBuilder {
    /// The VEVENT texts of one series: the series event, its overrides and its extra sessions.
    /// With `office`, descriptions start with that office's role in the body.
    func events(body: Body, series: Series, office: Office?) throws(ICalendarError) -> [String] {
        try events(body: body, series: series, plan: plan(body: body, series: series), office: office)
    }

    /// The sessions of a series that differ from its rule, over its whole planned life.
    func plan(body: Body, series: Series) -> [Session] {
        let zone = planner.zone(of: series)
        let firstUTC = zone.utc(forLocal: series.start.localSeconds)
        return planner.sessions(
            of: body, series: series, from: firstUTC - 400 * 86_400,
            to: planner.endOfPlanning(body, series) + 400 * 86_400, deviationsOnly: true)
    }

    /// The VEVENT texts of a series from its `plan` (see `plan(body:series:)`).
    func events(body: Body, series: Series, plan sessions: [Session], office: Office?) throws(ICalendarError)
        -> [String]
    {
        let zone = planner.zone(of: series)
        let planEnd = planner.endOfPlanning(body, series)
        let firstUTC = zone.utc(forLocal: series.start.localSeconds)
        let stamp = ICalText.utc(series.updated)
        let description = describe(body: body, series: series, office: office)
        let tzid = [ICalParameter(name: "TZID", value: series.timeZone)]
        func local(_ t: ZonedTime) -> String { t.local.basicFormat }
        func common(uid: String, sequence: Int) -> [ICalProperty] {
            [
                ICalProperty(name: "UID", value: uid),
                ICalProperty(name: "DTSTAMP", value: stamp),
                ICalProperty(name: "LAST-MODIFIED", value: stamp),
                ICalProperty(name: "SEQUENCE", value: String(sequence)),
            ]
        }
        func describing(_ session: Session, extra: String?) -> [ICalProperty] {
            var props = [ICalProperty(name: "SUMMARY", value: ICalText.escape(session.title))]
            if let location = session.location {
                props.append(ICalProperty(name: "LOCATION", value: ICalText.escape(location)))
            }
            let text = [extra, description].compactMap { $0 }.joined(separator: "\n")
            props.append(ICalProperty(name: "DESCRIPTION", value: ICalText.escape(text)))
            // One value: libical keeps only the first of a comma list read from text.
            props.append(ICalProperty(name: "CATEGORIES", value: ICalText.escape(session.kind.rawValue)))
            props += [
                ICalProperty(name: "STATUS", value: "CONFIRMED"),
                ICalProperty(name: "TRANSP", value: "OPAQUE"),
                ICalProperty(name: "CLASS", value: "PUBLIC"),
            ]
            return props
        }
        func timed(_ session: Session) -> [ICalProperty] {
            [
                ICalProperty(name: "DTSTART", parameters: tzid, value: local(session.start)),
                ICalProperty(name: "DTEND", parameters: tzid, value: local(session.end)),
            ]
        }
        var texts: [String] = []
        let uid = planner.district.uid(body: body, series: series)
        let own = sessions.filter { $0.uid == uid }
        if var rule = series.rule {
            // The series event: DTSTART as written, the rule cut at the plan's end, cancellations as EXDATE.
            let duration = Int64(series.durationMinutes * 60)
            let start = ZonedTime(utc: firstUTC, offset: zone.offset(atUTC: firstUTC))
            let end = ZonedTime(utc: firstUTC + duration, offset: zone.offset(atUTC: firstUTC + duration))
            rule = cut(rule, at: planEnd, series: series, zone: zone)
            var event = ICalComponent(name: "VEVENT", properties: common(uid: uid, sequence: series.sequence))
            event.properties += [
                ICalProperty(name: "DTSTART", parameters: tzid, value: local(start)),
                ICalProperty(name: "DTEND", parameters: tzid, value: local(end)),
                ICalProperty(name: "RRULE", value: rule.description),
            ]
            for s in own where s.status == .cancelled {
                if let rid = s.recurrenceID {
                    event.properties.append(ICalProperty(name: "EXDATE", parameters: tzid, value: local(rid)))
                }
            }
            let template = Session(
                body: body.id, series: series.id, uid: uid, recurrenceID: nil, start: start, end: end,
                timeZone: series.timeZone, status: .scheduled, title: series.title ?? body.name,
                location: series.location, kind: series.kind)
            event.properties += describing(template, extra: nil)
            texts.append(try ICalSerializer.serialize(event))
            for s in own where s.status == .moved {
                guard let rid = s.recurrenceID else { continue }
                var override = ICalComponent(name: "VEVENT", properties: common(uid: uid, sequence: series.sequence))
                override.properties.append(ICalProperty(name: "RECURRENCE-ID", parameters: tzid, value: local(rid)))
                override.properties += timed(s)
                let note =
                    "Verlegt vom \(rid.local.date.german) \(rid.local.clock)" + (s.reason.map { ": \($0)" } ?? "")
                override.properties += describing(s, extra: note)
                texts.append(try ICalSerializer.serialize(override))
            }
        } else if let s = own.first, s.status != .cancelled {
            // A series of one session: cancelled means it is left out of the feed.
            var event = ICalComponent(name: "VEVENT", properties: common(uid: uid, sequence: series.sequence))
            event.properties += timed(s)
            event.properties += describing(s, extra: s.status == .moved ? s.reason.map { "Verlegt: \($0)" } : nil)
            texts.append(try ICalSerializer.serialize(event))
        }
        for s in sessions where s.uid != uid {
            var event = ICalComponent(name: "VEVENT", properties: common(uid: s.uid, sequence: series.sequence))
            event.properties += timed(s)
            event.properties += describing(s, extra: "Zusätzliche Sitzung")
            texts.append(try ICalSerializer.serialize(event))
        }
        return texts
    }

    /// The rule as the feed states it: ending where the plan ends (the body's end or the
    /// district's horizon), so clients show no session the plan does not hold.
    func cut(_ rule: RecurrenceRule, at planEnd: Int64, series: Series, zone: ZoneRules) -> RecurrenceRule {
        var rule = rule
        let lastUTC = LocalDateTime(localSeconds: planEnd - 1)
        if let count = rule.count {
            let set = RecurrenceSet(start: .dateTime(series.start), zone: zone, rules: [rule])
            let all = set.expand(limit: count + 1).occurrences
            if all.allSatisfy({ $0.utc < planEnd }) { return rule }
            rule.count = nil
            rule.until = .utc(lastUTC)
            return rule
        }
        switch rule.until {
        case .utc(let t) where t.localSeconds < planEnd: return rule
        case .date(let d) where zone.utc(forLocal: LocalDateTime(date: d).localSeconds) < planEnd: return rule
        case .floating(let t) where zone.utc(forLocal: t.localSeconds) < planEnd: return rule
        default:
            rule.until = .utc(lastUTC)
            return rule
        }
    }

    /// The DESCRIPTION: body, kind, legal basis, agreements, and the offices with their roles.
    func describe(body: Body, series: Series, office: Office?) -> String {
        var lines: [String] = []
        if let office {
            let roles = body.members.filter { $0.office == office.id }.map { m in
                m.role.german + period(m)
            }
            lines.append("Rolle \(office.shortName): \(roles.joined(separator: "; "))")
        }
        lines.append("Gremium: \(body.name) (\(body.kind.rawValue))")
        lines.append("Art der Sitzung: \(series.kind.rawValue)")
        if !body.legalBasis.isEmpty { lines.append("Rechtsgrundlage: \(body.legalBasis.joined(separator: ", "))") }
        if !body.agreements.isEmpty { lines.append("Vereinbarungen: \(body.agreements.joined(separator: ", "))") }
        let members = body.members.map { m in
            "\(planner.district.office(m.office)?.shortName ?? m.office) (\(m.role.german)\(period(m)))"
        }
        lines.append("Beteiligte Ämter: \(members.joined(separator: ", "))")
        return lines.joined(separator: "\n")
    }

    private func period(_ m: Membership) -> String {
        switch (m.validFrom, m.validUntil) {
        case (nil, nil): return ""
        case (let from?, nil): return ", ab \(from.german)"
        case (nil, let until?): return ", bis \(until.german)"
        case (let from?, let until?): return ", \(from.german) bis \(until.german)"
        }
    }
}

extension CivilDate {
    /// `13.01.2026`, the German way of writing a date.
    var german: String { "\(pad(day, 2)).\(pad(month, 2)).\(year)" }
}

extension LocalDateTime {
    /// `14:00`.
    var clock: String { "\(pad(hour, 2)):\(pad(minute, 2))" }
}
