import Coordination
import Foundation
import Platform
import Storage

/// What `sessions` lists: a period of whole local days, optionally bodies and an office.
public struct SessionQuery: Sendable, Hashable {
    /// The longest period listed at once, in days (five years): with at most one session a day
    /// per series, it bounds an answer.
    public static let longestPeriod = 1827
    /// First day; `nil`: today in the district's zone.
    public var from: CivilDate?
    /// Day after the last (exclusive); `nil`: eight weeks after `from`.
    public var to: CivilDate?
    public var bodies: [String]
    /// Only the sessions of bodies the office has a seat in on the session's day.
    public var office: String?

    public init(from: CivilDate? = nil, to: CivilDate? = nil, bodies: [String] = [], office: String? = nil) {
        self.from = from
        self.to = to
        self.bodies = bodies
        self.office = office
    }
}

/// The sessions of a period, each with the key its records are kept under.
public struct SessionListing: Sendable {
    public var sessions: [(key: SessionKey, session: Session)]
    public var from: CivilDate
    public var to: CivilDate
    /// Whether the period reaches past `plan_until`, after which nothing is planned.
    public var beyondPlanning: Bool
}

extension Workflows {
    /// Today in the district's default zone.
    public static func today(_ planning: Planning, clock: WallClock) -> CivilDate {
        let now = clock.now()
        guard let zone = planning.planner.zone(ofTimeZone: planning.district.defaultTimeZone) else { return now.date }
        return LocalDateTime(localSeconds: now.localSeconds + Int64(zone.offset(atUTC: now.localSeconds))).date
    }

    /// The resolved sessions of a period: rules expanded, holidays and exceptions applied.
    /// Public data (no people): anyone may list them.
    public static func sessions(in planning: Planning, _ query: SessionQuery, today: CivilDate)
        throws(WorkflowError) -> SessionListing
    {
        let from = query.from ?? today
        let to = query.to ?? CivilDate(dayNumber: from.dayNumber + 56)
        guard from < to else { throw .invalid("the end of the period (\(to)) must lie after its start (\(from))") }
        let days = to.dayNumber - from.dayNumber
        guard days <= SessionQuery.longestPeriod else {
            throw .invalid(
                "the period from \(from) to \(to) spans \(days) days; at most \(SessionQuery.longestPeriod) days (five years) are listed at once"
            )
        }
        for id in query.bodies { _ = try planning.body(id) }
        if let office = query.office { try planning.requireOffice(office) }
        let district = planning.district
        var found = planning.planner.keyedSessions(
            from: from, through: CivilDate(dayNumber: to.dayNumber - 1),
            bodies: query.bodies.isEmpty ? nil : Set(query.bodies))
        if let office = query.office {
            found = found.filter { s in
                district.body(s.session.body)?.members(on: s.session.start.local.date).contains { $0.office == office }
                    ?? false
            }
        }
        return SessionListing(
            sessions: found, from: from, to: to, beyondPlanning: to.dayNumber - 1 > district.planUntil.dayNumber)
    }

    /// The sessions of the store's district (see the static form).
    public func sessions(_ query: SessionQuery) async throws(WorkflowError) -> SessionListing {
        let planning = try await planning()
        return try Self.sessions(in: planning, query, today: Self.today(planning, clock: clock))
    }

    /// The recorded session changes, of one body or all.
    public func sessionChanges(body: String? = nil) async throws(WorkflowError) -> [SessionChange] {
        let all = try await stored { () async throws(StorageError) in try await store.sessionChanges() }
        return all.filter { body == nil || $0.body == body }
    }

    /// Cancels a planned session; subscribers see it disappear (EXDATE).
    public func cancel(_ target: SessionTarget, reason: String, by principal: Principal) async throws(WorkflowError)
        -> SessionChange
    {
        try await checkedWrite { () async throws(WorkflowError) in
            try await cancelOnce(target, reason: reason, by: principal)
        }
    }

    private func cancelOnce(_ target: SessionTarget, reason: String, by principal: Principal)
        async throws(WorkflowError) -> SessionChange
    {
        let planning = try await freshPlanning()
        let found = try planning.session(body: target.body, plannedOn: target.date, series: target.series)
        try principal.requireWrite(body: found.body.id)
        let reason = reason.trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else {
            throw .invalid("the reason must not be empty", german: "Bitte einen Grund für die Absage angeben.")
        }
        try WorkflowError.requireText(reason, "the reason", multiline: true)
        if found.session.status == .cancelled {
            throw .conflict(
                code: "already_cancelled",
                "\(found.name) is already cancelled (\(found.session.reason ?? "no reason given"))"
            )
        }
        if var added = addition(of: found) {
            added.cancelled = reason
            return try await record(found, .add(added), by: principal, in: planning)
        }
        return try await record(found, .cancel(date: found.key.date, reason: reason), by: principal, in: planning)
    }

    /// The extra session a resolved session is, or `nil` for a session of the rule.
    func addition(of found: ResolvedSession) -> SeriesException.Addition? {
        guard !found.isPlanned else { return nil }
        return found.series.exceptions.compactMap(\.addition).first {
            found.district.uid(body: found.body, series: found.series, addition: $0) == found.session.uid
        }
    }

    /// Whether anything is recorded under a session's key: attendance, agenda items, action
    /// items, written minutes or a state of its minutes (a session with records keeps its date).
    func hasRecords(_ key: SessionKey) async throws(WorkflowError) -> Bool {
        try await stored { () async throws(StorageError) in
            let attendance = try await store.attendance(of: key)
            let agenda = try await store.agenda(of: key)
            let minutes = try await store.minutesState(of: key)
            let written = try await store.minutesRecord(of: key)
            let actions = try await store.actionItems(of: key.body).filter { $0.session == key }
            return !attendance.isEmpty || !agenda.isEmpty || minutes != nil || written != nil || !actions.isEmpty
        }
    }

    /// Undoes the cancellation or the move of a session: it takes place at its planned time again
    /// (and is not "moved"). An extra session that was cancelled takes place again.
    public func reinstate(_ target: SessionTarget, reason: String, by principal: Principal)
        async throws(WorkflowError) -> SessionChange
    {
        try await checkedWrite { () async throws(WorkflowError) in
            let planning = try await freshPlanning()
            let found = try planning.session(body: target.body, plannedOn: target.date, series: target.series)
            try principal.requireWrite(body: found.body.id)
            let reason = try Self.requireReason(reason, german: "Bitte einen Grund für das Zurücknehmen angeben.")
            let name = "\(found.name)"
            if var added = addition(of: found) {
                guard added.cancelled != nil else {
                    throw .conflict(code: "not_cancelled", "\(name) is not cancelled; there is nothing to reinstate")
                }
                added.cancelled = nil
                return try await record(found, .add(added), by: principal, in: planning)
            }
            guard found.session.status != .scheduled else {
                throw .conflict(
                    code: "not_changed", "\(name) takes place as planned; there is nothing to reinstate")
            }
            guard found.series.exceptions.contains(where: { $0.date == found.key.date }) else {
                throw .conflict(
                    code: "holiday",
                    "\(name) is \(found.session.status == .cancelled ? "left out" : "shifted") by the series' holiday rule (\(found.session.reason ?? "")); move it instead"
                )
            }
            return try await record(
                found, .reinstate(date: found.key.date, reason: reason), by: principal, in: planning)
        }
    }

    /// Takes an extra session that never took place out of the plan (nothing may be recorded for
    /// it). A session of the rule is cancelled instead.
    public func remove(_ target: SessionTarget, reason: String, by principal: Principal)
        async throws(WorkflowError) -> SessionChange
    {
        try await checkedWrite { () async throws(WorkflowError) in
            let planning = try await freshPlanning()
            let found = try planning.session(body: target.body, plannedOn: target.date, series: target.series)
            try principal.requireWrite(body: found.body.id)
            let reason = try Self.requireReason(reason, german: "Bitte einen Grund für das Entfernen angeben.")
            let name = "\(found.name)"
            guard let added = addition(of: found) else {
                throw .conflict(code: "planned_session", "\(name) is a session of the series' rule; cancel it instead")
            }
            if try await hasRecords(found.key) {
                throw .conflict(
                    code: "has_records",
                    "\(name) has attendance, agenda items, action items or minutes recorded; it cannot be removed (cancel it instead)"
                )
            }
            return try await record(found, .remove(id: added.id, reason: reason), by: principal, in: planning)
        }
    }

    /// `conflict` (`not_begun`) while the session has not begun: its attendance, approval and
    /// done action items come after its start.
    func requireBegun(_ found: ResolvedSession, _ what: String) throws(WorkflowError) {
        guard found.session.start.utc > clock.now().localSeconds else { return }
        throw .conflict(
            code: "not_begun",
            "\(found.name) has not begun yet; \(what)")
    }

    /// A reason, trimmed; `invalid` when empty or with a control character.
    static func requireReason(_ reason: String, german: String) throws(WorkflowError) -> String {
        let reason = reason.trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else { throw .invalid("the reason must not be empty", german: german) }
        try WorkflowError.requireText(reason, "the reason", multiline: true)
        return reason
    }

    /// A move of a session: its new start (in the series' zone) and what else changes.
    public struct Move: Sendable, Hashable {
        public var to: LocalDateTime
        public var durationMinutes: Int?
        public var location: String?
        public var reason: String?
        /// Go ahead despite warnings (an overlap, a holiday, a weekend, after `plan_until`, past).
        public var confirmed: Bool

        public init(
            to: LocalDateTime, durationMinutes: Int? = nil, location: String? = nil, reason: String? = nil,
            confirmed: Bool = false
        ) {
            self.to = to
            self.durationMinutes = durationMinutes
            self.location = location
            self.reason = reason
            self.confirmed = confirmed
        }
    }

    /// Moves a planned session; returns the change and whether it had been cancelled (a move
    /// reinstates it).
    public func move(_ target: SessionTarget, _ move: Move, by principal: Principal) async throws(WorkflowError)
        -> (change: SessionChange, reinstated: Bool)
    {
        try await checkedWrite { () async throws(WorkflowError) in try await moveOnce(target, move, by: principal) }
    }

    private func moveOnce(_ target: SessionTarget, _ move: Move, by principal: Principal)
        async throws(WorkflowError) -> (change: SessionChange, reinstated: Bool)
    {
        try Self.checkDuration(move.durationMinutes)
        try WorkflowError.requireText(move.location, "the location")
        try WorkflowError.requireText(move.reason, "the reason", multiline: true)
        let planning = try await freshPlanning()
        let found = try planning.session(body: target.body, plannedOn: target.date, series: target.series)
        try principal.requireWrite(body: found.body.id)
        let b = found.body
        if !b.isValid(on: move.to.date) {
            let period = "\(b.validFrom?.description ?? "…") to \(b.validUntil?.description ?? "…")"
            throw .invalid("\(b.id) does not exist on \(move.to.date) (valid \(period))")
        }
        var placed = found.session
        let zone = planning.planner.zone(of: found.series)
        let minutes = move.durationMinutes ?? Int((found.session.end.utc - found.session.start.utc) / 60)
        placed.start = zoned(move.to, zone)
        placed.end = ZonedTime(
            utc: placed.start.utc + Int64(minutes * 60),
            offset: zone.offset(atUTC: placed.start.utc + Int64(minutes * 60)))
        placed.status = .moved
        try confirm(placed, of: b, in: planning, confirmed: move.confirmed)
        if var added = addition(of: found) {
            // An extra session's records are kept under its day: it moves to another day only
            // while it has none.
            if move.to.date != added.start.date, try await hasRecords(found.key) {
                throw .conflict(
                    code: "has_records",
                    "\(found.name) is an added session with records; it can move within its day only"
                )
            }
            let wasCancelled = added.cancelled != nil
            added.start = move.to
            added.durationMinutes = move.durationMinutes ?? added.durationMinutes
            added.location = move.location ?? added.location
            added.moved = move.reason ?? ""
            added.cancelled = nil
            return (try await record(found, .add(added), by: principal, in: planning), wasCancelled)
        }
        let exception = SeriesException.Move(
            date: found.key.date, to: move.to, durationMinutes: move.durationMinutes, location: move.location,
            reason: move.reason)
        let change = try await record(found, .move(exception), by: principal, in: planning)
        return (change, found.session.status == .cancelled)
    }

    /// A single session to add to a body (a case discussion, a crisis counselling talk).
    public struct Addition: Sendable, Hashable {
        public var body: String
        public var start: LocalDateTime
        public var durationMinutes: Int?
        /// Default: the series' kind.
        public var kind: Series.MeetingKind?
        public var title: String?
        public var location: String?
        /// The series it belongs to; `nil`: the body's first.
        public var series: String?
        /// Go ahead despite warnings (an overlap, a holiday, a weekend, after `plan_until`, past).
        public var confirmed: Bool

        public init(
            body: String, start: LocalDateTime, durationMinutes: Int? = nil, kind: Series.MeetingKind? = nil,
            title: String? = nil,
            location: String? = nil, series: String? = nil, confirmed: Bool = false
        ) {
            self.confirmed = confirmed
            self.body = body
            self.start = start
            self.durationMinutes = durationMinutes
            self.kind = kind
            self.title = title
            self.location = location
            self.series = series
        }
    }

    /// Adds a single session to a body.
    public func add(_ addition: Addition, by principal: Principal) async throws(WorkflowError) -> SessionChange {
        try Self.checkDuration(addition.durationMinutes)
        try WorkflowError.requireText(addition.title, "the title")
        try WorkflowError.requireText(addition.location, "the location")
        let planning = try await freshPlanning()
        let b = try planning.body(addition.body)
        try principal.requireWrite(body: b.id)
        guard let s = addition.series.map({ id in b.series.first { $0.id == id } }) ?? b.series.first else {
            let known = b.series.map(\.id).joined(separator: ", ")
            throw .notFound("\(b.id) has no series '\(addition.series ?? "")'; its series: \(known)")
        }
        guard b.isValid(on: addition.start.date) else {
            throw .invalid("\(b.id) does not exist on \(addition.start.date)")
        }
        let added = SeriesException.Addition(
            id: "extra-\(addition.start.basicFormat.lowercased())", start: addition.start,
            durationMinutes: addition.durationMinutes, location: addition.location, title: addition.title,
            kind: addition.kind)
        if s.exceptions.contains(where: { $0.addition?.id == added.id }) {
            throw .conflict(
                code: "already_added",
                "\(b.id) already has a session added for \(addition.start.date) at \(addition.start.clock); move or cancel that one"
            )
        }
        let zone = planning.planner.zone(of: s)
        let begin = zoned(addition.start, zone)
        let seconds = Int64((addition.durationMinutes ?? s.durationMinutes) * 60)
        let placed = Session(
            body: b.id, series: s.id, uid: planning.district.uid(body: b, series: s, addition: added),
            recurrenceID: nil, start: begin,
            end: ZonedTime(utc: begin.utc + seconds, offset: zone.offset(atUTC: begin.utc + seconds)),
            timeZone: s.timeZone, status: .scheduled, title: addition.title ?? s.title ?? b.name,
            location: addition.location ?? s.location, kind: addition.kind ?? s.kind)
        try confirm(placed, of: b, in: planning, confirmed: addition.confirmed)
        let change = SessionChange(
            body: b.id, series: s.id, exception: .add(added), time: clock.now(), actor: principal.actor)
        // The same session added twice at once: the second finds a change it did not expect.
        let seen = planning.changeCounts?["\(b.id)/\(s.id)"] ?? 0
        let mail = try await mailFor(body: b.id, days: [addition.start.date])
        try await stored { () async throws(StorageError) in
            try await store.record(change, expecting: .exactly(seen), outbox: mail)
        }
        return change
    }

    /// `unconfirmed` when placing `session` draws warnings and the change was not confirmed.
    func confirm(_ session: Session, of body: Body, in planning: Planning, confirmed: Bool) throws(WorkflowError) {
        guard !confirmed else { return }
        let warnings = planning.planner.warnings(
            placing: session, of: body, today: Self.today(planning, clock: clock))
        if !warnings.isEmpty { throw .unconfirmed(warnings) }
    }

    /// The instant of a wall-clock time in a zone (the later one in a gap, the earlier in a fold).
    func zoned(_ local: LocalDateTime, _ zone: ZoneRules) -> ZonedTime {
        let r = zone.resolve(local: local.localSeconds)
        return ZonedTime(utc: r.utc, offset: r.offset)
    }

    /// Every overlap of sessions of different bodies that share an office, in a period of whole
    /// local days (`to` exclusive): what `gremien sessions --conflicts` lists.
    public static func conflicts(in planning: Planning, from: CivilDate, to: CivilDate) -> [SessionConflict] {
        let zone = planning.planner.zone(ofTimeZone: planning.district.defaultTimeZone) ?? .utc
        return planning.planner.conflicts(
            from: zone.utc(forLocal: LocalDateTime(date: from).localSeconds),
            to: zone.utc(forLocal: LocalDateTime(date: to).localSeconds))
    }

    /// `invalid` unless `minutes` lies within `Series.durations`.
    static func checkDuration(_ minutes: Int?) throws(WorkflowError) {
        guard let minutes, !Series.durations.contains(minutes) else { return }
        throw .invalid(
            "the duration \(minutes) is out of range; allowed: \(Series.durations.lowerBound) to \(Series.durations.upperBound) minutes"
        )
    }

    /// Records a change, expecting the series to have exactly the changes the check saw: a
    /// change made by another writer in between refuses this one (and the check runs again).
    private func record(
        _ found: ResolvedSession, _ exception: SeriesException, by principal: Principal, in planning: Planning
    ) async throws(WorkflowError) -> SessionChange {
        let change = SessionChange(
            body: found.body.id, series: found.series.id, exception: exception, time: clock.now(),
            actor: principal.actor)
        let seen = planning.changeCounts?["\(found.body.id)/\(found.series.id)"] ?? 0
        // Who holds the body's seats hears of it, in the same transaction (never for the past).
        var days = [found.session.start.local.date]
        var cancelled: (series: String, date: CivilDate)?
        switch exception {
        case .cancel(let date, _): cancelled = (found.series.id, date)
        case .move(let m): days.append(m.to.date)
        case .add(let a):
            days.append(a.start.date)
            // An added session cancelled: its own UID is cancelled at the receivers (a REQUEST
            // without it would leave their copy standing).
            if a.cancelled != nil && found.session.status != .cancelled {
                cancelled = (found.series.id, found.key.date)
            }
        case .remove:
            // Removed: no feed shows it any more; its UID is cancelled at the receivers.
            let mail = try await mailFor(
                body: found.body.id, days: days, cancelled: (found.series.id, found.key.date),
                removed: found.session.uid)
            try await stored { () async throws(StorageError) in
                try await store.record(change, expecting: .exactly(seen), outbox: mail)
            }
            return change
        default: break
        }
        let mail = try await mailFor(body: found.body.id, days: days, cancelled: cancelled)
        try await stored { () async throws(StorageError) in
            try await store.record(change, expecting: .exactly(seen), outbox: mail)
        }
        return change
    }
}

/// What a principal's start page shows: the bodies they work for, the sessions of a period
/// (by default four weeks back and eight ahead) and the open work of the last 90 days.
public struct Overview: Sendable {
    /// The bodies a coordinator coordinates; every body for the other roles.
    public var bodies: [Body]
    /// Whether `bodies` is the principal's own selection (a coordinator's) rather than all.
    public var ownBodies: Bool
    /// The sessions of the period, in order.
    public var sessions: [(key: SessionKey, session: Session)]
    public var from: CivilDate
    /// The day after the period.
    public var to: CivilDate
    public var today: CivilDate
    public var openWork: OpenWork
}

/// What is still to be done for sessions that have taken place (the last 90 days).
public struct OpenWork: Sendable {
    /// Held sessions without any attendance recorded.
    public var withoutAttendance: [(key: SessionKey, session: Session)] = []
    /// Held sessions whose minutes are not approved.
    public var minutesNotApproved: [(key: SessionKey, session: Session)] = []
    /// Open action items whose due date has passed.
    public var overdueActions: [ActionItem] = []

    public var isEmpty: Bool { withoutAttendance.isEmpty && minutesNotApproved.isEmpty && overdueActions.isEmpty }
}

/// Which sessions the start page lists.
public struct OverviewQuery: Sendable, Hashable {
    /// One body only.
    public var body: String?
    /// First day; `nil`: four weeks before today.
    public var from: CivilDate?
    /// Last day (inclusive); `nil`: eight weeks after today.
    public var through: CivilDate?

    public init(body: String? = nil, from: CivilDate? = nil, through: CivilDate? = nil) {
        self.body = body
        self.from = from
        self.through = through
    }
}

extension Workflows {
    /// How far back the open work reaches, in days.
    public static let openWorkDays = 90

    /// The start page of `principal`: their bodies (or one of them), the sessions of a period
    /// and what is still to be done.
    public func overview(for principal: Principal, _ query: OverviewQuery = .init()) async throws(WorkflowError)
        -> Overview
    {
        let planning = try await planning()
        let own = principal.roles.contains(.coordinator) && !principal.roles.contains(.localOperator)
        let bodies =
            own ? planning.district.bodies.filter { principal.bodies.contains($0.id) } : planning.district.bodies
        let today = Self.today(planning, clock: clock)
        let from = query.from ?? CivilDate(dayNumber: today.dayNumber - 28)
        let through = query.through ?? CivilDate(dayNumber: today.dayNumber + 56)
        guard from <= through else {
            throw .invalid([
                Problem(
                    "the period ends (\(through)) before it starts (\(from))", german: "Das Ende liegt vor dem Anfang.",
                    field: "bis")
            ])
        }
        guard through.dayNumber - from.dayNumber < SessionQuery.longestPeriod else {
            throw .invalid([
                Problem(
                    "the period spans more than five years",
                    german: "Es werden höchstens fünf Jahre auf einmal gezeigt.",
                    field: "bis")
            ])
        }
        var ids = Set(bodies.map(\.id))
        if let body = query.body {
            guard ids.contains(body) else {
                throw .invalid([
                    Problem(
                        "unknown body '\(body)'", german: "Dieses Gremium steht nicht zur Auswahl.", field: "gremium")
                ])
            }
            ids = [body]
        }
        let sessions = planning.planner.keyedSessions(from: from, through: through, bodies: ids)
        let first = CivilDate(dayNumber: today.dayNumber - Self.openWorkDays)
        let yesterday = CivilDate(dayNumber: today.dayNumber - 1)
        let held = planning.planner.keyedSessions(from: first, through: yesterday, bodies: ids)
            .filter { $0.session.status != .cancelled }
        // Whole-period reads, not two per session.
        let (attended, approved, actions) = try await stored { () async throws(StorageError) in
            var actions: [ActionItem] = []
            for id in ids.sorted() { actions += try await store.actionItems(of: id) }
            return (
                Set(try await store.attendance(from: first, through: yesterday).map(\.session)),
                Set(try await store.minutesStates().filter { $0.status == .approved }.map(\.session)), actions
            )
        }
        var work = OpenWork()
        work.withoutAttendance = held.filter { !attended.contains($0.key) }
        work.minutesNotApproved = held.filter { !approved.contains($0.key) }
        work.overdueActions = actions.filter { $0.done == nil && ($0.due.map { $0 < today } ?? false) }
        return Overview(
            bodies: bodies, ownBodies: own, sessions: sessions, from: from,
            to: CivilDate(dayNumber: through.dayNumber + 1),
            today: today, openWork: work)
    }
}
