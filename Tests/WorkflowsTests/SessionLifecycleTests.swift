import Coordination
import GremienTestSupport
import Storage
import Testing
import Workflows

/// Every session, planned or added, can be cancelled, reinstated and moved; an added one that
/// never took place can be removed; the same session is not added twice (issue 14).
@Suite struct SessionLifecycleTests {
    static let op = Principal.localOperator("koordination")
    static func day(_ d: Int) -> CivilDate { CivilDate(year: 2026, month: 3, day: d) }
    static func runde(_ d: Int) -> SessionTarget { SessionTarget(body: "runde", date: day(d)) }

    @Test(arguments: StoreKind.allCases)
    func aCancellationIsUndoneAndTheSessionIsNotMoved(kind: StoreKind) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(kind)
        defer { cleanup() }
        _ = try await w.cancel(Self.runde(23), reason: "Klausur", by: Self.op)
        #expect(try await w.session(Self.runde(23)).session.status == .cancelled)
        let change = try await w.reinstate(Self.runde(23), reason: "Klausur verschoben", by: Self.op)
        let back = try await w.session(Self.runde(23))
        // Regression: an undone cancellation was recorded as a move to the same time.
        #expect(back.session.status == .scheduled && back.session.reason == nil)
        #expect(back.session.start.local == LocalDateTime(year: 2026, month: 3, day: 23, hour: 10))
        #expect(change.record.action == "reinstated" && change.record.detail == "reason: Klausur verschoben")
        await #expect(
            throws: WorkflowError.conflict(
                code: "not_changed", "runde of 2026-03-23 takes place as planned; there is nothing to reinstate")
        ) { try await w.reinstate(Self.runde(23), reason: "noch einmal", by: Self.op) }
        // A move is undone the same way (the fixture moves 16 March to the 18th).
        _ = try await w.reinstate(Self.runde(16), reason: "Raum wieder frei", by: Self.op)
        let planned = try await w.session(Self.runde(16))
        #expect(planned.session.status == .scheduled && planned.session.start.local.date == Self.day(16))
        // The series' SEQUENCE rose with each change.
        let series = try await w.planning().district.body("runde")?.series.first
        #expect((series?.sequence ?? 0) >= 2 + 3)
    }

    @Test(arguments: StoreKind.allCases)
    func anAddedSessionIsCancelledReinstatedMovedAndRemoved(kind: StoreKind) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(kind)
        defer { cleanup() }
        let start = LocalDateTime(year: 2026, month: 4, day: 8, hour: 9)
        _ = try await w.add(.init(body: "runde", start: start, title: "Sondersitzung", confirmed: true), by: Self.op)
        // Regression: the same session added twice was stored twice.
        await #expect(throws: WorkflowError.self) {
            try await w.add(.init(body: "runde", start: start, title: "Sondersitzung", confirmed: true), by: Self.op)
        }
        let target = SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 4, day: 8))
        _ = try await w.cancel(target, reason: "Thema erledigt", by: Self.op)
        let cancelled = try await w.session(target)
        #expect(cancelled.session.status == .cancelled && cancelled.session.reason == "Thema erledigt")
        _ = try await w.reinstate(target, reason: "Thema doch offen", by: Self.op)
        #expect(try await w.session(target).session.status == .scheduled)
        // Moved to another day while nothing is recorded: found under the new day, same UID.
        let uid = try await w.session(target).session.uid
        let (moved, _) = try await w.move(
            target, .init(to: LocalDateTime(year: 2026, month: 4, day: 9, hour: 14), reason: "Raum", confirmed: true),
            by: Self.op)
        #expect(moved.record.action == "moved")
        let there = try await w.session(SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 4, day: 9)))
        #expect(there.session.uid == uid && there.session.status == .moved)
        // Removed: gone from the plan and the listing.
        _ = try await w.remove(there.target, reason: "entfällt ersatzlos", by: Self.op)
        await #expect(throws: WorkflowError.self) { try await w.session(there.target) }
        let listed = try await w.sessions(
            SessionQuery(
                from: CivilDate(year: 2026, month: 4, day: 1), to: CivilDate(year: 2026, month: 4, day: 30),
                bodies: ["runde"]))
        #expect(!listed.sessions.contains { $0.session.uid == uid })
    }

    @Test(arguments: StoreKind.allCases)
    func onlyAnAddedSessionWithoutRecordsIsRemoved(kind: StoreKind) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(kind)
        defer { cleanup() }
        await #expect(
            throws: WorkflowError.conflict(
                code: "planned_session", "runde of 2026-03-23 is a session of the series' rule; cancel it instead")
        ) { try await w.remove(Self.runde(23), reason: "x", by: Self.op) }
        // The fixture's crisis talk on 25 March has an agenda item: it stays (and keeps its day).
        try await w.addAgendaItem(Self.runde(25), text: "Fall 1", by: Self.op)
        await #expect(throws: WorkflowError.self) { try await w.remove(Self.runde(25), reason: "x", by: Self.op) }
        await #expect(throws: WorkflowError.self) {
            try await w.move(
                Self.runde(25), .init(to: LocalDateTime(year: 2026, month: 3, day: 26, hour: 9), confirmed: true),
                by: Self.op)
        }
        // Within its day it may move.
        let (change, _) = try await w.move(
            Self.runde(25), .init(to: LocalDateTime(year: 2026, month: 3, day: 25, hour: 13), confirmed: true),
            by: Self.op)
        #expect(change.exception.addition?.start == LocalDateTime(year: 2026, month: 3, day: 25, hour: 13))
        let other = Principal(actor: "Ben", roles: [.coordinator], bodies: ["beirat"])
        await #expect(throws: WorkflowError.self) { try await w.reinstate(Self.runde(16), reason: "x", by: other) }
        await #expect(throws: WorkflowError.self) { try await w.reinstate(Self.runde(16), reason: " ", by: Self.op) }
    }
}

extension ResolvedSession {
    var target: SessionTarget { SessionTarget(body: body.id, date: key.date, series: series.id) }
}
