import Coordination
import Foundation
import Platform
import Storage

/// One attendance line as typed on a form, in a CSV row or a JSON entry: checked by
/// `recordAttendance` against the session, the body and the staff records.
public struct AttendanceLine: Sendable, Hashable {
    /// Where the line came from, for messages: `entry 3`, `anwesenheit.csv:7`; empty for a single line.
    public var label: String
    /// The body's id.
    public var body: String
    /// The session's planned date as typed, `YYYY-MM-DD`.
    public var date: String
    public var series: String?
    public var office: String
    public var person: String?
    /// `present`, `excused`, `absent` or `represented`.
    public var status: String
    public var deputy: String?
    /// `HH:MM` on the session's day.
    public var arrival: String?
    public var departure: String?

    /// A line for a session already named.
    public init(
        label: String, session: SessionTarget, office: String, person: String? = nil, status: String,
        deputy: String? = nil, arrival: String? = nil, departure: String? = nil
    ) {
        self.init(
            label: label, body: session.body, date: session.date.description, series: session.series, office: office,
            person: person, status: status, deputy: deputy, arrival: arrival, departure: departure)
    }

    /// A line as typed.
    public init(
        label: String, body: String, date: String, series: String? = nil, office: String, person: String? = nil,
        status: String, deputy: String? = nil, arrival: String? = nil, departure: String? = nil
    ) {
        self.label = label
        self.body = body
        self.date = date
        self.series = series.flatMap { $0.isEmpty ? nil : $0 }
        self.office = office
        self.person = person.flatMap { $0.isEmpty ? nil : $0 }
        self.status = status
        self.deputy = deputy.flatMap { $0.isEmpty ? nil : $0 }
        self.arrival = arrival.flatMap { $0.isEmpty ? nil : $0 }
        self.departure = departure.flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// An attendance entry to remove: the session, the office and the person (`nil`: the office as a whole).
public struct AttendanceRemoval: Sendable, Hashable {
    public var session: SessionTarget
    public var office: String
    public var person: String?

    public init(session: SessionTarget, office: String, person: String?) {
        self.session = session
        self.office = office
        self.person = person
    }
}

/// A session's expected and recorded attendance, its quorum and the state of its minutes.
public struct AttendanceSheet: Sendable {
    public var session: ResolvedSession
    public var expected: [Membership]
    public var entries: [AttendanceEntry]
    public var quorum: QuorumResult?
    public var minutes: MinutesState?
    /// Why the principal the sheet was read for cannot record attendance now; `nil` when they can.
    public var readOnly: ReadOnlyReason?
    /// Who holds each expected office's place on the session's day, by office: the regular
    /// holders (expected in person) and the deputies in rank order (offered when they step in).
    public var holders: [String: (regular: [Person], deputies: [Person])] = [:]

    /// The answers to the invitation (Zusage, Absage), by the person's name.
    public var replies: [String: Reply.Answer] = [:]
    /// What they wrote with the answer, by the person's name.
    public var replyComments: [String: String] = [:]

    /// The regular holders of an office's place, by name.
    public func expectedPeople(_ office: String) -> [String] { holders[office]?.regular.map(\.name) ?? [] }

    /// The deputies of an office's place, by name, in rank order.
    public func deputies(_ office: String) -> [String] { holders[office]?.deputies.map(\.name) ?? [] }

    public enum ReadOnlyReason: Sendable, Hashable {
        /// Only a coordinator of the body records its attendance.
        case notPermitted
        /// The minutes are approved: attendance is locked until they are reopened.
        case minutesApproved
        /// The session does not take place.
        case cancelled
        /// The session has not begun: attendance is recorded from its start.
        case notBegun
    }
}

extension Workflows {
    /// The attendance sheet of a session.
    public func attendance(of target: SessionTarget) async throws(WorkflowError) -> AttendanceSheet {
        try await attendance(of: try await session(target))
    }

    /// The attendance sheet of a resolved session, as `principal` may use it (`readOnly`).
    public func attendance(of found: ResolvedSession, for principal: Principal? = nil) async throws(WorkflowError)
        -> AttendanceSheet
    {
        let key = found.key
        let (entries, minutes, seats, people, replies) = try await stored { () async throws(StorageError) in
            (
                try await store.attendance(of: key), try await store.minutesState(of: key), try await store.seats(),
                try await store.people(), try await store.replies(of: key)
            )
        }
        let day = found.session.start.local.date
        var readOnly: AttendanceSheet.ReadOnlyReason?
        if !(principal?.mayWrite(body: found.body.id) ?? false) { readOnly = .notPermitted }
        if minutes?.status == .approved { readOnly = .minutesApproved }
        if found.session.start.utc > clock.now().localSeconds { readOnly = .notBegun }
        if found.session.status == .cancelled { readOnly = .cancelled }
        var sheet = AttendanceSheet(
            session: found, expected: found.body.expectedOffices(on: day), entries: entries,
            quorum: found.body.quorum(on: day, attendance: entries), minutes: minutes, readOnly: readOnly)
        let plan = SeatPlan(seats)
        let byID = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for m in sheet.expected {
            let (regular, deputies) = plan.holders(body: found.body.id, office: m.office, on: day)
            sheet.holders[m.office] = (regular.compactMap { byID[$0.person] }, deputies.compactMap { byID[$0.person] })
        }
        for r in replies {
            guard let name = byID[r.person]?.name else { continue }
            sheet.replies[name] = r.answer
            sheet.replyComments[name] = r.comment
        }
        return sheet
    }

    /// Checks every line and records them all in one transaction, or none: the problems of all
    /// lines come back at once. When every problem is a locked or cancelled session, the error
    /// says so (`locked`, `conflict`) instead of `invalid`. The lock of approved minutes is
    /// checked again in the write's own transaction: an approval in between refuses the write.
    /// - Parameter read: the attendance of the (first line's) session as the caller read it (an
    ///   API client's `If-Match`); a change since is `stale`.
    /// - Parameter removing: entries to take out in the same transaction; they need a `reason`.
    /// - Parameter reason: why entries are removed or corrected; kept in the change log and the
    ///   event log with each.
    @discardableResult
    public func recordAttendance(
        _ lines: [AttendanceLine], removing: [AttendanceRemoval] = [], reason: String? = nil, by principal: Principal,
        read: Expected<[AttendanceEntry]> = .anything
    ) async throws(WorkflowError) -> [AttendanceEntry] {
        try await checkedWrite { () async throws(WorkflowError) in
            try await recordAttendanceOnce(lines, removing: removing, reason: reason, by: principal, read: read)
        }
    }

    private func recordAttendanceOnce(
        _ lines: [AttendanceLine], removing: [AttendanceRemoval], reason given: String?, by principal: Principal,
        read: Expected<[AttendanceEntry]>
    ) async throws(WorkflowError) -> [AttendanceEntry] {
        let reason = given.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        if let reason, let problem = ControlCharacters.problem(in: reason, field: "the reason") {
            throw .invalid([
                Problem(problem, german: "Der Grund enthält ein Steuerzeichen; bitte entfernen.", field: "grund")
            ])
        }
        var removed: [AttendanceEntry] = []
        if !removing.isEmpty {
            guard reason != nil else {
                throw .invalid([
                    Problem(
                        "removing attendance needs a reason",
                        german: "Bitte einen Grund angeben: Entfernen wird mit Grund protokolliert.", field: "grund")
                ])
            }
            for r in removing {
                let found = try await session(r.session)
                try principal.requireWrite(body: found.body.id)
                let key = found.key
                let recorded = try await stored { () async throws(StorageError) in try await store.attendance(of: key) }
                guard let entry = recorded.first(where: { $0.office == r.office && $0.person == r.person }) else {
                    throw .notFound(
                        "no attendance of \(r.office)\(r.person.map { " \($0)" } ?? "") is recorded for \(key)")
                }
                removed.append(entry)
            }
        }
        guard !lines.isEmpty || !removed.isEmpty else {
            throw .invalid([
                Problem(
                    "there is nothing to record",
                    german: "Es ist nichts zu speichern: bitte für mindestens ein Amt einen Status wählen.")
            ])
        }
        let planning = try await planning()
        let now = clock.now()
        var check = AttendanceChecker(workflows: self, planning: planning, principal: principal, at: now)
        check.expect(lines)
        try await check.read()
        let checking = CheckedLines(check, lines)
        guard removed.isEmpty, case .anything = read else {
            _ = checking.entries(lines.indices)
            try checking.checker.throwProblems()
            let checked = checking.checked
            let gone = removed
            try await stored { () async throws(StorageError) in
                try await store.record(
                    checked, removing: gone, reason: reason, at: now, actor: principal.actor, expecting: read)
            }
            return checked
        }
        // Nothing to remove and nothing expected: the lines are checked batch by batch on their
        // way into the store's transaction (an import of 300,000 lines writes while it checks).
        let batches = AttendanceBatches(count: lines.count) { checking.entries($0) }
        let written = try await stored { () async throws(StorageError) in
            try await store.record(batches, reason: reason, at: now, actor: principal.actor)
        }
        try checking.checker.throwProblems()
        guard written else { throw .unavailable("the store wrote no attendance, but no line has a problem") }
        return checking.checked
    }
}

/// Lines checked batch by batch, in order: all at once before a write, or by the thread a
/// store makes its batches on, one batch after the other (`AttendanceBatches`), never two at once.
private final class CheckedLines: @unchecked Sendable {
    private(set) var checker: AttendanceChecker
    private let lines: [AttendanceLine]
    /// The entries of the lines checked so far.
    private(set) var checked: [AttendanceEntry] = []

    init(_ checker: AttendanceChecker, _ lines: [AttendanceLine]) {
        self.checker = checker
        self.lines = lines
        checked.reserveCapacity(lines.count)
    }

    /// The entries of the lines `range`, or `nil` when one of them (or one before) has a problem.
    func entries(_ range: Range<Int>) -> [AttendanceEntry]? {
        let start = checked.count
        for index in range {
            if let entry = checker.entry(lines[index], at: index) { checked.append(entry) }
        }
        return checker.problems.isEmpty ? Array(checked[start...]) : nil
    }
}

/// Checks attendance lines, reading each session, lock and body check once (an import of
/// thousands of rows asks about the same sessions and people again and again).
struct AttendanceChecker {
    enum Kind { case invalid, locked, cancelled, forbidden, notBegun }

    let workflows: Workflows
    let planning: Planning
    let principal: Principal
    /// Each session resolved once, keeping only what a line is checked against: an import of
    /// five years resolves a hundred thousand.
    private var sessions: [SessionTarget: Result<Found, WorkflowError>] = [:]
    /// The session the line before named.
    private var last: (target: SessionTarget, found: Result<Found, WorkflowError>)?

    /// What a line is checked against of its session.
    private struct Found: Sendable {
        let key: SessionKey
        let body: String
        let name: String
        let cancelled: Bool
        let reason: String?
        /// When it begins (UTC seconds) and its day there.
        let start: Int64
        let day: CivilDate

        init(_ s: ResolvedSession) {
            key = s.key
            body = s.body.id
            name = s.name
            cancelled = s.session.status == .cancelled
            reason = s.session.reason
            start = s.session.start.utc
            day = s.session.start.local.date
        }
    }
    /// Each body's sessions over the dates the lines name (`expect`).
    private var indexes: [String: (body: Body, index: SessionIndex)] = [:]
    /// The sessions whose minutes are approved (`read`).
    private var locked: Set<SessionKey> = []
    private var checks: [String: AttendanceCheck] = [:]
    /// The staff records (`read`).
    private var people: [Person] = []
    private(set) var problems: [(kind: Kind, problem: Problem)] = []
    /// The index of the line being checked.
    private var index = 0
    /// When the check began: a session that has not begun by then has no attendance yet.
    private let now: Int64

    /// - Parameter time: when the check begins (a session that has not begun by then has no
    ///   attendance yet).
    init(workflows: Workflows, planning: Planning, principal: Principal, at time: LocalDateTime) {
        now = time.localSeconds
        self.workflows = workflows
        self.planning = planning
        self.principal = principal
    }

    /// Reads what every line is checked against from the store, once: the sessions whose
    /// minutes are approved, and the staff records.
    mutating func read() async throws(WorkflowError) {
        let store = workflows.store
        let states = try await workflows.stored { () async throws(StorageError) in try await store.minutesStates() }
        locked = Set(states.filter { $0.status == .approved }.map(\.session))
        people = try await workflows.stored { () async throws(StorageError) in try await store.people() }
    }

    /// Plans each body's sessions once over the dates the lines name (an unknown body or a bad
    /// date is left to the line's own check).
    mutating func expect(_ lines: [AttendanceLine]) {
        var periods: [String: (from: CivilDate, through: CivilDate)] = [:]
        for line in lines {
            guard let date = CivilDate(iso: line.date) else { continue }
            let known = periods[line.body] ?? (date, date)
            periods[line.body] = (min(known.from, date), max(known.through, date))
        }
        let wanted = periods.compactMap { id, period in
            (try? planning.body(id)).map { (id: id, body: $0, period: period) }
        }
        // On every core, a body at a time: an import of five years names hundreds of bodies.
        let planner = planning.planner
        let built = ParallelResults<SessionIndex, Never>.map(wanted.count) { i in
            planner.index(of: wanted[i].body, from: wanted[i].period.from, through: wanted[i].period.through)
        }
        for (w, index) in zip(wanted, built) { indexes[w.id] = (w.body, index) }
    }

    /// The entry a line stands for, or `nil` with its problems noted.
    mutating func entry(_ line: AttendanceLine, at index: Int = 0) -> AttendanceEntry? {
        self.index = index
        // Field by field, without collecting them first (an import checks hundreds of thousands).
        func control(_ name: String, _ value: String?) -> Bool {
            guard let value, let problem = ControlCharacters.problem(in: value, field: name) else { return false }
            note(
                .invalid, line, problem, field: name,
                german: "Enthält ein Steuerzeichen, das hier nicht stehen darf; bitte entfernen.")
            return true
        }
        if control("body", line.body) || control("date", line.date) || control("series", line.series)
            || control("office", line.office) || control("person", line.person) || control("status", line.status)
            || control("deputy", line.deputy) || control("arrival", line.arrival)
            || control("departure", line.departure)
        {
            return nil
        }
        guard let date = CivilDate(iso: line.date) else {
            note(.invalid, line, "date '\(line.date.prefix(32))' is not a date; write YYYY-MM-DD, e.g. 2026-03-10")
            return nil
        }
        let found: Found
        switch resolve(SessionTarget(body: line.body, date: date, series: line.series)) {
        case .success(let s): found = s
        case .failure(let error):
            note(error.isForbidden ? .forbidden : .invalid, line, error.description)
            return nil
        }
        let before = problems.count
        guard
            let status = AttendanceEntry.Status(rawValue: line.status)
                ?? AttendanceEntry.Status(rawValue: line.status.lowercased())
        else {
            note(
                .invalid, line,
                "status '\(line.status.prefix(32))' is not allowed; allowed: present, excused, absent, represented",
                field: "status", german: "Bitte einen Status aus der Liste wählen.")
            return nil
        }
        if found.cancelled {
            note(
                .cancelled, line,
                "\(found.name) was cancelled (\(found.reason ?? "")); there is no attendance to record"
            )
            return nil
        }
        if found.start > now {
            note(
                .notBegun, line,
                "\(found.name) has not begun yet; attendance is recorded from its start",
                german:
                    "Die Sitzung hat noch nicht begonnen; die Anwesenheit wird ab ihrem Beginn erfasst.")
            return nil
        }
        let day = found.day
        let arrival = time(line.arrival, "arrival", day, line)
        let departure = time(line.departure, "departure", day, line)
        let entry = AttendanceEntry(
            session: found.key, office: line.office, person: line.person, status: status, deputy: line.deputy,
            arrival: arrival, departure: departure)
        if locked.contains(found.key) {
            note(.locked, line, "the minutes of \(found.key) are approved and locked; reopen them first")
            return nil
        }
        for f in check(found.body).findings(entry) {
            note(.invalid, line, f.text, field: f.field, german: f.german)
        }
        return problems.count == before ? entry : nil
    }

    /// Throws when any line had a problem: `forbidden`, `locked` or `conflict` when every
    /// problem is of that kind, else `invalid` with all of them.
    func throwProblems() throws(WorkflowError) {
        guard let first = problems.first else { return }
        let texts = problems.map(\.problem.text)
        if problems.allSatisfy({ $0.kind == first.kind }) {
            switch first.kind {
            case .forbidden: throw .forbidden(texts.joined(separator: "; "))
            case .locked: throw .locked(texts.joined(separator: "; "))
            case .cancelled: throw .conflict(code: "cancelled", texts.joined(separator: "; "))
            case .notBegun: throw .conflict(code: "not_begun", texts.joined(separator: "; "))
            case .invalid: break
            }
        }
        throw .invalid(problems.map(\.problem))
    }

    private mutating func note(
        _ kind: Kind, _ line: AttendanceLine, _ text: String, field: String? = nil, german: String? = nil
    ) {
        let labelled = line.label.isEmpty ? text : "\(line.label): \(text)"
        problems.append((kind, Problem(labelled, german: german, field: field, line: index)))
    }

    private mutating func time(_ text: String?, _ name: String, _ day: CivilDate, _ line: AttendanceLine)
        -> LocalDateTime?
    {
        guard let text else { return nil }
        let digits = text.utf8.enumerated().allSatisfy { i, c in i == 2 ? c == 0x3A : (c >= 0x30 && c <= 0x39) }
        guard text.utf8.count == 5, digits, let t = LocalDateTime(iso: "\(day)T\(text)") else {
            note(
                .invalid, line, "\(name) '\(text.prefix(16))' is not a time; write HH:MM, e.g. 14:05", field: name,
                german: "Bitte als Uhrzeit SS:MM angeben, z. B. 14:05.")
            return nil
        }
        return t
    }

    private mutating func resolve(_ target: SessionTarget) -> Result<Found, WorkflowError> {
        // A signed list names one session in several lines in a row: compared, not hashed.
        if let last, last.target == target { return last.found }
        if let known = sessions[target] {
            last = (target, known)
            return known
        }
        let result: Result<ResolvedSession, WorkflowError>
        do throws(WorkflowError) {
            let found: ResolvedSession
            if let indexed = indexed(target) {
                found = indexed
            } else {
                found = try planning.session(body: target.body, plannedOn: target.date, series: target.series)
            }
            try principal.requireWrite(body: found.body.id)
            result = .success(found)
        } catch {
            result = .failure(error)
        }
        let found = result.map(Found.init)
        sessions[target] = found
        last = (target, found)
        return found
    }

    /// The session from the body's index, when it finds exactly one (else `nil`: the planner says why).
    private func indexed(_ target: SessionTarget) -> ResolvedSession? {
        guard let (body, index) = indexes[target.body],
            let found = index.session(plannedOn: target.date, series: target.series)
        else { return nil }
        return ResolvedSession(
            district: planning.district, body: body, series: found.series, session: found.session,
            key: planning.district.key(of: found.session, body: body, series: found.series))
    }

    /// The check of the body with this id (the body of a session found, so it is known).
    private mutating func check(_ body: String) -> AttendanceCheck {
        if let known = checks[body] { return known }
        guard let found = indexes[body]?.body ?? (try? planning.body(body)) else {
            preconditionFailure("the body \(body) of a session found is unknown")
        }
        let check = AttendanceCheck(body: found, people: people)
        checks[body] = check
        return check
    }
}

extension WorkflowError {
    var isForbidden: Bool {
        if case .forbidden = self { return true }
        return false
    }
}
