import Coordination
import GremienTestSupport
import Storage
import Testing
import Workflows

/// A moved session is found by its planned date and by the date it moved to (issue 14): the
/// Runde of Monday 16 March meets on Wednesday 18 March.
@Suite struct SessionAddressingTests {
    @Test(arguments: StoreKind.allCases)
    func aMovedSessionIsFoundByEitherDate(kind: StoreKind) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(kind)
        defer { cleanup() }
        let planned = try await w.session(SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 3, day: 16)))
        let actual = try await w.session(SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 3, day: 18)))
        #expect(planned.key == actual.key && actual.key.date == CivilDate(year: 2026, month: 3, day: 16))
        #expect(
            actual.session.status == .moved
                && actual.session.start.local.date == CivilDate(year: 2026, month: 3, day: 18))
        // Records named by the actual date are kept under the planned one.
        try await w.recordAttendance(
            [
                AttendanceLine(
                    label: "1", session: SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 3, day: 18)),
                    office: "jc", status: "present")
            ], by: .localOperator("t"))
        #expect(try await w.attendance(of: planned).entries.map(\.office) == ["jc"])
        // A day with neither still says which days have sessions.
        await #expect(
            throws: WorkflowError.notFound(
                "runde has no session planned on 2026-03-17; nearest: 2026-03-16, 2026-03-23")
        ) {
            try await w.session(SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 3, day: 17)))
        }
    }
}
