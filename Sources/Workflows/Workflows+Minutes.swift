import Coordination
import Foundation
import Platform
import Publishing
import Storage

extension Workflows {
    /// What the minutes of a session are filled in from: the session, its attendance, what is
    /// written into them, the state of the minutes and the body's action items. Approved minutes
    /// give the version frozen by the approval.
    public func minutesView(_ target: SessionTarget, version: Int? = nil) async throws(WorkflowError) -> MinutesView {
        try await minutesView(of: try await session(target), version: version)
    }

    /// The minutes view of a resolved session: version `number` when given, else the version the
    /// current approval froze, else the draft as it stands.
    public func minutesView(of found: ResolvedSession, version number: Int? = nil) async throws(WorkflowError)
        -> MinutesView
    {
        let key = found.key
        let state = try await stored { () async throws(StorageError) in try await store.minutesState(of: key) }
        let wanted = number ?? (state?.status == .approved ? state?.version : nil)
        if let wanted {
            let versions = try await stored { () async throws(StorageError) in try await store.minutesVersions(of: key)
            }
            guard let version = versions.first(where: { $0.number == wanted }) else {
                throw .notFound(
                    "the minutes of \(found.name) have no approved version \(wanted)"
                        + (versions.isEmpty
                            ? "" : "; versions: \(versions.map { "\($0.number)" }.joined(separator: ", "))"))
            }
            guard let view = MinutesView(frozen: version.content) else {
                throw .corrupt("version \(wanted) of the minutes of \(found.name) cannot be read")
            }
            return view
        }
        return try await liveMinutesView(of: found, state: state)
    }

    /// The minutes view as the records stand now, with `state`.
    func liveMinutesView(of found: ResolvedSession, state: MinutesState?) async throws(WorkflowError) -> MinutesView {
        let key = found.key
        let (attendance, actions, seats, people, replies) = try await stored { () async throws(StorageError) in
            (
                try await store.attendance(of: key), try await store.actionItems(of: key.body),
                try await store.seats(), try await store.people(), try await store.replies(of: key)
            )
        }
        let answers = Dictionary(replies.map { ($0.person, $0.answer) }, uniquingKeysWith: { a, _ in a })
        let record = try await minutesRecord(of: found)
        let plan = SeatPlan(seats)
        let day = found.session.start.local.date
        let names = Dictionary(people.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let chairSeat = plan.holders(body: found.body.id, office: found.body.chair, on: day).regular.first
        let chairPerson = chairSeat.flatMap { names[$0.person] }
        var holders: [String: [String]] = [:]
        for m in found.body.expectedOffices(on: day) {
            holders[m.office] = plan.holders(body: found.body.id, office: m.office, on: day).regular.compactMap {
                seat in names[seat.person].map { $0 + (answers[seat.person].map { " – \($0.german)" } ?? "") }
            }
        }
        return MinutesView(
            district: found.district, body: found.body, series: found.series, session: found.session, key: key,
            attendance: attendance, state: state, record: record, actions: actions, chairPerson: chairPerson,
            seatHolders: holders)
    }

    /// What is written into the minutes of the session `target` names.
    public func minutesRecord(_ target: SessionTarget) async throws(WorkflowError) -> MinutesRecord {
        try await minutesRecord(of: try await session(target))
    }

    /// What is written into a session's minutes: as stored, else the default (the standing items,
    /// the items added before minutes were kept as records, "Verschiedenes" last).
    public func minutesRecord(of found: ResolvedSession) async throws(WorkflowError) -> MinutesRecord {
        let key = found.key
        let (record, added) = try await stored { () async throws(StorageError) in
            (try await store.minutesRecord(of: key), try await store.agenda(of: key))
        }
        return record ?? MinutesRecord(session: key, standing: found.series.agenda, added: added.map(\.text))
    }

    /// The approved versions of a session's minutes, oldest first.
    public func minutesVersions(_ target: SessionTarget) async throws(WorkflowError) -> (
        session: ResolvedSession, versions: [MinutesVersion]
    ) {
        let found = try await session(target)
        let key = found.key
        let versions = try await stored { () async throws(StorageError) in try await store.minutesVersions(of: key) }
        return (found, versions)
    }

    /// One change to what is written into minutes.
    public enum MinutesEdit: Sendable, Hashable {
        /// Actual begin and end (`HH:MM`; empty: not recorded).
        case times(began: String, ended: String)
        case minuteTaker(String)
        /// The text of an item: the record of the discussion, the results and decisions, and
        /// whether the item is public.
        case item(id: Int, discussion: String, results: String, isPublic: Bool)
        case addVote(item: Int, MinutesRecord.Vote)
        /// The vote at `index` (from 0) of an item.
        case removeVote(item: Int, index: Int)
        case agenda(AgendaEdit)
        /// Several edits as one change (one revision): a page's or an API client's whole form.
        indirect case batch([MinutesEdit])
    }

    /// Writes into the minutes of a session that took place (the agenda also before), until
    /// they are approved; the store checks the lock and the revision again in the write's
    /// transaction. `revision`: the one the writer read (a page's hidden field, an API client's
    /// `If-Match`); a change since is `stale`.
    @discardableResult
    public func editMinutes(
        _ target: SessionTarget, _ edit: MinutesEdit, revision: Int? = nil, by principal: Principal
    ) async throws(WorkflowError) -> MinutesRecord {
        let found = try await session(target)
        try principal.requireWrite(body: found.body.id)
        if found.session.status == .cancelled {
            throw .conflict(
                code: "cancelled", "\(found.name) is cancelled; it has no \(edit.isAgendaOnly ? "agenda" : "minutes")")
        }
        if !edit.isAgendaOnly { try requireBegun(found, "its minutes are written after it") }
        return try await checkedWrite { () async throws(WorkflowError) in
            let key = found.key
            let state = try await stored { () async throws(StorageError) in try await store.minutesState(of: key) }
            if state?.status == .approved {
                throw .locked("the minutes of \(found.name) are approved; reopen them to change anything in them")
            }
            var record = try await minutesRecord(of: found)
            if let revision, revision != record.revision {
                throw .stale("the minutes of \(found.name) changed since they were read")
            }
            let read = record.revision
            let action = try Self.apply(edit, to: &record, body: found.body)
            let now = clock.now()
            let changed = record
            return try await stored { () async throws(StorageError) in
                try await store.save(changed, expecting: read, at: now, actor: principal.actor, action: action)
            }
        }
    }

    /// Applies one edit to a record; returns the change log's action.
    static func apply(_ edit: MinutesEdit, to record: inout MinutesRecord, body: Body) throws(WorkflowError)
        -> String
    {
        func index(_ id: Int) throws(WorkflowError) -> Int {
            guard let i = record.items.firstIndex(where: { $0.id == id }) else {
                throw .notFound(
                    "there is no agenda item \(id); items: \(record.items.map { "\($0.id)" }.joined(separator: ", "))")
            }
            return i
        }
        switch edit {
        case .batch(let edits):
            var actions: [String] = []
            var problems: [Problem] = []
            for edit in edits {
                do { actions.append(try apply(edit, to: &record, body: body)) } catch {
                    guard case .invalid(let found) = error else { throw error }
                    problems += found
                }
            }
            guard problems.isEmpty else { throw .invalid(problems) }
            return actions.isEmpty ? "nothing changed" : actions.joined(separator: "; ")
        case .times(let began, let ended):
            var problems: [Problem] = []
            let b = began.trimmingCharacters(in: .whitespaces)
            let e = ended.trimmingCharacters(in: .whitespaces)
            if !b.isEmpty && Self.clockMinutes(b) == nil {
                problems.append(
                    Problem(
                        "the begin '\(b)' is not a time HH:MM", german: "Bitte eine Uhrzeit wie 10:05 angeben.",
                        field: "beginn"))
            }
            if !e.isEmpty && Self.clockMinutes(e) == nil {
                problems.append(
                    Problem(
                        "the end '\(e)' is not a time HH:MM", german: "Bitte eine Uhrzeit wie 11:40 angeben.",
                        field: "ende"))
            }
            if problems.isEmpty, let bt = Self.clockMinutes(b), let et = Self.clockMinutes(e), et <= bt {
                problems.append(
                    Problem(
                        "the end \(e) is not after the begin \(b)", german: "Das Ende liegt nicht nach dem Beginn.",
                        field: "ende"))
            }
            guard problems.isEmpty else { throw .invalid(problems) }
            record.began = Self.clockMinutes(b).map(Self.clockText)
            record.ended = Self.clockMinutes(e).map(Self.clockText)
            return "times written"
        case .minuteTaker(let name):
            let name = name.trimmingCharacters(in: .whitespaces)
            if let problem = ControlCharacters.problem(in: name, field: "the minute-taker") {
                throw .invalid([Problem(problem, german: "Der Name enthält ein Steuerzeichen.", field: "protokoll")])
            }
            record.minuteTaker = name.isEmpty ? nil : name
            return "minute-taker written"
        case .item(let id, let discussion, let results, let isPublic):
            let i = try index(id)
            var problems: [Problem] = []
            for (text, field, german) in [
                (discussion, "diskussion", "Der Verlauf"), (results, "ergebnis", "Das Ergebnis"),
            ] {
                if let problem = ControlCharacters.problem(
                    in: text, field: "the \(field) of item \(id)", multiline: true)
                {
                    problems.append(
                        Problem(problem, german: "\(german) enthält ein Steuerzeichen.", field: "\(field)_\(id)"))
                }
                if text.utf8.count > Self.minutesTextLimit {
                    problems.append(
                        Problem(
                            "the \(field) of item \(id) is longer than \(Self.minutesTextLimit) bytes",
                            german: "\(german) ist zu lang (höchstens \(Self.minutesTextLimit / 1000)000 Zeichen).",
                            field: "\(field)_\(id)"))
                }
            }
            guard problems.isEmpty else { throw .invalid(problems) }
            record.items[i].discussion = discussion.trimmingCharacters(in: .whitespacesAndNewlines)
            record.items[i].results = results.trimmingCharacters(in: .whitespacesAndNewlines)
            record.items[i].isPublic = isPublic
            return "item \(id) written"
        case .addVote(let id, let vote):
            let i = try index(id)
            var vote = vote
            vote.subject = vote.subject.trimmingCharacters(in: .whitespaces)
            var problems: [Problem] = []
            if vote.subject.isEmpty {
                problems.append(
                    Problem(
                        "the vote needs a subject", german: "Bitte angeben, worüber abgestimmt wurde.",
                        field: "gegenstand"))
            } else if let problem = ControlCharacters.problem(in: vote.subject, field: "the subject of the vote") {
                problems.append(
                    Problem(problem, german: "Der Gegenstand enthält ein Steuerzeichen.", field: "gegenstand"))
            }
            for (count, field, german) in [
                (vote.yes, "ja", "Ja"), (vote.no, "nein", "Nein"), (vote.abstentions, "enthaltung", "Enthaltungen"),
            ]
            where count < 0 || count > 999 {
                problems.append(
                    Problem(
                        "\(field) must be a count from 0 to 999, not \(count)",
                        german: "\(german): bitte eine Zahl von 0 bis 999.", field: field))
            }
            if body.quorum == nil { vote.quorumHeld = nil }
            guard problems.isEmpty else { throw .invalid(problems) }
            record.items[i].votes.append(vote)
            return "vote added to item \(id)"
        case .removeVote(let id, let at):
            let i = try index(id)
            guard record.items[i].votes.indices.contains(at) else {
                throw .notFound("item \(id) has no vote \(at + 1)")
            }
            record.items[i].votes.remove(at: at)
            return "vote removed from item \(id)"
        case .agenda(let change):
            var items = record.items
            switch change {
            case .add(let text):
                let item = MinutesRecord.Item(
                    id: record.nextItemID, text: text.trimmingCharacters(in: .whitespaces), standing: false)
                let misc = items.last.map { $0.text.lowercased().hasPrefix("verschiedenes") } ?? false
                items.insert(item, at: misc ? items.count - 1 : items.count)
            case .moveUp(let i) where i > 0 && i < items.count: items.swapAt(i, i - 1)
            case .moveDown(let i) where i >= 0 && i < items.count - 1: items.swapAt(i, i + 1)
            case .remove(let i) where i >= 0 && i < items.count:
                if items[i].standing {
                    throw .conflict(
                        code: "standing_item",
                        "“\(items[i].text)” is a standing item of the series; it stays on the agenda (move it instead)")
                }
                items.remove(at: i)
            default: throw .notFound("\(record.session) has no agenda item at that position")
            }
            record.items = items
            return "agenda changed"
        }
    }

    /// Minutes since midnight of a wall time `H:MM` or `HH:MM`; `nil` for anything else.
    static func clockMinutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let h = Int(parts[0]), let m = Int(parts[1]), h < 24, m < 60
        else { return nil }
        return h * 60 + m
    }

    static func clockText(_ minutes: Int) -> String {
        (minutes / 60 < 10 ? "0" : "") + "\(minutes / 60):" + (minutes % 60 < 10 ? "0" : "") + "\(minutes % 60)"
    }

    /// The most a text field of minutes holds (bytes).
    static let minutesTextLimit = 20_000

    /// The state of a session's minutes; `nil` while a draft that was never approved.
    public func minutesState(_ target: SessionTarget) async throws(WorkflowError) -> (
        session: ResolvedSession, state: MinutesState?
    ) {
        let found = try await session(target)
        let key = found.key
        let state = try await stored { () async throws(StorageError) in try await store.minutesState(of: key) }
        return (found, state)
    }

    /// Approves the minutes (a coordinator of the body, or the person holding the chair's seat
    /// that day): everything in them is frozen as a new version whose hash goes into the event
    /// log, and nothing in them changes until they are reopened.
    /// - Parameter read: the state the caller read and showed (an API client's `If-Match`): when
    ///   given, a change since is `stale`; otherwise the check runs again on a change meanwhile.
    public func approveMinutes(
        _ target: SessionTarget, by principal: Principal, read: Expected<MinutesState?> = .anything
    ) async throws(WorkflowError) -> MinutesState {
        try await checkedWrite { () async throws(WorkflowError) in
            let (found, state) = try await minutesState(target)
            try await requireApprover(principal, of: found)
            guard read.holds({ state }) else {
                throw .stale("the minutes of \(found.key) changed since they were read")
            }
            guard state?.status != .approved else {
                throw .conflict(code: "already_approved", "the minutes of \(found.key) are already approved")
            }
            try requireBegun(found, "its minutes are approved after it")
            let key = found.key
            let versions = try await stored { () async throws(StorageError) in try await store.minutesVersions(of: key)
            }
            let number = (versions.map(\.number).max() ?? 0) + 1
            let now = clock.now()
            var approved = MinutesState(
                session: key, status: .approved, time: now, actor: principal.actor, version: number)
            let content = try await liveMinutesView(of: found, state: approved).frozen
            let hash = SHA256Hex.of(content)
            approved.contentHash = hash
            let version = MinutesVersion(
                session: key, number: number, approved: now, actor: principal.actor, content: content, hash: hash)
            let saved = approved
            try await stored { () async throws(StorageError) in
                try await store.save(saved, freezing: version, expecting: .exactly(state))
            }
            return saved
        }
    }

    /// `forbidden` unless `principal` may approve the minutes of `found`: a coordinator of the
    /// body (or the operator), or the person holding the chair office's seat that day.
    func requireApprover(_ principal: Principal, of found: ResolvedSession) async throws(WorkflowError) {
        if principal.mayWrite(body: found.body.id) { return }
        if let person = principal.person {
            let seats = try await stored { () async throws(StorageError) in try await store.seats() }
            let chair = SeatPlan(seats).holders(
                body: found.body.id, office: found.body.chair, on: found.session.start.local.date
            ).regular
            if chair.contains(where: { $0.person == person }) { return }
        }
        try principal.requireWrite(body: found.body.id)
    }

    /// Reopens approved minutes, with a reason that is recorded.
    public func reopenMinutes(
        _ target: SessionTarget, reason: String, by principal: Principal, read: Expected<MinutesState?> = .anything
    ) async throws(WorkflowError) -> MinutesState {
        try await checkedWrite { () async throws(WorkflowError) in
            let (found, state) = try await minutesState(target)
            try await requireApprover(principal, of: found)
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

extension Workflows.MinutesEdit {
    /// Agenda changes are made before the session, too; everything else after it began.
    var isAgendaOnly: Bool {
        switch self {
        case .agenda: return true
        case .batch(let edits): return edits.allSatisfy(\.isAgendaOnly)
        default: return false
        }
    }
}

extension Workflows {
    /// The minutes of a session as `principal` may read them: drafts for the body's coordinators,
    /// auditors, admins and the operator; approved versions also for every person who holds (or
    /// held on the session's day) a seat in the body. `version`: an earlier approved version.
    public func readableMinutes(_ target: SessionTarget, version: Int? = nil, by principal: Principal)
        async throws(WorkflowError) -> (session: ResolvedSession, view: MinutesView)
    {
        let found = try await session(target)
        let key = found.key
        let state = try await stored { () async throws(StorageError) in try await store.minutesState(of: key) }
        let approved = version != nil || state?.status == .approved
        if !principal.mayReadDrafts(of: found.body.id) {
            guard approved else {
                throw .forbidden(
                    "the minutes of \(found.name) are a draft; drafts are for the coordinators of \(found.body.id)")
            }
            guard try await holdsSeat(principal, in: found.body.id, on: found.key.date) else {
                throw .forbidden("approved minutes of \(found.body.id) are for the people holding its seats")
            }
        }
        return (found, try await minutesView(of: found, version: version))
    }

    /// Whether the principal's person holds a seat in `body` on `day` (a session's) or today:
    /// who, besides those who read drafts, reads that session's approved minutes.
    public func holdsSeat(_ principal: Principal, in body: String, on day: CivilDate) async throws(WorkflowError)
        -> Bool
    {
        guard let person = principal.person else { return false }
        let seats = try await stored { () async throws(StorageError) in try await store.seats() }
        return Self.holds(seats, person: person, body: body, on: day, today: clock.now().date)
    }

    static func holds(_ seats: [Seat], person: String, body: String, on day: CivilDate, today: CivilDate) -> Bool {
        seats.contains { $0.person == person && $0.body == body && ($0.isValid(on: day) || $0.isValid(on: today)) }
    }
}

extension Workflows {
    /// The approved minutes of a body that `principal` may read (newest first): all of them for
    /// its coordinators, auditors, admins and the operator; for a member of staff those of the
    /// sessions at which, or since which, they hold a seat in the body.
    public func approvedMinutes(of body: String, by principal: Principal) async throws(WorkflowError)
        -> [MinutesState]
    {
        let (states, seats) = try await stored { () async throws(StorageError) in
            (try await store.minutesStates(), try await store.seats())
        }
        let approved = states.filter { $0.session.body == body && $0.status == .approved }
            .sorted { $0.session.date > $1.session.date }
        if principal.mayReadDrafts(of: body) { return approved }
        guard let person = principal.person else { return [] }
        let today = clock.now().date
        return approved.filter { Self.holds(seats, person: person, body: body, on: $0.session.date, today: today) }
    }
}
