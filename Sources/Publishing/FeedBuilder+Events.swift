import Coordination
import ICalendar

/// A VEVENT's text split around its DESCRIPTION: the public feeds and each office's feed show
/// the same event with a different description, so only that property is written anew.
struct EventText {
    /// `BEGIN:VEVENT` and the content lines before DESCRIPTION.
    var before: String
    /// Lines that open the description of this event (a move, an extra session).
    var note: String?
    /// The content lines after DESCRIPTION and `END:VEVENT`.
    var after: String
}

extension FeedBuilder {
    /// The sessions of a series that differ from its rule, over its whole planned life.
    func plan(body: Body, series: Series) -> [Session] {
        let zone = planner.zone(of: series)
        let firstUTC = zone.utc(forLocal: series.start.localSeconds)
        return planner.sessions(
            of: body, series: series, from: firstUTC - 400 * 86_400,
            to: planner.endOfPlanning(body, series) + 400 * 86_400, deviationsOnly: true)
    }

    /// The events of a series from its `plan`: the series event (RRULE cut at the plan's end,
    /// cancellations as EXDATE), one RECURRENCE-ID override per moved session, and a VEVENT of
    /// its own per extra session.
    func eventTexts(body: Body, series: Series, plan sessions: [Session], tails: [Series.MeetingKind: String])
        throws(ICalendarError) -> [EventText]
    {
        let zone = planner.zone(of: series)
        let planEnd = planner.endOfPlanning(body, series)
        let firstUTC = zone.utc(forLocal: series.start.localSeconds)
        let stamp = ICalText.utc(series.updated)
        let tzid = [ICalParameter(name: "TZID", value: series.timeZone)]
        func local(_ t: ZonedTime) -> String { t.local.basicFormat }
        func common(uid: String) -> [ICalProperty] {
            [
                ICalProperty(name: "UID", value: uid),
                ICalProperty(name: "DTSTAMP", value: stamp),
                ICalProperty(name: "LAST-MODIFIED", value: stamp),
                ICalProperty(name: "SEQUENCE", value: String(series.sequence)),
            ]
        }
        func timed(_ session: Session) -> [ICalProperty] {
            [
                ICalProperty(name: "DTSTART", parameters: tzid, value: local(session.start)),
                ICalProperty(name: "DTEND", parameters: tzid, value: local(session.end)),
            ]
        }
        func text(_ head: [ICalProperty], _ session: Session, note: String?) throws(ICalendarError) -> EventText {
            var titled = [ICalProperty(name: "SUMMARY", value: ICalText.escape(session.title))]
            if let location = session.location {
                titled.append(ICalProperty(name: "LOCATION", value: ICalText.escape(location)))
            }
            var tail = tails[session.kind]
            if tail == nil { tail = try Self.tail(session.kind) }
            return EventText(
                before: "BEGIN:VEVENT\r\n" + (try ICalSerializer.contentLines(head + titled)), note: note,
                after: (tail ?? "") + "END:VEVENT\r\n")
        }
        var texts: [EventText] = []
        let uid = planner.district.uid(body: body, series: series)
        let own = sessions.filter { $0.uid == uid }
        if let rule = series.rule {
            let duration = Int64(series.durationMinutes * 60)
            let start = ZonedTime(utc: firstUTC, offset: zone.offset(atUTC: firstUTC))
            let end = ZonedTime(utc: firstUTC + duration, offset: zone.offset(atUTC: firstUTC + duration))
            var head = common(uid: uid)
            head += [
                ICalProperty(name: "DTSTART", parameters: tzid, value: local(start)),
                ICalProperty(name: "DTEND", parameters: tzid, value: local(end)),
                ICalProperty(name: "RRULE", value: cut(rule, at: planEnd, series: series, zone: zone).description),
            ]
            for s in own where s.status == .cancelled {
                if let rid = s.recurrenceID {
                    head.append(ICalProperty(name: "EXDATE", parameters: tzid, value: local(rid)))
                }
            }
            let template = Session(
                body: body.id, series: series.id, uid: uid, recurrenceID: nil, start: start, end: end,
                timeZone: series.timeZone, status: .scheduled, title: series.title ?? body.name,
                location: series.location, kind: series.kind)
            texts.append(try text(head, template, note: nil))
            for s in own where s.status == .moved {
                guard let rid = s.recurrenceID else { continue }
                let head = common(uid: uid) + [ICalProperty(name: "RECURRENCE-ID", parameters: tzid, value: local(rid))]
                let note =
                    "Verlegt vom \(rid.local.date.german) \(rid.local.clock)" + (s.reason.map { ": \($0)" } ?? "")
                texts.append(try text(head + timed(s), s, note: note))
            }
        } else if let s = own.first, s.status != .cancelled {
            // A series of one session: cancelled means it is left out of the feed.
            let note = s.status == .moved ? s.reason.map { "Verlegt: \($0)" } : nil
            texts.append(try text(common(uid: uid) + timed(s), s, note: note))
        }
        // Extra sessions; a cancelled one is left out, like a cancelled session of the rule.
        for s in sessions where s.uid != uid && s.status != .cancelled {
            let note =
                "Zusätzliche Sitzung" + (s.status == .moved ? (s.reason.map { "; verlegt: \($0)" } ?? "; verlegt") : "")
            texts.append(try text(common(uid: s.uid) + timed(s), s, note: note))
        }
        return texts
    }

    /// The content lines after DESCRIPTION, the same for every event of a kind of meeting.
    static func tail(_ kind: Series.MeetingKind) throws(ICalendarError) -> String {
        try ICalSerializer.contentLines([
            // One value: libical keeps only the first of a comma list read from text.
            ICalProperty(name: "CATEGORIES", value: ICalText.escape(kind.rawValue)),
            ICalProperty(name: "STATUS", value: "CONFIRMED"),
            ICalProperty(name: "TRANSP", value: "OPAQUE"),
            ICalProperty(name: "CLASS", value: "PUBLIC"),
        ])
    }

    /// The tails of every kind of meeting, written once per run.
    static func tails() throws(ICalendarError) -> [Series.MeetingKind: String] {
        var tails: [Series.MeetingKind: String] = [:]
        for kind in Series.MeetingKind.allCases { tails[kind] = try tail(kind) }
        return tails
    }

    /// The VEVENTs as one feed shows them: with `description` (public, or an office's view).
    func render(_ texts: [EventText], description: String) throws(ICalendarError) -> [String] {
        var out: [String] = []
        out.reserveCapacity(texts.count)
        for t in texts {
            let full = t.note.map { $0 + "\n" + description } ?? description
            let line = try ICalSerializer.contentLines([
                ICalProperty(name: "DESCRIPTION", value: ICalText.escape(full))
            ])
            out.append(t.before + line + t.after)
        }
        return out
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

    /// The DESCRIPTION: body, kind, legal basis, agreements, and the offices with their roles;
    /// with `office`, it opens with that office's role in the body.
    func describe(body: Body, series: Series, office: Office?) -> String {
        var lines: [String] = []
        if let office {
            let roles = body.members.filter { $0.office == office.id }.map { m in m.role.german + period(m) }
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

extension FeedBuilder {
    /// A body as an office's feed shows it: only while the office holds a seat in it. The body
    /// ends with the office's last seat (its RRULE is cut there, as at the body's end), and a
    /// series begins with the first session on or after the office's first seat. Seats with a
    /// gap between them show the sessions of the gap too. `nil`: the office never had a seat.
    func seatView(of body: Body, for office: String) -> Body? {
        let seats = body.members.filter { $0.office == office }
        guard !seats.isEmpty else { return nil }
        var view = body
        if seats.allSatisfy({ $0.validUntil != nil }), let last = seats.compactMap(\.validUntil).max() {
            view.validUntil = min(body.validUntil ?? last, last)
        }
        guard seats.allSatisfy({ $0.validFrom != nil }), let first = seats.compactMap(\.validFrom).min() else {
            return view
        }
        view.series = body.series.compactMap { series in
            if series.start.date >= first { return series }
            var shifted = series
            // Exceptions of days before the seat do not concern the office.
            shifted.exceptions = series.exceptions.filter { exception in
                switch exception {
                case .cancel(let date, _), .reinstate(let date, _): return date >= first
                case .move(let move): return move.date >= first
                case .add(let add): return add.start.date >= first
                case .remove: return true
                }
            }
            guard let rule = series.rule else { return nil }
            let zone = planner.zone(of: series)
            let set = RecurrenceSet(start: .dateTime(series.start), zone: zone, rules: [rule])
            guard let next = set.expand(from: LocalDateTime(date: first), limit: 1).occurrences.first else {
                return nil
            }
            if let count = rule.count {
                let before = set.expand(to: LocalDateTime(date: first), limit: count).occurrences.count
                shifted.rule?.count = count - before
            }
            shifted.start = next.nominal
            return shifted
        }
        return view
    }
}
