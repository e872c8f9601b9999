import Coordination
import Foundation
import GremienTestSupport
import Platform
import Publishing
import Storage
import Testing
import Workflows

/// Minutes as records (issue 16): written per agenda item, approved and frozen as a version,
/// reopened with a reason, approved again; every version stays readable. The clock stands at
/// 1 October 2026; the Runde of 2 March 2026 took place.
@Suite struct MinutesRecordTests {
    static let local = WorkflowsTests.local
    static let runde = WorkflowsTests.runde
    static let coordinator = WorkflowsTests.coordinatorRunde

    /// The minutes of the Runde of 2 March with three items, times, the minute-taker and a vote.
    static func written(_ w: Workflows) async throws -> MinutesRecord {
        try await w.editAgenda(runde, .add("Begrüßung"), by: coordinator)
        try await w.editAgenda(runde, .add("Verschiedenes"), by: coordinator)
        // A new item goes before "Verschiedenes".
        let texts = try await w.editAgenda(runde, .add("Jugendhilfeplanung nach § 80 SGB VIII"), by: coordinator)
        #expect(texts == ["Begrüßung", "Jugendhilfeplanung nach § 80 SGB VIII", "Verschiedenes"])
        let record = try await w.editMinutes(
            runde,
            .batch([
                .times(began: "10:05", ended: "11:40"), .minuteTaker("Paula Protokoll"),
                .item(id: 3, discussion: "Planung vorgestellt.", results: "Zur Kenntnis genommen.", isPublic: true),
            ]), by: coordinator)
        return try await w.editMinutes(
            runde, .addVote(item: 3, .init(subject: "Zustimmung", yes: 2, no: 0, abstentions: 0)),
            revision: record.revision, by: coordinator)
    }

    @Test(arguments: StoreKind.allCases)
    func approvalFreezesEverythingAndEveryVersionStaysReadable(kind: StoreKind) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(kind)
        defer { cleanup() }
        let record = try await Self.written(w)
        #expect(record.items.map(\.id) == [1, 3, 2] && record.began == "10:05")
        _ = try await w.addActionItem(
            Self.runde, text: "Entwurf vorlegen", office: "ja-k", due: nil, agendaItem: 3, by: Self.coordinator)

        let approved = try await w.approveMinutes(Self.runde, by: Self.coordinator)
        #expect(approved.version == 1)
        let (_, versions) = try await w.minutesVersions(Self.runde)
        #expect(versions.count == 1 && versions[0].hash == approved.contentHash)
        #expect(SHA256Hex.of(versions[0].content) == approved.contentHash)
        let frozen = try await w.minutesView(Self.runde)
        #expect(frozen.version == "Fassung 1" && frozen.agenda[1].results == "Zur Kenntnis genommen.")
        #expect(frozen.agenda[1].actions.map(\.text) == ["Entwurf vorlegen"])

        // Nothing in approved minutes changes: content, agenda, action items, attendance.
        let refusals: [(String, () async throws -> Void)] = [
            (
                "content",
                { _ = try await w.editMinutes(Self.runde, .minuteTaker("X"), by: Self.coordinator) }
            ),
            ("agenda", { try await w.editAgenda(Self.runde, .add("Nachtrag"), by: Self.coordinator) }),
            (
                "action item",
                {
                    _ = try await w.addActionItem(
                        Self.runde, text: "Nachtrag", office: "jc", due: nil, by: Self.coordinator)
                }
            ),
            (
                "attendance",
                {
                    try await w.recordAttendance(
                        [
                            AttendanceLine(
                                label: "1", session: Self.runde, office: "jc", person: "Anna Beispiel",
                                status: "present")
                        ], by: Self.coordinator)
                }
            ),
        ]
        for (what, attempt) in refusals {
            do {
                try await attempt()
                Issue.record("\(what) changed in approved minutes")
            } catch let error as WorkflowError {
                #expect(
                    error.description.contains("approved"), "\(what): \(error.description)")
            }
        }
        #expect(try await w.minutesView(Self.runde).agenda.count == 3)
        #expect(try await w.actionItems(of: "runde").count == 1)

        // Reopening needs a reason; then the minutes change and are approved again as version 2.
        await #expect(throws: WorkflowError.invalid([Problem("reopening needs a reason")])) {
            _ = try await w.reopenMinutes(Self.runde, reason: "  ", by: Self.coordinator)
        }
        _ = try await w.reopenMinutes(Self.runde, reason: "Abstimmung nachgetragen", by: Self.coordinator)
        #expect(try await w.minutesView(Self.runde).status == "Entwurf (wieder geöffnet: Abstimmung nachgetragen)")
        _ = try await w.editMinutes(
            Self.runde, .addVote(item: 3, .init(subject: "Nachtrag", yes: 1, no: 1, abstentions: 0)),
            by: Self.coordinator)
        let second = try await w.approveMinutes(Self.runde, by: Self.coordinator)
        #expect(second.version == 2 && second.contentHash != approved.contentHash)
        let all = try await w.minutesVersions(Self.runde).versions
        #expect(all.map(\.number) == [1, 2])
        #expect(try await w.minutesView(Self.runde, version: 1).agenda[1].votes.count == 1)
        #expect(try await w.minutesView(Self.runde).agenda[1].votes.map(\.outcome) == ["angenommen", "abgelehnt"])
        await #expect(throws: WorkflowError.self) { _ = try await w.minutesView(Self.runde, version: 3) }

        let chain = try await w.verifyAudit()
        #expect(chain.isIntact, "\(chain.problems)")
    }

    /// Bad input is named, next to its field, and nothing is stored.
    @Test func badInputIsNamedAndNothingIsStored() async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(.memory)
        defer { cleanup() }
        _ = try await Self.written(w)
        let before = try await w.minutesRecord(of: try await w.session(Self.runde))
        let refusal = await Self.refusal {
            _ = try await w.editMinutes(
                Self.runde,
                .batch([
                    .times(began: "25:00", ended: "9:00"),
                    .item(id: 3, discussion: "a\u{7}b", results: "", isPublic: true),
                ]), by: Self.coordinator)
        }
        guard case .invalid(let problems)? = refusal else {
            Issue.record("bad input: \(String(describing: refusal))")
            return
        }
        #expect(problems.map(\.field) == ["beginn", "diskussion_3"])
        #expect(problems.first?.text == "the begin '25:00' is not a time HH:MM")
        await #expect(throws: WorkflowError.self) {
            _ = try await w.editMinutes(
                Self.runde, .addVote(item: 3, .init(subject: "", yes: -1, no: 0, abstentions: 0)), by: Self.coordinator)
        }
        await #expect(throws: WorkflowError.notFound("there is no agenda item 9; items: 1, 3, 2")) {
            _ = try await w.editMinutes(
                Self.runde, .item(id: 9, discussion: "x", results: "", isPublic: true), by: Self.coordinator)
        }
        // A stale revision: someone else wrote since the form was read.
        await #expect(throws: WorkflowError.stale("the minutes of runde of 2026-03-02 changed since they were read")) {
            _ = try await w.editMinutes(Self.runde, .minuteTaker("Y"), revision: 1, by: Self.coordinator)
        }
        #expect(try await w.minutesRecord(of: try await w.session(Self.runde)) == before)
    }

    /// The refusal of `attempt`, `nil` when it went through.
    static func refusal(_ attempt: () async throws -> Void) async -> WorkflowError? {
        do {
            try await attempt()
            return nil
        } catch let error as WorkflowError {
            return error
        } catch {
            return .corrupt("\(error)")
        }
    }

    /// Drafts are for the body's coordinators; approved minutes for the people holding its seats
    /// too; the person holding the chair's seat approves.
    @Test func whoReadsAndWhoApproves() async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(.memory)
        defer { cleanup() }
        _ = try await Self.written(w)
        // Anna holds the chair's seat (jc) in the Runde, Jana a seat for ja-k; Ben none.
        _ = try await w.assignSeat(
            .init(body: "runde", office: "jc", person: "anna-beispiel", from: CivilDate(year: 2026, month: 1, day: 1)),
            by: Self.local)
        _ = try await w.assignSeat(
            .init(body: "runde", office: "ja-k", person: "jana-jugend", from: CivilDate(year: 2026, month: 1, day: 1)),
            by: Self.local)
        let staff = { (id: String) in Principal(actor: id, roles: [], person: id) }
        await #expect(throws: WorkflowError.self) {
            _ = try await w.readableMinutes(Self.runde, by: staff("jana-jugend"))
        }
        await #expect(throws: WorkflowError.self) {
            _ = try await w.approveMinutes(Self.runde, by: staff("jana-jugend"))
        }
        let approved = try await w.approveMinutes(Self.runde, by: staff("anna-beispiel"))
        #expect(approved.actor == "anna-beispiel")
        let read = try await w.readableMinutes(Self.runde, by: staff("jana-jugend"))
        #expect(read.view.version == "Fassung 1")
        await #expect(throws: WorkflowError.self) {
            _ = try await w.readableMinutes(Self.runde, by: staff("ben-vertreter"))
        }
        #expect(try await w.approvedMinutes(of: "runde", by: staff("jana-jugend")).count == 1)
        #expect(try await w.approvedMinutes(of: "runde", by: staff("ben-vertreter")).isEmpty)
    }
}
