import Coordination
import Foundation
import Platform
import Publishing
import Storage

/// The Ladung of a session (issue 17): date, place, agenda and documents, to the seat holders,
/// a number of days before (the body's `invitation_days:`, default 7); automatically on that
/// day, or earlier by a coordinator; the chair is told when it went out late.
extension Workflows {
    /// Puts the Ladung of every coming session whose day for it has come into the outbox (once
    /// per session, whichever sender gets there first); a Ladung that goes out after its day
    /// also reminds the chair. Returns the sessions queued.
    @discardableResult
    public func queueDueLadungen() async throws(WorkflowError) -> [LadungRecord] {
        let planning = try await planning()
        let now = clock.now()
        let today = now.date
        let longest = planning.district.bodies.map(\.ladungDays).max() ?? 7
        let sent = try await stored { () async throws(StorageError) in try await store.ladungen(from: today) }
        let done = Set(sent.map(\.session))
        var queued: [LadungRecord] = []
        for (key, session) in planning.planner.keyedSessions(
            from: today, through: CivilDate(dayNumber: today.dayNumber + longest))
        where !done.contains(key) && session.status != .cancelled && session.start.utc > now.localSeconds {
            guard let body = planning.district.body(key.body) else { continue }
            let due = body.ladungDue(before: key.date)
            guard due <= today else { continue }
            if let record = try await queueLadung(key: key, body: body, due: due, actor: "automatisch", remind: true) {
                queued.append(record)
            }
        }
        return queued
    }

    /// A coordinator sends the Ladung of a coming session now (when the agenda is ready before
    /// the day it would go out by itself). `conflict` when it went out before.
    public func sendLadung(_ target: SessionTarget, by principal: Principal) async throws(WorkflowError)
        -> LadungRecord
    {
        let found = try await session(target)
        try principal.requireWrite(body: found.body.id)
        if found.session.status == .cancelled {
            throw .conflict(code: "cancelled", "\(found.name) is cancelled; it needs no Ladung")
        }
        guard found.session.start.utc > clock.now().localSeconds else {
            throw .conflict(code: "past", "\(found.name) has begun; a Ladung goes out before a session")
        }
        if let sent = try await ladung(of: found) {
            throw .conflict(
                code: "already_sent",
                "the Ladung of \(found.name) went out on \(sent.queued.date) (\(sent.actor), \(sent.recipients) recipients)"
            )
        }
        let day = found.key.date
        guard !(try await reachableHolders(of: found.body.id, where: { $0.isValid(on: day) })).isEmpty else {
            throw .conflict(
                code: "no_recipients",
                "nobody holding a seat of \(found.body.id) on \(day) has an e-mail address; nothing was sent")
        }
        let due = found.body.ladungDue(before: day)
        guard
            let record = try await queueLadung(
                key: found.key, body: found.body, due: due, actor: principal.actor, remind: false)
        else {
            throw .conflict(code: "already_sent", "the Ladung of \(found.name) went out meanwhile")
        }
        return record
    }

    /// Whether and when the Ladung of a session went out.
    public func ladung(of found: ResolvedSession) async throws(WorkflowError) -> LadungRecord? {
        let key = found.key
        return try await stored { () async throws(StorageError) in
            try await store.ladungen(from: key.date).first { $0.session == key }
        }
    }

    /// The day the Ladung of a session is due.
    public func ladungDue(of found: ResolvedSession) -> CivilDate {
        found.body.ladungDue(before: found.key.date)
    }

    /// The Ladung entries for everyone with an e-mail address holding a seat of the body that
    /// day (deputies for information), and with `remind` a reminder to the chair's holders
    /// when it is late; in one transaction with the record that it went out.
    private func queueLadung(key: SessionKey, body: Body, due: CivilDate, actor: String, remind: Bool)
        async throws(WorkflowError) -> LadungRecord?
    {
        let now = clock.now()
        let persons = try await reachableHolders(of: body.id, where: { $0.isValid(on: key.date) })
        var entries = persons.map {
            OutboxEntry(kind: .ladung, person: $0, body: body.id, series: key.series, date: key.date, created: now)
        }
        let record = LadungRecord(session: key, due: due, queued: now, actor: actor, recipients: persons.count)
        if remind && record.late {
            let chairs = try await reachableHolders(
                of: body.id, where: { $0.office == body.chair && $0.role == .regular && $0.isValid(on: key.date) })
            entries += chairs.map {
                OutboxEntry(
                    kind: .reminder, person: $0, body: body.id, series: key.series, date: key.date, created: now)
            }
        }
        let made = entries
        let queued = try await stored { () async throws(StorageError) in
            try await store.queueLadung(record, entries: made)
        }
        return queued ? record : nil
    }

    /// What a Ladung or a reminder says.
    func ladungContent(
        _ entry: OutboxEntry, person: Person, seats: [Seat], planning: Planning, _ settings: MailSettings
    ) async throws(WorkflowError) -> MailContent? {
        guard let seriesID = entry.series, let date = entry.date,
            let found = try? planning.session(body: entry.body, plannedOn: date, series: seriesID),
            found.session.status != .cancelled
        else { return nil }
        let s = found.session
        let when = "\(s.start.local.date.weekday.german), \(s.start.local.date.german), \(s.start.local.clock) Uhr"
        let page = settings.publicURL.map { "\($0)/sitzungen/\(found.body.id)/\(found.key.date)" }
        if entry.kind == .reminder {
            let record = try await ladung(of: found)
            return MailContent(
                subject: "Ladungsfrist nicht eingehalten: \(found.body.name), \(s.start.local.date.german)",
                lines: [
                    "die Ladung zur Sitzung „\(s.title)“ am \(when) war nach der Ladungsfrist von "
                        + "\(found.body.ladungDays) Tagen am \(ladungDue(of: found).german) fällig.",
                    "Sie ist erst am \((record?.queued.date ?? clock.now().date).german) an \(record?.recipients ?? 0) "
                        + "Personen versandt worden.",
                    "Bitte prüfen Sie, ob die Sitzung wie geplant stattfinden kann oder verlegt werden sollte.",
                ] + (page.map { ["Sitzung in Gremien: \($0)"] } ?? []))
        }
        let held = seats.filter { $0.person == person.id && $0.body == found.body.id && $0.isValid(on: date) }
        guard !held.isEmpty else { return nil }
        let regular = held.contains { $0.role == .regular }
        let record = try await minutesRecord(of: found)
        var lines = [
            "hiermit lade ich Sie zur Sitzung „\(s.title)“ ein.",
            "Termin: \(when) bis \(s.end.local.clock) Uhr",
            "Ort: \(s.location ?? "wird noch mitgeteilt")",
        ]
        if !regular {
            lines.append(
                "Sie erhalten die Ladung als Vertretung zur Information; Sie werden gefragt, wenn Sie vertreten sollen."
            )
        }
        if record.items.isEmpty {
            lines.append("Die Tagesordnung steht noch nicht fest; sie wird auf der Sitzungsseite nachgereicht.")
        } else {
            lines.append("Tagesordnung:")
            lines += record.items.enumerated().map { "TOP \($0.offset + 1): \($0.element.text)" }
        }
        let documents = record.items.flatMap { Self.links(in: $0.text) }
        if !documents.isEmpty || page != nil {
            lines.append("Unterlagen:")
            lines += documents.map { "– \($0)" }
            if let page { lines.append("– Sitzungsseite mit Niederschriften: \(page)") }
        }
        if regular, let base = settings.publicURL {
            let links = try await replyLinks(person: person.id, sessions: [(found.key, s)], base: base)
            if let link = links.first {
                lines.append("Bitte sagen Sie zu oder ab: Zusagen: \(link.accept) – Absagen: \(link.decline)")
            }
        }
        return MailContent(subject: "Ladung: \(found.body.name), \(s.start.local.date.german)", lines: lines)
    }

    /// The web addresses written in a text.
    static func links(in text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "(" || $0 == ")" }).map(String.init).filter {
            $0.hasPrefix("https://") || $0.hasPrefix("http://")
        }
    }
}
