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

    /// One attendance entry per session, office and person (`""` for the office as a whole).
    struct AttendanceKey: Hashable {
        var session: SessionKey
        var office: String
        var person: String
    }

    public init() {}

    public func definitions() async throws(StorageError) -> StoredDefinitions {
        var result = StoredDefinitions(settings: settings)
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
        for change in plan.changes {
            if case .series(let body, _, _) = change.value, bodies[body] == nil,
                !plan.changes.contains(where: { $0.subject == .body(body) && $0.action != .archived })
            {
                throw .rejected(reason: "\(change.subject) belongs to an unknown body")
            }
        }
        for change in plan.changes {
            let archived = change.action == .archived
            switch change.value {
            case .district(let s): settings = s
            case .office(let office): offices[office.id] = (office, archived)
            case .body(let body):
                bodies[body.id] = (body, archived)
            case .series(let body, let s, let position): series[body, default: [:]][s.id] = (s, position, archived)
            }
            log.append(change.record(at: time, actor: actor))
        }
    }

    public func changes() async throws(StorageError) -> [ChangeRecord] { log }

    public func record(_ change: SessionChange) async throws(StorageError) {
        guard series[change.body]?[change.series] != nil else {
            throw .rejected(reason: "series \(change.body)/\(change.series) is not in the store")
        }
        sessions.append(change)
        log.append(change.record)
    }

    public func sessionChanges() async throws(StorageError) -> [SessionChange] { sessions }

    public func save(_ person: Person, at time: LocalDateTime, actor: String) async throws(StorageError) {
        guard offices[person.office] != nil else {
            throw .rejected(reason: "office \(person.office) is not in the store")
        }
        staff[person.name] = person
        log.append(
            ChangeRecord(
                time: time, actor: actor, subject: "person \(person.name)", action: "saved",
                detail: "\(person.office) \(person.level.rawValue)"))
    }

    public func people() async throws(StorageError) -> [Person] { staff.values.sorted { $0.name < $1.name } }

    public func record(_ attendance: [AttendanceEntry], at time: LocalDateTime, actor: String)
        async throws(StorageError)
    {
        for entry in attendance where series[entry.session.body]?[entry.session.series] == nil {
            throw .rejected(reason: "series \(entry.session.body)/\(entry.session.series) is not in the store")
        }
        for entry in attendance {
            present[AttendanceKey(session: entry.session, office: entry.office, person: entry.person ?? "")] = entry
            let r = entry.record
            log.append(ChangeRecord(time: time, actor: actor, subject: r.subject, action: "recorded", detail: r.detail))
        }
    }

    public func minutesState(of session: SessionKey) async throws(StorageError) -> MinutesState? { minutes[session] }

    public func save(_ state: MinutesState) async throws(StorageError) {
        guard series[state.session.body]?[state.session.series] != nil else {
            throw .rejected(reason: "series \(state.session.body)/\(state.session.series) is not in the store")
        }
        minutes[state.session] = state
        log.append(state.record)
    }

    public func add(_ item: AgendaItem, at time: LocalDateTime, actor: String) async throws(StorageError) {
        try requireSeries(item.session)
        agendaItems.append(item)
        log.append(
            ChangeRecord(
                time: time, actor: actor, subject: "agenda \(item.session)", action: "added", detail: item.text))
    }

    public func agenda(of session: SessionKey) async throws(StorageError) -> [AgendaItem] {
        agendaItems.filter { $0.session == session }
    }

    public func add(_ item: ActionItem, at time: LocalDateTime, actor: String) async throws(StorageError) -> ActionItem
    {
        try requireSeries(item.session)
        guard offices[item.office] != nil else { throw .rejected(reason: "office \(item.office) is not in the store") }
        var stored = item
        stored.id = actions.count + 1
        stored.done = nil
        actions.append(stored)
        log.append(
            ChangeRecord(
                time: time, actor: actor, subject: "action \(stored.id ?? 0) \(item.session)", action: "added",
                detail: "\(item.office): \(item.text)"))
        return stored
    }

    public func closeActionItem(_ id: Int, at time: LocalDateTime, actor: String) async throws(StorageError) {
        guard let i = actions.firstIndex(where: { $0.id == id }), actions[i].done == nil else {
            throw .rejected(reason: "there is no open action item \(id)")
        }
        actions[i].done = time
        log.append(ChangeRecord(time: time, actor: actor, subject: "action \(id)", action: "done", detail: ""))
    }

    public func actionItems(of body: String) async throws(StorageError) -> [ActionItem] {
        actions.filter { $0.session.body == body }
    }

    private func requireSeries(_ session: SessionKey) throws(StorageError) {
        guard series[session.body]?[session.series] != nil else {
            throw .rejected(reason: "series \(session.body)/\(session.series) is not in the store")
        }
    }

    public func attendance(of session: SessionKey) async throws(StorageError) -> [AttendanceEntry] {
        present.filter { $0.key.session == session }.map(\.value).sorted {
            ($0.office, $0.person ?? "") < ($1.office, $1.person ?? "")
        }
    }
}
