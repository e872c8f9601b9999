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
    private var seatList: [Seat] = []
    private var minutes: [SessionKey: MinutesState] = [:]
    private var agendaItems: [AgendaItem] = []
    private var records: [SessionKey: MinutesRecord] = [:]
    private var versions: [MinutesVersion] = []
    private var mails: [OutboxEntry] = []
    private var replyLinks: [String: ReplyLink] = [:]
    private var answers: [String: Reply] = [:]
    private var ladungList: [SessionKey: LadungRecord] = [:]
    private var actions: [ActionItem] = []
    private var present: [AttendanceEntry.RowKey: AttendanceEntry] = [:]
    private var chain = EventChain()
    private var events: [AuditEvent] = []
    private var archivedOn: [String: CivilDate] = [:]
    private var pastMemberships: [String: [Membership]] = [:]
    private var accessTokens: [AccessToken] = []
    private var accountsByPerson: [String: Account] = [:]
    private var links: [String: SignInLink] = [:]
    private var webSessions: [String: WebSessionRecord] = [:]
    /// The order sessions were opened in (the later wins among equally recent ones).
    private var opened: [String: Int] = [:]
    private var failures: [String: SignInFailures] = [:]

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

    public func apply(_ plan: SyncPlan, at time: LocalDateTime, actor: String, outbox: [OutboxEntry])
        async throws(StorageError)
    {
        // Checked first so that a refused plan changes nothing.
        if let refusal = plan.unknownBody(stored: Set(bodies.keys)) { throw refusal }
        defer { enqueueNow(outbox) }
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

    public func changes(last count: Int) async throws(StorageError) -> (entries: [ChangeRecord], total: Int) {
        (Array(log.suffix(max(count, 0))), log.count)
    }

    public func changes(before: Int64?, count: Int) async throws(StorageError) -> [NumberedChange] {
        // Entry i (from 0) has the number i + 1, as the other stores' ids begin at 1.
        let end = min(log.count, before.map { Int(clamping: max($0 - 1, 0)) } ?? log.count)
        return (max(end - max(count, 0), 0)..<end).reversed().map {
            NumberedChange(number: Int64($0 + 1), entry: log[$0])
        }
    }

    public func subjectTimes() async throws(StorageError) -> [SubjectTimes] {
        var order: [String] = []
        var times: [String: SubjectTimes] = [:]
        for entry in log {
            if let known = times[entry.subject] {
                times[entry.subject]?.last = max(known.last, entry.time)
            } else {
                order.append(entry.subject)
                times[entry.subject] = SubjectTimes(subject: entry.subject, first: entry.time, last: entry.time)
            }
        }
        return order.compactMap { times[$0] }
    }

    public func changes(matching filter: ChangeFilter) async throws(StorageError) -> [ChangeRecord] {
        log.filter(filter.admits)
    }

    public func record(_ change: SessionChange, expecting changes: Expected<Int>, outbox: [OutboxEntry])
        async throws(StorageError)
    {
        try requireSeries(change.body, change.series)
        guard changes.holds({ sessions.filter { $0.body == change.body && $0.series == change.series }.count }) else {
            throw .changedMeanwhile("the sessions of \(change.body)/\(change.series)")
        }
        sessions.append(change)
        log.append(change.record)
        append(change.auditDraft)
        enqueueNow(outbox)
    }

    public func sessionChanges() async throws(StorageError) -> [SessionChange] { sessions }

    public func save(_ person: Person, endingSeatsOn day: CivilDate?, at time: LocalDateTime, actor: String)
        async throws(StorageError)
    {
        try requireOffice(person.office)
        staff[person.id] = person
        log.append(.saved(person, at: time, actor: actor))
        append(person.auditDraft(at: time, actor: actor))
        guard let day else { return }
        for i in seatList.indices
        where seatList[i].person == person.id && seatList[i].validUntil.map({ $0 > day }) ?? true {
            seatList[i].validUntil = day
            log.append(.seat(seatList[i], "ended", at: time, actor: actor))
            append(seatList[i].auditDraft("ended", at: time, actor: actor))
        }
    }

    public func people() async throws(StorageError) -> [Person] {
        staff.values.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    public func person(id: String) async throws(StorageError) -> Person? { staff[id] }

    public func seats() async throws(StorageError) -> [Seat] { seatList }

    public func assign(_ seat: Seat, at time: LocalDateTime, actor: String, outbox: [OutboxEntry])
        async throws(StorageError) -> Seat
    {
        guard bodies[seat.body] != nil else { throw .unknownBody(seat.body) }
        try requireOffice(seat.office)
        guard staff[seat.person] != nil else { throw .unknownPerson(seat.person) }
        var stored = seat
        stored.id = (seatList.map(\.id).max() ?? 0) + 1
        seatList.append(stored)
        log.append(.seat(stored, "assigned", at: time, actor: actor))
        append(stored.auditDraft("assigned", at: time, actor: actor))
        enqueueNow(outbox)
        return stored
    }

    public func endSeat(_ id: Int, on day: CivilDate, at time: LocalDateTime, actor: String, outbox: [OutboxEntry])
        async throws(StorageError) -> Seat
    {
        guard let i = seatList.firstIndex(where: { $0.id == id }) else { throw .noSeat(id) }
        enqueueNow(outbox)
        seatList[i].validUntil = day
        log.append(.seat(seatList[i], "ended", at: time, actor: actor))
        append(seatList[i].auditDraft("ended", at: time, actor: actor))
        return seatList[i]
    }

    public func record(
        _ attendance: [AttendanceEntry], removing: [AttendanceEntry], reason: String?, at time: LocalDateTime,
        actor: String, expecting current: Expected<[AttendanceEntry]>
    ) async throws(StorageError) {
        for entry in attendance + removing {
            try requireSeries(entry.session)
            try requireOffice(entry.office)
        }
        for key in Set((attendance + removing).map(\.session)) where minutes[key]?.status == .approved {
            throw .minutesLocked(key)
        }
        if let first = (attendance + removing).first, !current.holds({ recorded(first.session) }) {
            throw .changedMeanwhile("the attendance of \(first.session)")
        }
        for entry in removing {
            let key = entry.rowKey
            guard let stored = present.removeValue(forKey: key) else { continue }
            log.append(stored.removalRecord(reason: reason ?? "", at: time, actor: actor))
            append(stored.removalDraft(at: time, actor: actor, reason: reason ?? ""))
        }
        for entry in attendance {
            present[entry.rowKey] = entry
            log.append(entry.recordedRecord(reason: reason, at: time, actor: actor))
            append(entry.auditDraft(at: time, actor: actor, reason: reason))
        }
    }

    public func minutesState(of session: SessionKey) async throws(StorageError) -> MinutesState? { minutes[session] }

    public func save(
        _ state: MinutesState, freezing version: MinutesVersion?, expecting previous: Expected<MinutesState?>
    )
        async throws(StorageError)
    {
        try requireSeries(state.session)
        guard previous.holds({ minutes[state.session] }) else {
            throw .changedMeanwhile("the minutes of \(state.session)")
        }
        if let version {
            guard !versions.contains(where: { $0.session == version.session && $0.number == version.number }) else {
                throw .changedMeanwhile("version \(version.number) of the minutes of \(version.session)")
            }
            versions.append(version)
        }
        minutes[state.session] = state
        log.append(state.record)
        append(state.auditDraft)
    }

    public func minutesRecord(of session: SessionKey) async throws(StorageError) -> MinutesRecord? { records[session] }

    public func save(
        _ record: MinutesRecord, expecting revision: Int, at time: LocalDateTime, actor: String, action: String
    )
        async throws(StorageError) -> MinutesRecord
    {
        let session = record.session
        try requireSeries(session)
        if minutes[session]?.status == .approved { throw .minutesLocked(session) }
        guard (records[session]?.revision ?? 0) == revision else {
            throw .changedMeanwhile("the minutes of \(session)")
        }
        var stored = record
        stored.revision = revision + 1
        records[session] = stored
        agendaItems.removeAll { $0.session == session }
        agendaItems += stored.addedTexts.map { AgendaItem(session: session, text: $0) }
        log.append(.written(stored, action, at: time, actor: actor))
        append(stored.auditDraft(at: time, actor: actor))
        return stored
    }

    public func minutesVersions(of session: SessionKey) async throws(StorageError) -> [MinutesVersion] {
        versions.filter { $0.session == session }.sorted { $0.number < $1.number }
    }

    public func agenda(of session: SessionKey) async throws(StorageError) -> [AgendaItem] {
        agendaItems.filter { $0.session == session }
    }

    public func agendas() async throws(StorageError) -> [SessionKey: [String]] {
        Dictionary(grouping: agendaItems, by: \.session).mapValues { $0.map(\.text) }
    }

    public func add(_ item: ActionItem, at time: LocalDateTime, actor: String) async throws(StorageError) -> ActionItem
    {
        try requireSeries(item.session)
        try requireOffice(item.office)
        if minutes[item.session]?.status == .approved { throw .minutesLocked(item.session) }
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

    public func attendance(from: CivilDate, through: CivilDate, bodies: [String]?) async throws(StorageError)
        -> [AttendanceEntry]
    {
        let chosen = bodies.map(Set.init)
        return present.values.filter {
            $0.session.date >= from && $0.session.date <= through && chosen?.contains($0.session.body) ?? true
        }.sorted {
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

    public func events(of kind: AuditEvent.Kind, limit: Int) async throws(StorageError) -> [AuditEvent] {
        Array(events.reversed().filter { $0.kind == kind }.prefix(limit))
    }

    public func auditVerification(keepingReplayAt keptAt: Int?) async throws(StorageError) -> AuditVerification {
        let snapshot = try await auditSnapshot()
        return AuditVerification(events: snapshot.events, records: snapshot.records, keepingReplayAt: keptAt)
    }

    public func auditReplay(upTo last: Int) async throws(StorageError) -> AuditReplay {
        AuditReplay(replayed: ReplayedRecords(replaying: events, upTo: last), entry: try await auditEvent(seq: last))
    }

    public func auditEvent(seq: Int) async throws(StorageError) -> AuditEvent? { events.first { $0.seq == seq } }

    public func auditSnapshot() async throws(StorageError) -> AuditSnapshot {
        AuditSnapshot(
            events: events,
            records: AuditRecords(
                attendance: Array(present.values), sessionChanges: sessions, minutes: Array(minutes.values),
                seats: seatList, people: Array(staff.values), contents: Array(records.values), versions: versions))
    }

    public func enqueue(_ entries: [OutboxEntry]) async throws(StorageError) { enqueueNow(entries) }

    public func queueLadung(_ record: LadungRecord, entries: [OutboxEntry]) async throws(StorageError) -> Bool {
        guard ladungList[record.session] == nil else { return false }
        ladungList[record.session] = record
        enqueueNow(entries)
        return true
    }

    public func ladungen(from: CivilDate) async throws(StorageError) -> [LadungRecord] {
        ladungList.values.filter { $0.session.date >= from }.sorted { $0.session.date < $1.session.date }
    }

    public func save(_ links: [ReplyLink]) async throws(StorageError) {
        for l in links { replyLinks[l.hash] = l }
    }

    public func replyLink(hash: String) async throws(StorageError) -> ReplyLink? { replyLinks[hash] }

    public func answer(linkHash: String, at time: LocalDateTime) async throws(StorageError) -> Reply {
        guard let link = replyLinks[linkHash] else { throw .notFound("no such answer link") }
        let reply = Reply(session: link.session, person: link.person, answer: link.answer, time: time, via: "link")
        if answers["\(link.session) \(link.person)"]?.answer == link.answer {
            return answers["\(link.session) \(link.person)"] ?? reply
        }
        answers["\(link.session) \(link.person)"] = reply
        append(reply.auditDraft())
        return reply
    }

    public func replies(of session: SessionKey) async throws(StorageError) -> [Reply] {
        answers.values.filter { $0.session == session }.sorted { $0.person < $1.person }
    }

    public func record(_ replies: [Reply]) async throws(StorageError) -> [Reply] {
        var recorded: [Reply] = []
        for reply in replies where reply.replaces(answers["\(reply.session) \(reply.person)"]) {
            answers["\(reply.session) \(reply.person)"] = reply
            append(reply.auditDraft())
            recorded.append(reply)
        }
        return recorded
    }

    public func log(_ refused: RefusedReply) async throws(StorageError) { append(refused.auditDraft()) }

    private func enqueueNow(_ entries: [OutboxEntry]) {
        for var e in entries {
            e.id = (mails.map(\.id).max() ?? 0) + 1
            mails.append(e)
        }
    }

    public func outbox(limit: Int) async throws(StorageError) -> [OutboxEntry] {
        Array(mails.sorted { $0.id > $1.id }.prefix(limit))
    }

    public func claimOutbox(owner: String, now: LocalDateTime, lease: Int, limit: Int) async throws(StorageError)
        -> [OutboxEntry]
    {
        var claimed: [OutboxEntry] = []
        for i in mails.indices where claimed.count < limit && mails[i].state == .pending {
            guard mails[i].nextAttempt <= now,
                mails[i].claimedBy == owner || (mails[i].claimedUntil.map({ $0 < now }) ?? true)
            else { continue }
            mails[i].claimedBy = owner
            mails[i].claimedUntil = LocalDateTime(localSeconds: now.localSeconds + Int64(lease))
            claimed.append(mails[i])
        }
        return claimed
    }

    public func finish(_ id: Int, owner: String, _ outcome: OutboxOutcome) async throws(StorageError) {
        guard let i = mails.firstIndex(where: { $0.id == id }), mails[i].claimedBy == owner,
            mails[i].state == .pending
        else { throw .conflict("outbox entry \(id) is not held by \(owner)") }
        mails[i].attempts += 1
        mails[i].claimedBy = nil
        mails[i].claimedUntil = nil
        switch outcome {
        case .sent(let at): (mails[i].state, mails[i].sentAt, mails[i].lastError) = (.sent, at, nil)
        case .retry(let at, let error): (mails[i].nextAttempt, mails[i].lastError) = (at, error)
        case .failed(_, let error): (mails[i].state, mails[i].lastError) = (.failed, error)
        }
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

extension MemoryStore {
    public func save(_ account: Account, at time: LocalDateTime, actor: String, action: String)
        async throws(StorageError)
    {
        guard staff[account.person] != nil else { throw .unknownPerson(account.person) }
        if accountsByPerson.values.contains(where: { $0.email == account.email && $0.person != account.person }) {
            throw .emailTaken(account.email)
        }
        accountsByPerson[account.person] = account
        log.append(.accountSaved(account, action: action, at: time, actor: actor))
    }

    public func accounts() async throws(StorageError) -> [Account] {
        accountsByPerson.values.sorted { $0.person < $1.person }
    }

    public func account(email: String) async throws(StorageError) -> Account? {
        accountsByPerson.values.first { $0.email == email }
    }

    public func account(person: String) async throws(StorageError) -> Account? { accountsByPerson[person] }

    public func save(_ link: SignInLink) async throws(StorageError) {
        guard staff[link.person] != nil else { throw .unknownPerson(link.person) }
        links = links.filter { $0.value.person != link.person }
        links[link.hash] = link
    }

    public func redeemSignInLink(hash: String, at time: LocalDateTime) async throws(StorageError) -> SignInLink? {
        guard let link = links.removeValue(forKey: hash), time < link.expires else { return nil }
        return link
    }

    public func open(_ session: WebSessionRecord, replacing: String?, staleBefore: LocalDateTime, keeping: Int)
        async throws(StorageError)
    {
        if let replacing { webSessions[replacing] = nil }
        webSessions = webSessions.filter { $0.value.lastSeen >= staleBefore }
        webSessions[session.hash] = session
        opened[session.hash] = (opened.values.max() ?? 0) + 1
        let own = webSessions.values.filter { $0.person == session.person && $0.hash != session.hash }
            .sorted { ($0.lastSeen, opened[$0.hash] ?? 0) > ($1.lastSeen, opened[$1.hash] ?? 0) }
        for old in own.dropFirst(max(0, keeping - 1)) { webSessions[old.hash] = nil }
        opened = opened.filter { webSessions[$0.key] != nil }
    }

    public func webSession(hash: String) async throws(StorageError) -> WebSessionRecord? { webSessions[hash] }

    public func touchWebSession(hash: String, at time: LocalDateTime) async throws(StorageError) {
        webSessions[hash]?.lastSeen = time
    }

    public func closeWebSessions(hash: String?, person: String?) async throws(StorageError) {
        if let hash { webSessions[hash] = nil }
        if let person { webSessions = webSessions.filter { $0.value.person != person } }
    }

    public func signInFailures(_ key: String) async throws(StorageError) -> SignInFailures? { failures[key] }

    public func noteSignIn(_ keys: [String], failed: Bool, at time: LocalDateTime) async throws(StorageError) {
        for key in keys {
            failures[key] = failed ? SignInFailures(key: key, count: (failures[key]?.count ?? 0) + 1, last: time) : nil
        }
    }
}
