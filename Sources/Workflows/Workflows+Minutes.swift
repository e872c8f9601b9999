import Coordination
import Foundation
import Platform
import Publishing
import Storage

extension Workflows {
    /// What the minutes of a session are filled in from: the session, its attendance, the state
    /// of the minutes, the added agenda items and the body's action items.
    public func minutesView(_ target: SessionTarget) async throws(WorkflowError) -> MinutesView {
        try await minutesView(of: try await session(target))
    }

    /// The minutes view of a resolved session.
    public func minutesView(of found: ResolvedSession) async throws(WorkflowError) -> MinutesView {
        let key = found.key
        let (attendance, state, agenda, actions, seats, people) = try await stored {
            () async throws(StorageError) in
            (
                try await store.attendance(of: key), try await store.minutesState(of: key),
                try await store.agenda(of: key), try await store.actionItems(of: key.body), try await store.seats(),
                try await store.people()
            )
        }
        let plan = SeatPlan(seats)
        let day = found.session.start.local.date
        let names = Dictionary(people.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let chairSeat = plan.holders(body: found.body.id, office: found.body.chair, on: day).regular.first
        let chairPerson = chairSeat.flatMap { names[$0.person] }
        var holders: [String: [String]] = [:]
        for m in found.body.expectedOffices(on: day) {
            holders[m.office] = plan.holders(body: found.body.id, office: m.office, on: day).regular.compactMap {
                names[$0.person]
            }
        }
        return MinutesView(
            district: found.district, body: found.body, series: found.series, session: found.session, key: key,
            attendance: attendance, state: state, addedAgenda: agenda, actions: actions, chairPerson: chairPerson,
            seatHolders: holders)
    }

    /// The state of a session's minutes; `nil` while a draft that was never approved.
    public func minutesState(_ target: SessionTarget) async throws(WorkflowError) -> (
        session: ResolvedSession, state: MinutesState?
    ) {
        let found = try await session(target)
        let key = found.key
        let state = try await stored { () async throws(StorageError) in try await store.minutesState(of: key) }
        return (found, state)
    }

    /// Approves the minutes: from then on the session's attendance is locked.
    /// - Parameter read: the state the caller read and showed (an API client's `If-Match`): when
    ///   given, a change since is `stale`; otherwise the check runs again on a change meanwhile.
    public func approveMinutes(
        _ target: SessionTarget, by principal: Principal, read: Expected<MinutesState?> = .anything
    ) async throws(WorkflowError) -> MinutesState {
        try await checkedWrite { () async throws(WorkflowError) in
            let (found, state) = try await minutesState(target)
            try principal.requireWrite(body: found.body.id)
            guard read.holds({ state }) else {
                throw .stale("the minutes of \(found.key) changed since they were read")
            }
            guard state?.status != .approved else {
                throw .conflict(code: "already_approved", "the minutes of \(found.key) are already approved")
            }
            try requireBegun(found, "its minutes are approved after it")
            return try await save(
                MinutesState(session: found.key, status: .approved, time: clock.now(), actor: principal.actor),
                replacing: state)
        }
    }

    /// Reopens approved minutes, with a reason that is recorded.
    public func reopenMinutes(
        _ target: SessionTarget, reason: String, by principal: Principal, read: Expected<MinutesState?> = .anything
    ) async throws(WorkflowError) -> MinutesState {
        try await checkedWrite { () async throws(WorkflowError) in
            let (found, state) = try await minutesState(target)
            try principal.requireWrite(body: found.body.id)
            let reason = reason.trimmingCharacters(in: .whitespaces)
            guard !reason.isEmpty else {
                throw .invalid("reopening needs a reason", german: "Bitte einen Grund für das Wiedereröffnen angeben.")
            }
            try WorkflowError.requireText(reason, "the reason", multiline: true)
            guard read.holds({ state }) else {
                throw .stale("the minutes of \(found.key) changed since they were read")
            }
            guard state?.status == .approved else {
                throw .conflict(
                    code: "not_approved", "the minutes of \(found.key) are a draft; only approved minutes are reopened")
            }
            return try await save(
                MinutesState(
                    session: found.key, status: .draft, time: clock.now(), actor: principal.actor, reason: reason),
                replacing: state)
        }
    }

    /// Saves a state, expecting the one the check read to be still in the store.
    private func save(_ state: MinutesState, replacing previous: MinutesState?) async throws(WorkflowError)
        -> MinutesState
    {
        try await stored { () async throws(StorageError) in try await store.save(state, expecting: .exactly(previous)) }
        return state
    }
}
