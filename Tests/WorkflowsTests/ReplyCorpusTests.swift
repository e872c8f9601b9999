import Coordination
import Foundation
import GremienTestSupport
import Storage
import Testing
import Workflows

/// Answers by mail (`gremien imip receive`): a corpus of iTIP REPLYs as Outlook, Thunderbird,
/// Google and Open-Xchange send them, and the ones to refuse. The clock stands at 1 October
/// 2026; Anna Mail holds the job-com's seat in the Leitungsrunde (Mondays 10:00).
@Suite struct ReplyCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Replies")

    static func mail(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name + ".eml")))
    }

    static func day(_ d: Int, _ m: Int = 10) -> SessionKey {
        SessionKey(body: "runde", series: "montag", date: CivilDate(year: 2026, month: m, day: d))
    }

    @Test(arguments: StoreKind.allCases)
    func everyClientShapeAndEveryRefusal(kind: StoreKind) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(kind)
        defer { cleanup() }
        let local = WorkflowsTests.local
        let anna = try await w.savePerson(
            name: "Anna Mail", office: "jc", level: .sgl, email: "anna.mail@kreis.example", by: local)
        _ = try await w.assignSeat(.init(body: "runde", office: "jc", person: anna.id), by: local)
        func answers(_ key: SessionKey) async throws -> Reply? {
            try await w.store.replies(of: key).first { $0.person == anna.id }
        }

        // Outlook, the whole series: every coming Monday, with the comment.
        let series = try await w.receiveReply(mail: Self.mail("outlook-series-accepted"))
        #expect(series.refused == [] && series.recorded.count > 10)
        #expect(series.recorded.allSatisfy { $0.answer == .accepted && $0.via == "mail" })
        #expect(series.recorded.first?.session == Self.day(5))
        #expect(series.recorded.first?.comment == "Ich komme gern, bis Montag.\n")
        #expect(series.sessions.first == "Leitungsrunde; JC, JA-K am 05.10.2026")

        // Outlook, one occurrence (Windows zone name), declined.
        var got = try await w.receiveReply(mail: Self.mail("outlook-occurrence-declined"))
        #expect(got.recorded.map(\.session) == [Self.day(12)] && got.recorded.first?.answer == .declined)
        // Thunderbird: quoted-printable, Olson zone, tentative with a comment in umlauts.
        got = try await w.receiveReply(mail: Self.mail("thunderbird-occurrence-tentative"))
        #expect(got.recorded.map(\.session) == [Self.day(19)])
        #expect(got.recorded.first?.answer == .tentative)
        #expect(got.recorded.first?.comment == "Ich komme ggf. später; erst ab 10:30.")
        // Google: nested multipart, X-RESPONSE-COMMENT on the ATTENDEE.
        got = try await w.receiveReply(mail: Self.mail("google-occurrence-declined"))
        #expect(got.recorded.map(\.session) == [Self.day(26)])
        #expect(got.recorded.first.map { "\($0.answer) \($0.comment ?? "")" } == "declined Urlaub bis 30.10.")
        // Open-Xchange: RECURRENCE-ID in UTC (09:00Z is 10:00 after the change to winter time),
        // MAILTO: and an address in other case.
        got = try await w.receiveReply(mail: Self.mail("openxchange-utc-declined"))
        #expect(got.recorded.map(\.session) == [Self.day(2, 11)] && got.recorded.first?.comment == "Dienstreise")

        #expect(try await answers(Self.day(5))?.answer == .accepted)
        #expect(try await answers(Self.day(12))?.answer == .declined)
        #expect(try await answers(Self.day(9, 11))?.answer == .accepted)

        // Refused, each kept in the event log, nothing recorded.
        let before = try await w.store.auditSnapshot().events.count
        for (name, reason) in [
            ("forged-sender", "the answer for anna.mail@kreis.example came from mallory@evil.example"),
            ("unknown-uid", "no session has the UID gibt-es-nicht.runde@gremien.example.org"),
            ("delegated", "anna.mail@kreis.example delegated the invitation; a seat is filled by its holder or deputy"),
            (
                "sent-by",
                "sekretariat@kreis.example answered on behalf of anna.mail@kreis.example; only the attendee answers"
            ),
            ("dmarc-fail", "the mail server found the sender anna.mail@kreis.example not genuine (spf=softfail)"),
            (
                "past-occurrence",
                "the session of montag.runde@gremien.example.org has begun or is cancelled; answers are taken until it begins"
            ),
        ] {
            let refused = try await w.receiveReply(mail: Self.mail(name))
            #expect(refused.recorded.isEmpty && refused.refused == [reason], "\(name)")
        }
        let logged = try await w.store.auditSnapshot().events
        #expect(logged.count == before + 6)
        #expect(logged.suffix(6).allSatisfy { $0.kind == .replyRefused })
        #expect(logged.last?.payload.contains("\"reason\"") == true)
        #expect(try await answers(Self.day(9, 11))?.answer == .accepted)
        // The Zugänge page lists them, newest first, in German.
        let listed = try await w.refusedReplies(by: WorkflowsTests.admin)
        #expect(
            listed.map(\.german) == [
                "Sitzung hat begonnen oder fällt aus", "der Mailserver hat den Absender als gefälscht erkannt",
                "für eine andere Person beantwortet", "weitergeleitet (Delegation)", "keine Sitzung mit dieser Kennung",
                "Absender ist nicht die eingeladene Person",
            ])
        await #expect(throws: WorkflowError.self) {
            _ = try await w.refusedReplies(by: WorkflowsTests.coordinatorRunde)
        }

        // Not an answer at all: refused before anything is read or logged.
        await #expect(
            throws: WorkflowError.invalid([
                "the message from anna.mail@kreis.example holds no calendar part (text/calendar); it is not an answer"
            ])
        ) {
            _ = try await w.receiveReply(mail: Self.mail("not-a-reply"))
        }

        // An out-of-office note is left alone: nothing recorded, nothing logged, no bounce.
        let events = try await w.store.auditSnapshot().events.count
        let away = try await w.receiveReply(mail: Self.mail("out-of-office"))
        #expect(away.ignored == "an automatic message from anna.mail@kreis.example (Auto-Submitted: auto-replied)")
        #expect(try await w.store.auditSnapshot().events.count == events)

        // Replayed: nothing changes. The older series answer does not undo the later Absage.
        let replies = try await w.store.auditSnapshot().events.filter { $0.kind == .reply }.count
        for name in [
            "outlook-series-accepted", "outlook-occurrence-declined", "thunderbird-occurrence-tentative",
            "google-occurrence-declined", "openxchange-utc-declined",
        ] {
            let again = try await w.receiveReply(mail: Self.mail(name))
            #expect(again.recorded.isEmpty && again.unchanged > 0 && again.refused.isEmpty, "\(name)")
        }
        #expect(try await w.store.auditSnapshot().events.filter { $0.kind == .reply }.count == replies)
        #expect(try await answers(Self.day(12))?.answer == .declined)
        #expect(try await answers(Self.day(19))?.answer == .tentative)
        let chain = try await w.verifyAudit()
        #expect(chain.isIntact, "\(chain.problems)")

        // The attendance sheet shows the answers.
        let sheet = try await w.attendance(
            of: SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 10, day: 19)))
        #expect(sheet.replies["Anna Mail"] == .tentative)
    }
}
