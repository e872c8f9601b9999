import Coordination
import GremienTestSupport
import Storage
import Testing
import Workflows

/// Warnings before a session is placed (issue 14): each with its exact message; without
/// confirmation nothing is stored, with it the change is. The clock stands at 1 October 2026, the
/// fixture plans until 31 December 2026 and closes on Rosenmontag.
@Suite struct SessionWarningTests {
    static let op = Principal.localOperator("koordination")

    static func add(_ start: LocalDateTime, body: String = "runde") -> Workflows.Addition {
        .init(body: body, start: start)
    }

    /// Regressions: sessions were added on 25.12. (a public holiday), on a Saturday and after
    /// `plan_until` without a word.
    @Test(arguments: [
        (
            LocalDateTime(year: 2026, month: 12, day: 25, hour: 10),
            ["holiday: 2026-12-25 is a public holiday in NRW (1. Weihnachtstag)"],
            ["Der 25.12.2026 ist ein gesetzlicher Feiertag in NRW (1. Weihnachtstag)."]
        ),
        (
            LocalDateTime(year: 2026, month: 10, day: 10, hour: 10),
            ["weekend: 2026-10-10 is a Saturday"], ["Der 10.10.2026 ist ein Samstag."]
        ),
        (
            LocalDateTime(year: 2027, month: 1, day: 13, hour: 10),
            [
                "after_plan_until: 2027-01-13 lies after the end of planning (plan_until 2026-12-31); nothing is published there"
            ],
            ["Der 13.01.2027 liegt nach dem Ende der Planung (31.12.2026); dort wird nichts veröffentlicht."]
        ),
        (
            LocalDateTime(year: 2026, month: 9, day: 30, hour: 10),
            ["past: 2026-09-30 lies in the past (today is 2026-10-01)"],
            ["Der 30.09.2026 liegt in der Vergangenheit."]
        ),
        (
            LocalDateTime(year: 2026, month: 2, day: 16, hour: 10),
            [
                "closing_day: 2026-02-16 is a closing day of the administration (Rosenmontag)",
                "past: 2026-02-16 lies in the past (today is 2026-10-01)",
            ],
            [
                "Der 16.02.2026 ist ein Schließtag der Verwaltung (Rosenmontag).",
                "Der 16.02.2026 liegt in der Vergangenheit.",
            ]
        ),
    ])
    func anAdditionIsRecordedOnlyWhenConfirmed(start: LocalDateTime, texts: [String], german: [String]) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(.memory)
        defer { cleanup() }
        let before = try await w.sessionChanges().count
        do {
            _ = try await w.add(Self.add(start), by: Self.op)
            Issue.record("recorded without confirmation")
        } catch {
            guard case .unconfirmed(let warnings) = error else { throw error }
            #expect(warnings.map { "\($0.code): \($0.text)" } == texts)
            #expect(warnings.map(\.german) == german)
        }
        #expect(try await w.sessionChanges().count == before)
        var confirmed = Self.add(start)
        confirmed.confirmed = true
        _ = try await w.add(confirmed, by: Self.op)
        #expect(try await w.sessionChanges().count == before + 1)
    }

    /// Regression: AG 78 was moved onto the slot of AK Demenz, in which JA-K also sits, without a
    /// word. Here: the Runde (JC, JA-K) onto a session added to the Beirat (JC, AA).
    @Test(arguments: StoreKind.allCases)
    func aMoveOntoAnotherBodysSessionIsAConflict(kind: StoreKind) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(kind)
        defer { cleanup() }
        // A Wednesday in the future, before plan_until and the Beirat's end: no warning.
        _ = try await w.add(
            Self.add(LocalDateTime(year: 2026, month: 10, day: 14, hour: 10), body: "beirat"), by: Self.op)
        let target = SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 10, day: 12))
        let onto = LocalDateTime(year: 2026, month: 10, day: 14, hour: 11)
        do {
            _ = try await w.move(target, .init(to: onto), by: Self.op)
            Issue.record("moved without confirmation")
        } catch {
            guard case .unconfirmed(let warnings) = error else { throw error }
            #expect(
                warnings.map(\.text) == [
                    "conflict: beirat meets on 2026-10-14 from 10:00 to 12:00, and jc sits in both bodies"
                ])
            #expect(
                warnings.map(\.german) == [
                    "Überschneidung: Beirat nach § 18d SGB II tagt am 14.10.2026 von 10:00 bis 12:00 Uhr; JC wirkt in beiden Gremien mit."
                ])
        }
        #expect(try await w.session(target).session.status == .scheduled)
        // Ending where the other begins is no overlap.
        _ = try await w.move(
            target, .init(to: LocalDateTime(year: 2026, month: 10, day: 14, hour: 8, minute: 30)), by: Self.op)
        _ = try await w.move(target, .init(to: onto, confirmed: true), by: Self.op)
        let moved = try await w.session(target)
        #expect(moved.session.start.local == onto)
        // Found by either date, named by both.
        #expect(moved.name == "runde of 2026-10-12, moved to 2026-10-14")
        #expect(moved.germanName == "Leitungsrunde; JC, JA-K vom 12.10.2026, verlegt auf den 14.10.2026")
        // The listing of overlaps finds the pair, once.
        let planning = try await w.planning()
        let listed = Workflows.conflicts(
            in: planning, from: CivilDate(year: 2026, month: 10, day: 1), to: CivilDate(year: 2026, month: 11, day: 1))
        #expect(listed.map { "\($0.session.body) \($0.other.body) \($0.offices)" } == ["beirat runde [\"jc\"]"])
    }
}
