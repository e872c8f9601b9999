import Coordination
import ICalendar

/// A VEVENT's text split around its DESCRIPTION: the public feeds and each office's feed show
/// the same event with a different description, so only that property is written anew.
struct EventText {
    /// `BEGIN:VEVENT` and the content lines before DESCRIPTION.
    var before: String
    /// Lines that open the description of this event (a move, a cancellation, an extra session),
    /// as TEXT (`ICalText.escape`): escaped once, however many feeds show the event.
    var note: String?
    /// Lines that close it: the kind of meeting, the agenda, the link to the page; as TEXT.
    var own: String
    /// The content lines after DESCRIPTION and `END:VEVENT`.
    var after: String
}

/// A VEVENT as one feed shows it, in three parts that other events and feeds share where they
/// are the same: the event's lines before DESCRIPTION, its DESCRIPTION line, the rest. A feed
/// is put together from the parts (`Feed.parts`), without copying them into one text per event.
struct RenderedEvent {
    var before: String
    var description: String
    var after: String

    var text: String { before + description + after }
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

    /// The sessions of the rule of `series` that take place as planned but have items added to
    /// their agenda: each is stated as an override, so that its DESCRIPTION can list them.
    func withAddedAgenda(body: Body, series: Series, besides plan: [Session]) -> [Session] {
        let stated = Set(plan.compactMap { $0.recurrenceID?.local.date })
        var found: [Session] = []
        for key in agendas.keys where key.body == body.id && key.series == series.id && !stated.contains(key.date) {
            let zone = planner.zone(of: series)
            let day = zone.utc(forLocal: LocalDateTime(date: key.date).localSeconds)
            found += planner.sessions(of: body, series: series, from: day - 86_400, to: day + 2 * 86_400).filter {
                $0.status == .scheduled && $0.recurrenceID?.local.date == key.date
            }
        }
        return found.sorted { $0.start < $1.start }
    }

    /// The events of a series (one version of it) from its `plan`: the series event (RRULE cut
    /// at the plan's end), one RECURRENCE-ID override per moved session and per session with
    /// added agenda items, and a VEVENT of its own per extra session. A cancelled session is,
    /// as the district chose (`cancelled_sessions`), an EXDATE or left out (`hide`), or an
    /// override of its own, free and "Abgesagt: …" (`show`).
    func eventTexts(
        body: Body, series: Series, plan sessions: [Session], tails: [Series.MeetingKind: String],
        deputy: Bool = false, memo: ContentLineMemo? = nil
    ) throws(ICalendarError) -> [EventText] {
        let zone = planner.zone(of: series)
        let planEnd = planner.endOfPlanning(body, series)
        let firstUTC = zone.utc(forLocal: series.start.localSeconds)
        let stamp = ICalText.utc(series.updated)
        let tzid = [ICalParameter(name: "TZID", value: series.timeZone)]
        let showCancelled = district.cancelledSessions == .show
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
        // UID, DTSTAMP, LAST-MODIFIED and SEQUENCE open every event of the series alike.
        func commonLines(uid: String) throws(ICalendarError) -> String {
            try ICalSerializer.contentLines(common(uid: uid), memo: memo)
        }
        func text(_ common: String, _ head: [ICalProperty], _ session: Session, note: String?, day: CivilDate?)
            throws(ICalendarError) -> EventText
        {
            let cancelled = session.status == .cancelled
            let title = deputy ? "Vertretung: \(session.title)" : session.title
            let summary = cancelled ? "Abgesagt: \(title)" : title
            var titled = [ICalProperty(name: "SUMMARY", value: ICalText.escape(summary))]
            if let location = session.location {
                titled.append(ICalProperty(name: "LOCATION", value: ICalText.escape(location)))
            }
            var tail = cancelled || deputy ? nil : tails[session.kind]
            if tail == nil { tail = try Self.tail(session.kind, cancelled: cancelled, free: deputy, memo: memo) }
            return EventText(
                before: "BEGIN:VEVENT\r\n" + common + (try ICalSerializer.contentLines(head + titled, memo: memo)),
                note: note.map(ICalText.escape),
                own: ICalText.escape(own(body: body, series: series, kind: session.kind, day: day)),
                after: (tail ?? "") + "END:VEVENT\r\n")
        }
        func cancelNote(_ s: Session) -> String { "Abgesagt" + (s.reason.map { ": \($0)" } ?? "") }
        var texts: [EventText] = []
        let uid = planner.district.uid(body: body, series: series)
        let ofRule = sessions.filter { $0.uid == uid }
        if let rule = series.rule {
            // A series with a rule always shows its series event.
            let ofSeries = try commonLines(uid: uid)
            let duration = Int64(series.durationMinutes * 60)
            let start = ZonedTime(utc: firstUTC, offset: zone.offset(atUTC: firstUTC))
            let end = ZonedTime(utc: firstUTC + duration, offset: zone.offset(atUTC: firstUTC + duration))
            var head = [
                ICalProperty(name: "DTSTART", parameters: tzid, value: local(start)),
                ICalProperty(name: "DTEND", parameters: tzid, value: local(end)),
                ICalProperty(name: "RRULE", value: cut(rule, at: planEnd, series: series, zone: zone).description),
            ]
            if !showCancelled {
                for s in ofRule where s.status == .cancelled {
                    if let rid = s.recurrenceID {
                        head.append(ICalProperty(name: "EXDATE", parameters: tzid, value: local(rid)))
                    }
                }
            }
            let template = Session(
                body: body.id, series: series.id, uid: uid, recurrenceID: nil, start: start, end: end,
                timeZone: series.timeZone, status: .scheduled, title: series.title ?? body.name,
                location: series.location, kind: series.kind)
            texts.append(try text(ofSeries, head, template, note: nil, day: nil))
            let overrides = (ofRule + withAddedAgenda(body: body, series: series, besides: ofRule)).sorted {
                ($0.recurrenceID ?? $0.start) < ($1.recurrenceID ?? $1.start)
            }
            for s in overrides {
                guard let rid = s.recurrenceID else { continue }
                let head = [ICalProperty(name: "RECURRENCE-ID", parameters: tzid, value: local(rid))]
                switch s.status {
                case .moved:
                    let note =
                        "Verlegt vom \(rid.local.date.german) \(rid.local.clock)" + (s.reason.map { ": \($0)" } ?? "")
                    texts.append(try text(ofSeries, head + timed(s), s, note: note, day: rid.local.date))
                case .cancelled where showCancelled:
                    texts.append(try text(ofSeries, head + timed(s), s, note: cancelNote(s), day: rid.local.date))
                case .scheduled:
                    texts.append(try text(ofSeries, head + timed(s), s, note: nil, day: rid.local.date))
                case .cancelled:
                    continue
                }
            }
        } else if let s = ofRule.first, s.status != .cancelled || showCancelled {
            // A series of one session: cancelled, it is left out or shown as cancelled.
            let note =
                s.status == .moved ? s.reason.map { "Verlegt: \($0)" } : (s.status == .cancelled ? cancelNote(s) : nil)
            texts.append(try text(try commonLines(uid: uid), timed(s), s, note: note, day: series.start.date))
        }
        // Extra sessions; a cancelled one like a cancelled session of the rule.
        for s in sessions where s.uid != uid && (s.status != .cancelled || showCancelled) {
            var note =
                "Zusätzliche Sitzung" + (s.status == .moved ? (s.reason.map { "; verlegt: \($0)" } ?? "; verlegt") : "")
            if s.status == .cancelled { note = cancelNote(s) + "\nZusätzliche Sitzung" }
            texts.append(try text(try commonLines(uid: s.uid), timed(s), s, note: note, day: s.start.local.date))
        }
        return texts
    }

    /// The closing lines of an event's DESCRIPTION: the kind of meeting, the agenda (standing
    /// items, then those added to the session of `day`, "Verschiedenes" last, as the minutes
    /// start) and, with a public URL, the page of the session (`day`) or of the body (the series
    /// event).
    func own(body: Body, series: Series, kind: Series.MeetingKind, day: CivilDate?) -> String {
        var lines = ["Art der Sitzung: \(kind.rawValue)"]
        var items = series.agenda
        if let day {
            let key = SessionKey(body: body.id, series: series.id, date: day)
            if let added = agendas[key] {
                items = MinutesRecord(session: key, standing: series.agenda, added: added).items.map(\.text)
            }
        }
        if !items.isEmpty {
            lines.append("Tagesordnung:")
            lines += items.enumerated().map { "\($0.offset + 1). \($0.element)" }
        }
        if let url = publicURL {
            if let day {
                let which = body.series.count > 1 ? "?series=\(series.id)" : ""
                lines.append("Sitzungsseite: \(url)/sitzungen/\(body.id)/\(day)\(which)")
            } else {
                lines.append("Seite des Gremiums: \(url)/gremien/\(body.id)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The content lines after DESCRIPTION, the same for every event of a kind of meeting.
    /// A cancelled session is shown free (`TRANSPARENT`): it blocks no one's time.
    /// A deputy's session is shown free too (`free`): they attend only when asked.
    static func tail(
        _ kind: Series.MeetingKind, cancelled: Bool = false, free: Bool = false, memo: ContentLineMemo? = nil
    ) throws(ICalendarError) -> String {
        try ICalSerializer.contentLines(
            [
                // One value: libical keeps only the first of a comma list read from text.
                ICalProperty(name: "CATEGORIES", value: ICalText.escape(kind.rawValue)),
                ICalProperty(name: "STATUS", value: cancelled ? "CANCELLED" : "CONFIRMED"),
                ICalProperty(name: "TRANSP", value: cancelled || free ? "TRANSPARENT" : "OPAQUE"),
                ICalProperty(name: "CLASS", value: "PUBLIC"),
            ], memo: memo)
    }

    /// The tails of every kind of meeting, written once per run.
    static func tails() throws(ICalendarError) -> [Series.MeetingKind: String] {
        var tails: [Series.MeetingKind: String] = [:]
        for kind in Series.MeetingKind.allCases { tails[kind] = try tail(kind) }
        return tails
    }

    /// The VEVENTs as one feed shows them: with `description` (public, or an office's view).
    func render(_ texts: [EventText], description: String) throws(ICalendarError) -> [RenderedEvent] {
        try render(texts, escapedDescription: ICalText.escape(description))
    }

    /// `render` with the description already TEXT (`ICalText.escape`). Escaping works byte by
    /// byte, so the escaped parts joined with an escaped line break are the escaped whole.
    ///
    /// Every event of one call shares `description`, so events with the same note and closing
    /// lines (a series and its overrides, most of them) have the same DESCRIPTION line: libical
    /// writes it once per call, and it is found again by those two short texts, as bytes,
    /// rather than by the whole line. No other call gives libical the line of one call (one body
    /// in one feed), so no `ContentLineMemo` keeps it.
    func render(_ texts: [EventText], escapedDescription description: String) throws(ICalendarError)
        -> [RenderedEvent]
    {
        var written: [DescriptionParts: String] = [:]
        var out: [RenderedEvent] = []
        out.reserveCapacity(texts.count)
        for t in texts {
            let parts = DescriptionParts(note: t.note.map(ExactText.init), own: ExactText(t.own))
            let line: String
            if let known = written[parts] {
                line = known
            } else {
                var full = ""
                full.reserveCapacity((t.note?.utf8.count ?? 0) + description.utf8.count + t.own.utf8.count + 4)
                if let note = t.note {
                    full += note
                    full += "\\n"
                }
                full += description
                full += "\\n"
                full += t.own
                line = try ICalSerializer.contentLines([ICalProperty(name: "DESCRIPTION", value: full)])
                written[parts] = line
            }
            out.append(RenderedEvent(before: t.before, description: line, after: t.after))
        }
        return out
    }

    /// What sets an event's DESCRIPTION apart within one `render` call.
    private struct DescriptionParts: Hashable {
        var note: ExactText?
        var own: ExactText
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

    /// The middle of the DESCRIPTION: body, legal basis, agreements, and the offices with their
    /// roles; with `office`, it opens with that office's role in the body.
    func describe(body: Body, office: Office?) -> String {
        guard let office else { return describe(body) }
        return role(of: office, in: body) + "\n" + describe(body)
    }

    /// The line that opens an office's view of a body's description: its role there.
    func role(of office: Office, in body: Body) -> String {
        let roles = body.members.filter { $0.office == office.id }.map { m in m.role.german + period(m) }
        return "Rolle \(office.shortName): \(roles.joined(separator: "; "))"
    }

    /// The public description of a body: the same in every feed, after an office's role.
    func describe(_ body: Body) -> String {
        var lines: [String] = []
        lines.append("Gremium: \(body.name) (\(body.kind.rawValue))")
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
        periodView(of: body, periods: body.members.filter { $0.office == office })
    }

    /// A body as seen by someone who sits in it during `periods` (an office's memberships, a
    /// person's seats): it ends with the last period (its RRULE is cut there, as at the body's
    /// end), and a series begins with the first session on or after the first period begins.
    /// Gaps between periods show their sessions too. `nil`: no period at all.
    func periodView(of body: Body, periods: [any ValidityPeriod]) -> Body? {
        guard !periods.isEmpty else { return nil }
        var view = body
        if periods.allSatisfy({ $0.validUntil != nil }), let last = periods.compactMap(\.validUntil).max() {
            view.validUntil = min(body.validUntil ?? last, last)
        }
        guard periods.allSatisfy({ $0.validFrom != nil }), let first = periods.compactMap(\.validFrom).min() else {
            return view
        }
        view.series = body.series.compactMap { series in
            if series.start.date >= first { return series }
            // Exceptions of days before the period do not concern the one who sits.
            let exceptions = series.exceptions.filter { exception in
                switch exception {
                case .cancel(let date, _), .reinstate(let date, _): return date >= first
                case .move(let move): return move.date >= first
                case .add(let add): return add.start.date >= first
                case .remove: return true
                }
            }
            guard var next = planner.starting(series, on: first) else { return nil }
            next.exceptions = exceptions
            return next
        }
        return view
    }
}
