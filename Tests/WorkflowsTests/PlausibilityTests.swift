import Coordination
import GremienTestSupport
import Storage
import Testing
import Workflows

/// Attendance, approval and done action items come after a session has begun; an action item is
/// not due before its session (issue 14). Regression: on 30.11.2026 the minutes of 18.03.2027
/// became "genehmigt am 30.11.2026".
@Suite struct PlausibilityTests {
    static let op = Principal.localOperator("koordination")
    /// The clock stands at 1 October 2026, 12:00 UTC; the Runde meets on Mondays at 10:00.
    static let coming = SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 10, day: 5))
    static let held = SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 9, day: 28))

    @Test(arguments: StoreKind.allCases)
    func whatComesAfterASessionWaitsForItsStart(kind: StoreKind) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(kind)
        defer { cleanup() }
        #expect(WorkflowsTests.now == LocalDateTime(year: 2026, month: 10, day: 1, hour: 12))
        let line = AttendanceLine(label: "1", session: Self.coming, office: "jc", status: "present")
        await #expect(
            throws: WorkflowError.conflict(
                code: "not_begun",
                "1: runde of 2026-10-05 has not begun yet; attendance is recorded from its start")
        ) { try await w.recordAttendance([line], by: Self.op) }
        await #expect(
            throws: WorkflowError.conflict(
                code: "not_begun", "runde of 2026-10-05 has not begun yet; its minutes are approved after it")
        ) { try await w.approveMinutes(Self.coming, by: Self.op) }
        // An action item may be agreed ahead (on the agenda), but it is done only after the session.
        let item = try await w.addActionItem(
            Self.coming, text: "Bericht vorbereiten", office: "jc", due: CivilDate(year: 2026, month: 10, day: 20),
            by: Self.op)
        await #expect(throws: WorkflowError.self) { try await w.closeActionItem(item.id ?? 0, by: Self.op) }
        await #expect(
            throws: WorkflowError.invalid(["the due date 2026-10-01 lies before the session (2026-10-05)"])
        ) {
            try await w.addActionItem(
                Self.coming, text: "zu früh", office: "jc", due: CivilDate(year: 2026, month: 10, day: 1), by: Self.op)
        }
        // The session of 28 September has begun: all of it is taken.
        try await w.recordAttendance(
            [AttendanceLine(label: "1", session: Self.held, office: "jc", status: "present")], by: Self.op)
        let done = try await w.addActionItem(Self.held, text: "Protokoll", office: "jc", due: nil, by: Self.op)
        _ = try await w.approveMinutes(Self.held, by: Self.op)
        // Done after the approval: marking it done is work of a later day, not a change of the minutes.
        try await w.closeActionItem(done.id ?? 0, by: Self.op)
        #expect(try await w.actionItems(of: "runde", open: true).map(\.text) == ["Bericht vorbereiten"])
    }
}
