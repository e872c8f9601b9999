import Coordination
import GremienTestSupport
import Platform
import Storage
import StorageSQLite
import Testing
import Workflows

/// Two writers on one SQLite file (as the command line beside the server), firing conflicting
/// writes at the same moment: the check and the write it guards happen in one transaction, so
/// exactly one of each pair wins and the event log verifies afterwards.
@Suite struct ConcurrentWritesTests {
    static let now = LocalDateTime(year: 2026, month: 11, day: 15, hour: 12)

    /// Two workflows on two connections to one fresh, synced SQLite file, and the planned
    /// sessions of the runde.
    static func writers() async throws -> (Workflows, Workflows, [SessionTarget], @Sendable () -> Void) {
        let path = TemporaryFile.path("concurrent", "sqlite")
        let first = try SQLiteStore(path: path)
        let plan = SyncPlan.between(stored: StoredDefinitions(), files: try TestDistrict.district(), at: now)
        try await first.apply(plan, at: now, actor: "t")
        try await first.save(Person(name: "Anna Beispiel", office: "jc", level: .sgl), at: now, actor: "t")
        let second = try SQLiteStore(path: path)
        let a = Workflows(store: first, clock: .fixed(now), zones: TestDistrict.zones)
        let b = Workflows(store: second, clock: .fixed(now), zones: TestDistrict.zones)
        let listing = try await a.sessions(
            SessionQuery(
                from: CivilDate(year: 2026, month: 3, day: 1), to: CivilDate(year: 2026, month: 11, day: 1),
                bodies: ["runde"]))
        let targets = listing.sessions.filter { $0.session.status != .cancelled && $0.key.series == "montag" }
            .filter { $0.session.recurrenceID != nil }.map { SessionTarget(body: "runde", date: $0.key.date) }
        return (a, b, targets, { TemporaryFile.removeSQLite(path) })
    }

    static let local = Principal.localOperator("betrieb")

    /// Whether a write succeeded; a refusal must be one of `allowed`.
    static func outcome<T>(_ work: () async throws(WorkflowError) -> T, allowed: (WorkflowError) -> Bool)
        async -> Bool
    {
        do {
            _ = try await work()
            return true
        } catch {
            #expect(allowed(error), "unexpected refusal: \(error)")
            return false
        }
    }

    @Test func twoApprovalsOrTwoCancelsAtOnceLetExactlyOneWin() async throws {
        let (a, b, targets, cleanup) = try await Self.writers()
        defer { cleanup() }
        #expect(targets.count >= 30)
        for target in targets {
            async let first = Self.outcome({ () async throws(WorkflowError) in
                try await a.approveMinutes(target, by: Self.local)
            }) { if case .conflict(code: "already_approved", _) = $0 { true } else { false } }
            async let second = Self.outcome({ () async throws(WorkflowError) in
                try await b.approveMinutes(target, by: Self.local)
            }) { if case .conflict(code: "already_approved", _) = $0 { true } else { false } }
            let (one, two) = await (first, second)
            #expect(one != two, "\(target.date): both or neither approved")
            async let cancelA = Self.outcome({ () async throws(WorkflowError) in
                try await a.cancel(target, reason: "Ausfall A", by: Self.local)
            }) { if case .conflict(code: "already_cancelled", _) = $0 { true } else { false } }
            async let cancelB = Self.outcome({ () async throws(WorkflowError) in
                try await b.cancel(target, reason: "Ausfall B", by: Self.local)
            }) { if case .conflict(code: "already_cancelled", _) = $0 { true } else { false } }
            let (c1, c2) = await (cancelA, cancelB)
            #expect(c1 != c2, "\(target.date): both or neither cancelled")
        }
        let states = try await a.store.minutesStates()
        #expect(states.count == targets.count && states.allSatisfy { $0.status == .approved })
        #expect(try await a.sessionChanges().count == targets.count)
        let result = try await a.verifyAudit()
        #expect(result.isIntact, "\(result.problems.prefix(3))")
    }

    /// Attendance and the approval of the minutes at once: either the attendance came first and
    /// both stand, or the approval did and the attendance is refused as locked; never attendance
    /// after approval. Two writes with the same read attendance: exactly one, the other stale.
    @Test func attendanceAgainstApprovalAndTwoWritesOfOneReading() async throws {
        let (a, b, targets, cleanup) = try await Self.writers()
        defer { cleanup() }
        var bothStood = 0
        var refused = 0
        for target in targets {
            let line = AttendanceLine(
                label: "", session: target, office: "jc", person: "Anna Beispiel", status: "present")
            let absent = AttendanceLine(label: "", session: target, office: "ja-k", status: "absent")
            let excused = AttendanceLine(label: "", session: target, office: "ja-k", status: "excused")
            let read = try await a.attendance(of: target).entries
            async let w1 = Self.outcome({ () async throws(WorkflowError) in
                try await a.recordAttendance([absent], by: Self.local, read: .exactly(read))
            }) { if case .stale = $0 { true } else { false } }
            async let w2 = Self.outcome({ () async throws(WorkflowError) in
                try await b.recordAttendance([excused], by: Self.local, read: .exactly(read))
            }) { if case .stale = $0 { true } else { false } }
            let (s1, s2) = await (w1, w2)
            #expect(s1 != s2, "\(target.date): two writes of one reading both or neither stored")
            async let record = Self.outcome({ () async throws(WorkflowError) in
                try await a.recordAttendance([line], by: Self.local)
            }) { if case .locked = $0 { true } else { false } }
            async let approve = Self.outcome({ () async throws(WorkflowError) in
                try await b.approveMinutes(target, by: Self.local)
            }) { _ in false }
            let (recorded, approved) = await (record, approve)
            #expect(approved)
            if recorded { bothStood += 1 } else { refused += 1 }
        }
        #expect(bothStood + refused == targets.count)
        let result = try await a.verifyAudit()
        #expect(result.isIntact, "\(result.problems.prefix(3))")
        print("concurrent: \(targets.count) pairs; attendance first \(bothStood), refused after approval \(refused)")
    }
}
