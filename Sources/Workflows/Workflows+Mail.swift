import Coordination
import Foundation
import Mail
import Platform
import Publishing
import Storage

/// Invitations by e-mail (issue 17): what a change puts into the outbox, in the same
/// transaction, and what the sender makes of each entry when it sends it.
extension Workflows {
    /// The outbox entries a change of `body` causes for the people holding its seats on one of
    /// `days` (only days from today on: nothing is sent for sessions in the past), each with an
    /// e-mail address; with `cancelled`, first a CANCEL of that session for each.
    func mailFor(
        body: String, days: [CivilDate], cancelled: (series: String, date: CivilDate)? = nil,
        removed: String? = nil
    ) async throws(WorkflowError) -> [OutboxEntry] {
        let today = clock.now().date
        let coming = days.filter { $0 >= today }
        guard !coming.isEmpty else { return [] }
        let now = clock.now()
        var entries: [OutboxEntry] = []
        for person in try await reachableHolders(of: body, where: { seat in coming.contains { seat.isValid(on: $0) } })
        {
            if let removed, let cancelled {
                entries.append(
                    OutboxEntry(
                        kind: .cancelRemoved, person: person, body: body, series: cancelled.series,
                        date: cancelled.date, uid: removed, created: now))
                continue
            }
            if let cancelled {
                entries.append(
                    OutboxEntry(
                        kind: .cancelSession, person: person, body: body, series: cancelled.series,
                        date: cancelled.date, created: now))
            }
            entries.append(OutboxEntry(kind: .update, person: person, body: body, created: now))
        }
        return entries
    }

    /// The entries for a change of a body as a whole (a sync): everyone holding one of its seats
    /// on `day` or later, with an e-mail address, gets its sessions anew.
    func mailFor(body: String, from day: CivilDate) async throws(WorkflowError) -> [OutboxEntry] {
        let now = clock.now()
        return try await reachableHolders(of: body, where: { $0.validUntil.map { $0 >= day } ?? true }).map {
            OutboxEntry(kind: .update, person: $0, body: body, created: now)
        }
    }

    /// The people with an e-mail address holding a seat of `body` that `holds`, each once, in
    /// the order their seats were assigned.
    func reachableHolders(of body: String, where holds: (Seat) -> Bool) async throws(WorkflowError)
        -> [String]
    {
        let (seats, people) = try await stored { () async throws(StorageError) in
            (try await store.seats(), try await store.people())
        }
        let reachable = Set(people.filter { $0.email != nil }.map(\.id))
        var persons: [String] = []
        for seat in seats where seat.body == body && reachable.contains(seat.person) && !persons.contains(seat.person) {
            if holds(seat) { persons.append(seat.person) }
        }
        return persons
    }

    /// The entry for a seat assigned or ended: the person's sessions of the body as they stand
    /// (the sender decides between a REQUEST and a CANCEL); nothing without an e-mail address.
    func mailFor(person: Person?, body: String) -> [OutboxEntry] {
        guard let person, person.email != nil else { return [] }
        return [OutboxEntry(kind: .update, person: person.id, body: body, created: clock.now())]
    }

    /// Where invitations come from and go back to.
    public struct MailSettings: Sendable {
        /// The district's sender mailbox: the ORGANIZER of every invitation (named after the
        /// body's chair office) and the envelope sender.
        public var from: String
        /// The address of Gremien's pages, for the link in each message.
        public var publicURL: String?

        public init(from: String, publicURL: String? = nil) {
            self.from = from
            self.publicURL = publicURL
        }
    }

    /// What one outbox entry says, made from the records as they stand now: one message per
    /// calendar UID; none when there is nothing to say any more (the session is no longer
    /// cancelled, the body is gone).
    public func messages(for entry: OutboxEntry, _ settings: MailSettings) async throws(WorkflowError) -> [MailMessage]
    {
        try await messages(for: entry, settings, in: try await invitationPlanning())
    }

    /// The district planned twice for a round of messages: as the feeds show it, and with
    /// cancelled sessions as EXDATEs (what a series REQUEST carries).
    struct InvitationPlanning: Sendable {
        var shown: Planning
        var series: Planning
    }

    func invitationPlanning() async throws(WorkflowError) -> InvitationPlanning {
        let planning = try await planning()
        var invitations = planning.district
        invitations.cancelledSessions = .hide
        return InvitationPlanning(shown: planning, series: try Planning(district: invitations, zones: zones))
    }

    /// What a message says before it is addressed: its calendar parts (one message each), the
    /// subject and the paragraphs between greeting and closing.
    struct MailContent {
        var calendars: [MailMessage.Calendar] = []
        var subject: String
        var lines: [String]
    }

    func messages(for entry: OutboxEntry, _ settings: MailSettings, in plans: InvitationPlanning)
        async throws(WorkflowError) -> [MailMessage]
    {
        let (person, seats) = try await stored { () async throws(StorageError) in
            (try await store.person(id: entry.person), try await store.seats())
        }
        guard let person, let email = person.email else {
            throw .invalid("\(entry.person) has no e-mail address; invitations go to the staff records' address")
        }
        let planning = plans.shown
        guard let body = planning.district.body(entry.body) else { return [] }
        let chairOffice = planning.district.office(body.chair)
        let chair = chairOffice?.name ?? body.chair
        let mailbox = chairOffice?.mailbox ?? settings.from
        let organizer = InvitationParty(
            name: chair, address: mailbox, sentBy: mailbox == settings.from ? nil : settings.from)
        let attendee = InvitationParty(name: person.name, address: email)
        let today = clock.now().date
        let current = seats.filter {
            $0.person == person.id && $0.body == body.id && ($0.validUntil.map { $0 >= today } ?? true)
        }
        let content: MailContent
        do {
            switch entry.kind {
            case .cancelRemoved:
                guard let uid = entry.uid else { return [] }
                let builder = FeedBuilder(planner: plans.series.planner, publicURL: settings.publicURL)
                let sequence = body.series.first { $0.id == entry.series }?.sequence ?? 0
                content = MailContent(
                    calendars: [
                        .init(
                            method: "CANCEL",
                            text: try builder.cancelRemoved(
                                body: body.id, uid: uid, sequence: sequence, organizer: organizer, attendee: attendee))
                    ],
                    subject: "Entfällt: \(body.name)\(entry.date.map { ", \($0.german)" } ?? "")",
                    lines: [
                        "die zusätzliche Sitzung des Gremiums „\(body.name)“\(entry.date.map { " am \($0.german)" } ?? "") ist gestrichen.",
                        "Ihr Kalenderprogramm entfernt den Termin, wenn Sie die Absage annehmen.",
                    ])
            case .ladung, .reminder:
                guard
                    let made = try await ladungContent(
                        entry, person: person, seats: seats, planning: planning, settings)
                else { return [] }
                content = made
            case .cancelSession:
                guard let seriesID = entry.series, let date = entry.date,
                    let found = try? planning.session(body: body.id, plannedOn: date, series: seriesID),
                    found.session.status == .cancelled
                else { return [] }
                let recurrence = found.session.recurrenceID.map { $0.local.basicFormat }
                let shown = FeedBuilder(planner: planning.planner, publicURL: settings.publicURL)
                guard
                    let text = try shown.cancelSession(
                        body: body.id, uid: found.session.uid, recurrence: recurrence, organizer: organizer,
                        attendee: attendee)
                else { return [] }
                content = MailContent(
                    calendars: [.init(method: "CANCEL", text: text)],
                    subject: "Abgesagt: \(body.name), \(found.session.start.local.date.german)",
                    lines: [
                        "die Sitzung „\(found.session.title)“ am \(found.session.start.local.date.german) um \(found.session.start.local.clock) Uhr fällt aus"
                            + (found.session.reason.map { " (\($0))" } ?? "") + ".",
                        "Ihr Kalenderprogramm entfernt den Termin, wenn Sie die Absage annehmen.",
                    ])
            case .update:
                let builder = FeedBuilder(planner: plans.series.planner, publicURL: settings.publicURL)
                if current.isEmpty {
                    let texts = try builder.cancelSeries(body: body.id, organizer: organizer, attendee: attendee)
                    guard !texts.isEmpty else { return [] }
                    content = MailContent(
                        calendars: texts.map { .init(method: "CANCEL", text: $0) },
                        subject: "Kein Sitz mehr: \(body.name)",
                        lines: [
                            "Sie haben keinen Sitz mehr im Gremium „\(body.name)“.",
                            "Die Sitzungen werden aus Ihrem Kalender entfernt, wenn Sie die Absage annehmen.",
                        ])
                } else {
                    let texts = try builder.request(
                        body: body.id, seats: current, organizer: organizer, attendee: attendee)
                    guard !texts.isEmpty else { return [] }
                    content = MailContent(
                        calendars: texts.map { .init(method: "REQUEST", text: $0) },
                        subject: "Einladung: \(body.name)",
                        lines: try await invitationLines(
                            body: body, person: person.id, seats: current, planning: planning, settings))
                }
            }
        } catch let error as WorkflowError {
            throw error
        } catch {
            throw .corrupt("the invitation for \(entry.person) in \(entry.body) could not be written: \(error)")
        }
        return compose(
            content, entry: entry, to: MailAddress(email, name: person.name), personName: person.name, body: body,
            chair: MailAddress(mailbox, name: chair), district: planning.district.name, settings)
    }

    /// What a REQUEST says: the seat, what to do, the next sessions with answer links for a
    /// regular seat.
    private func invitationLines(
        body: Body, person: String, seats current: [Seat], planning: Planning, _ settings: MailSettings
    ) async throws(WorkflowError) -> [String] {
        let today = clock.now().date
        let regular = current.contains { $0.role == .regular }
        let office = planning.district.office(current[0].office)?.shortName ?? current[0].office
        var lines = [
            "Sie sind im Gremium „\(body.name)“ eingetragen als "
                + (regular ? "Mitglied für \(office)." : "Vertretung für \(office) (zur Information)."),
            regular
                ? "Die Sitzungen stehen in dieser Einladung; bitte sagen Sie in Ihrem Kalenderprogramm zu oder ab."
                : "Die Sitzungen stehen in dieser Nachricht; Sie werden gefragt, wenn Sie vertreten sollen.",
        ]
        let coming = planning.planner.keyedSessions(
            from: today, through: CivilDate(dayNumber: today.dayNumber + 92)
        ).filter { $0.session.body == body.id && $0.session.status != .cancelled }.prefix(6)
        guard !coming.isEmpty else { return lines }
        lines.append("Die nächsten Sitzungen:")
        let links: [(session: Session, accept: String, decline: String)]
        if regular, let base = settings.publicURL {
            links = try await replyLinks(person: person, sessions: Array(coming), base: base)
        } else {
            links = []
        }
        lines += coming.map { s in
            let link = links.first { $0.session.uid == s.session.uid && $0.session.start == s.session.start }
            return "– \(s.session.start.local.date.german), \(s.session.start.local.clock) Uhr"
                + (s.session.location.map { ", \($0)" } ?? "")
                + (link.map { " – Zusagen: \($0.accept) – Absagen: \($0.decline)" } ?? "")
        }
        return lines
    }

    /// The messages of one entry: greeting, paragraphs, the body's page, closing; one message
    /// per calendar part (numbered when there are several), or one without a calendar.
    private func compose(
        _ content: MailContent, entry: OutboxEntry, to recipient: MailAddress, personName: String, body: Body,
        chair office: MailAddress, district: String, _ settings: MailSettings
    ) -> [MailMessage] {
        let chair = office.name ?? office.address
        var lines = content.lines
        if let base = settings.publicURL { lines.append("Gremium in Gremien: \(base)/gremien/\(body.id)") }
        // DTSTAMP of an iTIP message: when it was made (the feeds keep the series' time).
        let stamp = "DTSTAMP:" + clock.now().basicFormat + "Z"
        let calendars: [MailMessage.Calendar?] =
            content.calendars.isEmpty
            ? [nil]
            : content.calendars.map { part in
                MailMessage.Calendar(
                    method: part.method,
                    text: part.text.components(separatedBy: "\r\n").map { $0.hasPrefix("DTSTAMP:") ? stamp : $0 }
                        .joined(separator: "\r\n"))
            }
        let domain = settings.from.split(separator: "@").last.map(String.init) ?? "gremien.localhost"
        return calendars.enumerated().map { index, calendar in
            let part = calendars.count > 1 ? " (Teil \(index + 1) von \(calendars.count))" : ""
            let said = lines + (part.isEmpty ? [] : ["Diese Nachricht ist Teil \(index + 1) von \(calendars.count)."])
            let text =
                "Guten Tag \(personName),\n\n" + said.joined(separator: "\n")
                + "\n\nMit freundlichen Grüßen\n\(chair)\n"
            let html =
                "<p>Guten Tag \(HTMLText.escape(personName)),</p>\n"
                + said.map { "<p>\(HTMLText.escape($0))</p>" }.joined(separator: "\n")
                + "\n<p>Mit freundlichen Grüßen<br>\(HTMLText.escape(chair))</p>\n"
            return MailMessage(
                from: MailAddress(settings.from, name: "Gremien – \(district)"), to: [recipient],
                replyTo: office, subject: content.subject + part,
                messageID: "gremien-outbox-\(entry.id)\(calendars.count > 1 ? "-\(index + 1)" : "")@\(domain)",
                date: clock.now().localSeconds, text: text, html: html, calendar: calendar)
        }
    }

    /// What one round of the sender did.
    public struct MailRound: Sendable, Hashable {
        public var sent = 0
        public var retried = 0
        public var failed = 0
        /// Entries with nothing to say any more (marked sent without a message).
        public var dropped = 0
        public var problems: [String] = []

        public init() {}
    }

    /// Sends what is due in the outbox — first putting in the Ladungen whose day has come —:
    /// claims up to `limit` entries for `owner`, makes each
    /// message from the records as they stand, hands it to `sender`, and records the outcome;
    /// a refused or lost connection is tried again later (1, 5, 30 minutes, then hourly), up to
    /// eight times; a permanent refusal is not.
    public func sendOutbox(
        _ settings: MailSettings, sender: any MailSending, owner: String, limit: Int = 50
    ) async throws(WorkflowError) -> MailRound {
        try await queueDueLadungen()
        let now = clock.now()
        let claimed = try await stored { () async throws(StorageError) in
            try await store.claimOutbox(owner: owner, now: now, lease: 300, limit: limit)
        }
        var round = MailRound()
        guard !claimed.isEmpty else { return round }
        // Planned once for the round, not once per message.
        let plans = try await invitationPlanning()
        for entry in claimed {
            let outcome: OutboxOutcome
            do {
                let messages = try await messages(for: entry, settings, in: plans)
                guard !messages.isEmpty else {
                    round.dropped += 1
                    try await stored { () async throws(StorageError) in
                        try await store.finish(entry.id, owner: owner, .sent(at: now))
                    }
                    continue
                }
                do {
                    for message in messages {
                        try await sender.send(MIMEWriter.render(message), from: settings.from, to: message.recipients)
                    }
                    outcome = .sent(at: clock.now())
                    round.sent += 1
                } catch {
                    let delays = [60, 300, 1800]
                    let delay = entry.attempts < delays.count ? delays[entry.attempts] : 3600
                    if error.isTransient && entry.attempts < 7 {
                        outcome = .retry(
                            at: LocalDateTime(localSeconds: now.localSeconds + Int64(delay)), error: "\(error)")
                        round.retried += 1
                    } else {
                        outcome = .failed(at: now, error: "\(error)")
                        round.failed += 1
                    }
                    round.problems.append("outbox \(entry.id) (\(entry.person), \(entry.body)): \(error)")
                }
            } catch {
                outcome = .failed(at: now, error: error.description)
                round.failed += 1
                round.problems.append("outbox \(entry.id) (\(entry.person), \(entry.body)): \(error)")
            }
            let finished = outcome
            try await stored { () async throws(StorageError) in
                try await store.finish(entry.id, owner: owner, finished)
            }
        }
        return round
    }

    /// The outbox, newest first (an admin or the operator).
    public func outbox(limit: Int = 200, by principal: Principal) async throws(WorkflowError) -> [OutboxEntry] {
        try principal.requireAdmin("reads the mail outbox")
        return try await stored { () async throws(StorageError) in try await store.outbox(limit: limit) }
    }
}
