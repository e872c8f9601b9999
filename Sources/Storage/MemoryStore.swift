import Coordination

/// A store in memory: for tests and for trying things out; gone when the process ends.
public actor MemoryStore: Store {
    private var settings: DistrictSettings?
    private var offices: [String: (office: Office, archived: Bool)] = [:]
    private var bodies: [String: (body: Body, archived: Bool)] = [:]
    /// Series by body id and series id.
    private var series: [String: [String: (series: Series, position: Int, archived: Bool)]] = [:]
    private var log: [ChangeRecord] = []
    private var sessions: [SessionChange] = []
    private var staff: [String: Person] = [:]
    private var minutes: [SessionKey: MinutesState] = [:]
    private var agendaItems: [AgendaItem] = []
    private var actions: [ActionItem] = []
    private var present: [AttendanceKey: AttendanceEntry] = [:]
    private var chain = EventChain()
    private var events: [AuditEvent] = []
    private var archivedOn: [String: CivilDate] = [:]
    private var pastMemberships: [String: [Membership]] = [:]
    private var accessTokens: [AccessToken] = []

    /// One attendance entry per session, office and person (`""` for the office as a whole).
    struct AttendanceKey: Hashable {
        var session: SessionKey
        var office: String
        var person: String
    }

    public init() {}

    public func definitions() async throws(StorageError) -> StoredDefinitions {
        var result = StoredDefinitions(settings: settings, archivedOn: archivedOn, pastMemberships: pastMemberships)
        for (_, entry) in offices.sorted(by: { $0.key < $1.key }) {
            if entry.archived {
                result.archivedOffices.append(entry.office)
            } else {
                result.offices.append(entry.office)
            }
        }
        for (id, entry) in bodies.sorted(by: { $0.key < $1.key }) {
            var body = entry.body
            let all = (series[id] ?? [:]).values.sorted { ($0.position, $0.series.id) < ($1.position, $1.series.id) }
            body.series = all.filter { !$0.archived || entry.archived }.map(\.series)
            if entry.archived {
                result.archivedBodies.append(body)
            } else {
                result.bodies.append(body)
                let archived = all.filter(\.archived).map(\.series)
                if !archived.isEmpty { result.archivedSeries[id] = archived }
            }
        }
        return result
    }

    public func apply(_ plan: SyncPlan, at time: LocalDateTime, actor: String) async throws(StorageError) {
        // Checked first so that a refused plan changes nothing.
        if let refusal = plan.unknownBody(stored: Set(bodies.keys)) { throw refusal }
        for change in plan.changes {
            let archived = change.action == .archived
            switch change.value {
            case .district(let s): settings = s
            case .office(let office): offices[office.id] = (office, archived)
            case .body(let body):
                if let old = bodies[body.id], !archived {
                    pastMemberships[body.id, default: []] += old.body.members.ended(
                        before: time.date, keeping: body.members)
                }
                bodies[body.id] = (body, archived)
            case .series(let body, let s, let position): series[body, default: [:]][s.id] = (s, position, archived)
            }
            if archived {
                archivedOn[change.subject.description] = time.date
            } else {
                archivedOn[change.subject.description] = nil
            }
            log.append(change.record(at: time, actor: actor))
            append(change.auditDraft(at: time, actor: actor))
        }
    }

    public func changes() async throws(StorageError) -> [ChangeRecord] { log }

    public func record(_ change: SessionChange, expecting changes: Expected<Int>) async throws(StorageError) {
        try requireSeries(change.body, change.series)
        guard changes.holds({ sessions.filter { $0.body == change.body && $0.series == change.series }.count }) else {
            throw .changedMeanwhile("the sessions of \(change.body)/\(change.series)")
        }
        sessions.append(change)
        log.append(change.record)
        append(change.auditDraft)
    }

    public func sessionChanges() async throws(StorageError) -> [SessionChange] { sessions }

    public func save(_ person: Person, at time: LocalDateTime, actor: String) async throws(StorageError) {
        try requireOffice(person.office)
        staff[person.name] = person
        log.append(.saved(person, at: time, actor: actor))
    }

    public func people() async throws(StorageError) -> [Person] { staff.values.sorted { $0.name < $1.name } }

    public func record(
        _ attendance: [AttendanceEntry], at time: LocalDateTime, actor: String,
        expecting current: Expected<[AttendanceEntry]>
    ) async throws(StorageError) {
        for entry in attendance {
            try requireSeries(entry.session)
            try requireOffice(entry.office)
        }
        for key in Set(attendance.map(\.session)) where minutes[key]?.status == .approved {
            throw .minutesLocked(key)
        }
        if let first = attendance.first, !current.holds({ recorded(first.session) }) {
            throw .changedMeanwhile("the attendance of \(first.session)")
        }
        for entry in attendance {
            present[AttendanceKey(session: entry.session, office: entry.office, person: entry.person ?? "")] = entry
            let r = entry.record
            log.append(ChangeRecord(time: time, actor: actor, subject: r.subject, action: "recorded", detail: r.detail))
            append(entry.auditDraft(at: time, actor: actor))
        }
    }

    public func minutesState(of session: SessionKey) async throws(StorageError) -> MinutesState? { minutes[session] }

    public func save(_ state: MinutesState, expecting previous: Expected<MinutesState?>) async throws(StorageError) {
        try requireSeries(state.session)
        guard previous.holds({ minutes[state.session] }) else {
            throw .changedMeanwhile("the minutes of \(state.session)")
        }
        minutes[state.session] = state
        log.append(state.record)
        append(state.auditDraft)
    }

    public func add(_ item: AgendaItem, at time: LocalDateTime, actor: String) async throws(StorageError) {
        try requireSeries(item.session)
        agendaItems.append(item)
        log.append(.added(item, at: time, actor: actor))
    }

    public func agenda(of session: SessionKey) async throws(StorageError) -> [AgendaItem] {
        agendaItems.filter { $0.session == session }
    }

    public func add(_ item: ActionItem, at time: LocalDateTime, actor: String) async throws(StorageError) -> ActionItem
    {
        try requireSeries(item.session)
        try requireOffice(item.office)
        var stored = item
        stored.id = actions.count + 1
        stored.done = nil
        actions.append(stored)
        log.append(.added(item, id: actions.count, at: time, actor: actor))
        return stored
    }

    public func closeActionItem(_ id: Int, at time: LocalDateTime, actor: String) async throws(StorageError) {
        guard let i = actions.firstIndex(where: { $0.id == id }) else { throw .noActionItem(id) }
        guard actions[i].done == nil else { throw .actionItemDone(id) }
        actions[i].done = time
        log.append(.actionDone(id, at: time, actor: actor))
    }

    public func actionItem(_ id: Int) async throws(StorageError) -> ActionItem? {
        actions.first { $0.id == id }
    }

    public func actionItems(of body: String) async throws(StorageError) -> [ActionItem] {
        actions.filter { $0.session.body == body }
    }

    private func requireSeries(_ session: SessionKey) throws(StorageError) {
        try requireSeries(session.body, session.series)
    }

    private func requireSeries(_ body: String, _ id: String) throws(StorageError) {
        guard series[body]?[id] != nil else { throw .unknownSeries(body, id) }
    }

    private func requireOffice(_ id: String) throws(StorageError) {
        guard offices[id] != nil else { throw .unknownOffice(id) }
    }

    public func attendance(of session: SessionKey) async throws(StorageError) -> [AttendanceEntry] {
        recorded(session)
    }

    private func recorded(_ session: SessionKey) -> [AttendanceEntry] {
        present.filter { $0.key.session == session }.map(\.value).sorted {
            ($0.office, $0.person ?? "") < ($1.office, $1.person ?? "")
        }
    }

    public func attendance(from: CivilDate, through: CivilDate) async throws(StorageError) -> [AttendanceEntry] {
        present.values.filter { $0.session.date >= from && $0.session.date <= through }.sorted {
            ($0.session.body, $0.session.series, $0.session.date, $0.office, $0.person ?? "")
                < ($1.session.body, $1.session.series, $1.session.date, $1.office, $1.person ?? "")
        }
    }

    public func minutesStates() async throws(StorageError) -> [MinutesState] {
        minutes.values.sorted {
            ($0.session.body, $0.session.series, $0.session.date) < (
                $1.session.body, $1.session.series, $1.session.date
            )
        }
    }

    public func chainHead() async throws(StorageError) -> ChainHead { chain.head }

    public func save(_ token: AccessToken, actor: String) async throws(StorageError) {
        guard staff[token.person] != nil else { throw .unknownPerson(token.person) }
        guard !accessTokens.contains(where: { $0.id == token.id || $0.hash == token.hash }) else {
            throw .tokenTaken(token.id)
        }
        accessTokens.append(token)
        log.append(token.issueRecord(actor: actor))
    }

    public func token(hash: String) async throws(StorageError) -> AccessToken? {
        accessTokens.first { $0.hash == hash }
    }

    public func tokens() async throws(StorageError) -> [AccessToken] { accessTokens }

    public func revokeToken(id: String, at time: LocalDateTime, actor: String) async throws(StorageError) {
        guard let i = accessTokens.firstIndex(where: { $0.id == id && $0.revoked == nil }) else {
            throw .noActiveToken(id)
        }
        accessTokens[i].revoked = time
        log.append(.tokenRevoked(id, at: time, actor: actor))
    }

    public func markUsed(tokenID: String, at time: LocalDateTime) async throws(StorageError) {
        if let i = accessTokens.firstIndex(where: { $0.id == tokenID }) { accessTokens[i].lastUsed = time }
    }

    public func auditSnapshot() async throws(StorageError) -> AuditSnapshot {
        AuditSnapshot(
            events: events,
            records: AuditRecords(
                attendance: Array(present.values), sessionChanges: sessions, minutes: Array(minutes.values)))
    }

    private func append(_ draft: AuditEvent.Draft) {
        events.append(chain.append(draft))
    }
}

extension [Membership] {
    /// The memberships of `self` that `kept` no longer holds, ended the day before `day`
    /// (those that ended earlier keep their end; those that would end before they began are dropped).
    public func ended(before day: CivilDate, keeping kept: [Membership]) -> [Membership] {
        let last = CivilDate(dayNumber: day.dayNumber - 1)
        var result: [Membership] = []
        for var m in self where !kept.contains(m) {
            if m.validUntil.map({ $0 > last }) ?? true { m.validUntil = last }
            if let from = m.validFrom, let until = m.validUntil, until < from { continue }
            result.append(m)
        }
        return result
    }
}
