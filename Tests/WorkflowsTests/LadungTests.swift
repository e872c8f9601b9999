import Coordination
import Foundation
import GremienTestSupport
import Mail
import Platform
import Storage
import Testing
import Workflows

/// The Ladung of a session: to the seat holders `invitation_days` before (default 7), with
/// date, place, agenda, documents and answer links; once; earlier by a coordinator; the chair
/// is reminded when it went out late. The clock stands at Thursday 1 October 2026.
@Suite struct LadungTests {
    static let local = WorkflowsTests.local
    static let settings = InvitationTests.settings

    static func at(_ w: Workflows, _ day: Int, _ month: Int = 10, hour: Int = 6) -> Workflows {
        Workflows(
            store: w.store, clock: .fixed(LocalDateTime(year: 2026, month: month, day: day, hour: hour)),
            zones: TestDistrict.zones)
    }

    static func subjects(_ sent: [(data: String, to: [String])]) -> [String] {
        sent.compactMap { m in
            m.data.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject: ") }.map {
                "\(m.to[0]) \($0.dropFirst(9))"
            }
        }.sorted()
    }

    /// The text of the first message of the outbox entry of `kind` for `person`.
    static func text(_ w: Workflows, _ kind: OutboxEntry.Kind, _ person: String) async throws -> String {
        let entry = try #require(try await w.outbox(by: local).first { $0.kind == kind && $0.person == person })
        return try #require(try await w.messages(for: entry, settings).first).text
    }

    @Test(arguments: StoreKind.allCases)
    func dueLateManualAndOnce(kind: StoreKind) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(kind)
        defer { cleanup() }
        let out = InvitationTests.Outgoing()
        let anna = try await w.savePerson(
            name: "Anna Mail", office: "jc", level: .sgl, email: "anna.mail@kreis.example", by: Self.local)
        let ben = try await w.savePerson(
            name: "Ben Vertretung", office: "jc", level: .tl, email: "ben@kreis.example", by: Self.local)
        _ = try await w.assignSeat(.init(body: "runde", office: "jc", person: anna.id), by: Self.local)
        _ = try await w.assignSeat(.init(body: "runde", office: "jc", person: ben.id, deputy: true), by: Self.local)
        let monday5 = SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 10, day: 5))
        _ = try await w.addAgendaItem(
            monday5, text: "Haushalt 2027 (Entwurf: https://kreis.example/haushalt.pdf)", by: Self.local)
        _ = try await w.sendOutbox(Self.settings, sender: out, owner: "t")
        // Monday 5 October: due on 28 September, so late: both get the Ladung, the chair (Anna,
        // holding the job-com's seat, which chairs the runde) a reminder. 12 October is not due yet.
        let sent = await out.take()
        #expect(
            Self.subjects(sent).filter { !$0.contains("Einladung") } == [
                "anna.mail@kreis.example Ladung: Leitungsrunde; JC, JA-K, 05.10.2026",
                "anna.mail@kreis.example Ladungsfrist nicht eingehalten: Leitungsrunde; JC, JA-K, 05.10.2026",
                "ben@kreis.example Ladung: Leitungsrunde; JC, JA-K, 05.10.2026",
            ])
        let text = try await Self.text(w, .ladung, anna.id)
        #expect(text.contains("Termin: Montag, 05.10.2026, 10:00 Uhr bis 11:30 Uhr"))
        #expect(text.contains("Ort: Kreishaus, Raum 1"))
        #expect(text.contains("TOP 1: Haushalt 2027 (Entwurf: https://kreis.example/haushalt.pdf)"))
        #expect(text.contains("Unterlagen:\n– https://kreis.example/haushalt.pdf\n"))
        #expect(
            text.contains("– Sitzungsseite mit Niederschriften: https://gremien.example/sitzungen/runde/2026-10-05"))
        #expect(text.contains("Zusagen: https://gremien.example/antwort/ga_r"))
        #expect(text.contains("Mit freundlichen Grüßen\nAmt 56 – job-com"))
        let deputy = try await Self.text(w, .ladung, ben.id)
        #expect(deputy.contains("als Vertretung zur Information") && !deputy.contains("Zusagen:"))
        let reminder = try await Self.text(w, .reminder, anna.id)
        #expect(reminder.contains("nach der Ladungsfrist von 7 Tagen am 28.09.2026 fällig"))
        #expect(reminder.contains("Sie ist erst am 01.10.2026 an 2 Personen versandt worden."))

        // Once: a second round (another sender) queues nothing.
        let again = try await w.queueDueLadungen()
        #expect(again.isEmpty)

        // A coordinator sends the Ladung of 19 October now; the automatic one then does not.
        let target = SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 10, day: 19))
        let manual = try await w.sendLadung(target, by: WorkflowsTests.coordinatorRunde)
        #expect(manual.recipients == 2 && !manual.late && manual.due == CivilDate(year: 2026, month: 10, day: 12))
        await #expect(throws: WorkflowError.self) {
            _ = try await w.sendLadung(target, by: WorkflowsTests.coordinatorRunde)
        }

        // On Monday 5 October the Ladung of 12 October is due: in time, no reminder.
        let monday = Self.at(w, 5)
        let queued = try await monday.queueDueLadungen()
        #expect(queued.map(\.session.date) == [CivilDate(year: 2026, month: 10, day: 12)])
        #expect(queued.allSatisfy { !$0.late && $0.recipients == 2 })
        let entries = try await w.outbox(by: Self.local)
        #expect(entries.filter { $0.kind == .reminder }.count == 1)
        #expect(
            entries.filter { $0.kind == .ladung }.map(\.date?.day).sorted { ($0 ?? 0) < ($1 ?? 0) } == [
                5, 5, 12, 12, 19, 19,
            ])
        // On 12 October, the 19th went out by hand already.
        #expect(try await Self.at(w, 12).queueDueLadungen().map(\.session.date.day) == [])
    }

    /// A Ladung by hand with nobody to send it to is refused, and nothing is recorded.
    @Test func nobodyToSendItTo() async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(.sqlite)
        defer { cleanup() }
        let target = SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 10, day: 12))
        await #expect(
            throws: WorkflowError.conflict(
                code: "no_recipients",
                "nobody holding a seat of runde on 2026-10-12 has an e-mail address; nothing was sent")
        ) { _ = try await w.sendLadung(target, by: WorkflowsTests.coordinatorRunde) }
        #expect(try await w.ladung(of: try await w.session(target)) == nil)
    }

    /// `invitation_days:` from a body's file: 0...90, an error naming the line otherwise.
    @Test func invitationDaysAreRead() async throws {
        var files = try TestDistrict.district()
        files.bodies[1].invitationDays = 14
        let (w, cleanup) = try await WorkflowsTests.workflows(.memory)
        defer { cleanup() }
        try await w.applySync(try await w.syncPlan(files: files), by: WorkflowsTests.admin)
        let found = try await w.session(
            SessionTarget(body: files.bodies[1].id, date: CivilDate(year: 2026, month: 10, day: 19)))
        #expect(w.ladungDue(of: found) == CivilDate(year: 2026, month: 10, day: 5))
    }
}
