/// What a participation summary is computed from: records only, as the store holds them.
public struct ParticipationRecords: Sendable {
    /// Every office, archived ones included.
    public var offices: [Office]
    /// Every body, archived ones included, each with all memberships it ever had (past ones too).
    public var bodies: [Body]
    public var archivedBodies: Set<String>
    /// The sessions of those bodies, each with the key its records are kept under.
    public var sessions: [(key: SessionKey, session: Session)]
    public var attendance: [AttendanceEntry]
    public var minutes: [MinutesState]
    /// Every seat ever assigned, and the names of the people holding them, by person id.
    public var seats: [Seat]
    public var names: [String: String]
    /// Offices whose ordered pairs are always listed, shared body or not (the audit's three:
    /// Sozialamt, Jugendamt, job-com).
    public var core: [String]

    public init(
        offices: [Office], bodies: [Body], archivedBodies: Set<String> = [],
        sessions: [(key: SessionKey, session: Session)], attendance: [AttendanceEntry], minutes: [MinutesState],
        core: [String], seats: [Seat] = [], names: [String: String] = [:]
    ) {
        self.seats = seats
        self.names = names
        self.offices = offices
        self.bodies = bodies
        self.archivedBodies = archivedBodies
        self.sessions = sessions
        self.attendance = attendance
        self.minutes = minutes
        self.core = core
    }
}

extension ParticipationSummary {
    /// The summary of `records` for the days `from...through`, as of `madeAt` (UTC), for one
    /// office or one body when given.
    public init(
        records: ParticipationRecords, from: CivilDate, through: CivilDate, madeAt: LocalDateTime,
        office onlyOffice: String? = nil, body onlyBody: String? = nil
    ) {
        var counting = Counting(
            records: records, from: from, through: through, madeAt: madeAt, office: onlyOffice, body: onlyBody)
        counting.add(sessions: records.sessions, attendance: records.attendance)
        self = counting.summary()
    }

    /// A summary counted a few bodies at a time, so that ten years of sessions and attendance
    /// never need to be held at once: made from the records' district, seats and minutes, given
    /// the sessions of some bodies and their attendance at a time (`add`), then finished
    /// (`summary()`). The order in which the bodies come does not change the summary.
    public struct Counting: Sendable {
        let from: CivilDate
        let through: CivilDate
        let madeAt: LocalDateTime
        let onlyOffice: String?
        let onlyBody: String?
        /// The records' definitions, seats and minutes (their sessions and attendance come by `add`).
        let records: ParticipationRecords
        /// The bodies counted (all, or the one asked for), in the order of the rows.
        let bodies: [Body]
        let bodyNumber: [String: Int]
        let approved: [SessionKey: MinutesState]
        /// Offices are numbered once (as they first appear in the bodies), so the tallies are
        /// arrays; each body's members as office numbers, in the order of `members`.
        let officeIDs: [String]
        let officeNumber: [String: Int]
        let memberNumbers: [String: [Int]]
        var total: SessionPass.Tallies

        public init(
            records: ParticipationRecords, from: CivilDate, through: CivilDate, madeAt: LocalDateTime,
            office onlyOffice: String? = nil, body onlyBody: String? = nil
        ) {
            self.from = from
            self.through = through
            self.madeAt = madeAt
            self.onlyOffice = onlyOffice
            self.onlyBody = onlyBody
            var kept = records
            kept.sessions = []
            kept.attendance = []
            self.records = kept
            bodies = records.bodies.filter { onlyBody == nil || $0.id == onlyBody }
            var bodyNumber: [String: Int] = [:]
            for (i, body) in bodies.enumerated() where bodyNumber[body.id] == nil { bodyNumber[body.id] = i }
            self.bodyNumber = bodyNumber
            approved = Dictionary(
                records.minutes.filter { $0.status == .approved }.map { ($0.session, $0) },
                uniquingKeysWith: { a, _ in a })
            var officeIDs: [String] = []
            var officeNumber: [String: Int] = [:]
            var memberNumbers: [String: [Int]] = [:]
            for body in bodies where memberNumbers[body.id] == nil {
                memberNumbers[body.id] = body.members.map { m in
                    if let known = officeNumber[m.office] { return known }
                    officeNumber[m.office] = officeIDs.count
                    officeIDs.append(m.office)
                    return officeIDs.count - 1
                }
            }
            self.officeIDs = officeIDs
            self.officeNumber = officeNumber
            self.memberNumbers = memberNumbers
            total = SessionPass.Tallies(offices: officeIDs.count)
        }

        /// The ids of the bodies counted, in order: the caller gives their sessions and attendance
        /// a few at a time.
        public var bodyIDs: [String] { bodies.map(\.id) }

        /// Counts the sessions of some bodies in the period (each body's all at once; others
        /// than those counted are passed over) with the attendance recorded for them.
        public mutating func add(sessions: [(key: SessionKey, session: Session)], attendance: [AttendanceEntry]) {
            // Each session's attendance is one range of the entries (ordered by session when they are not).
            let (attendance, entriesOfBody) = ParticipationSummary.groupedBySession(attendance)
            var sessionsOfBody = [[Int]](repeating: [], count: bodies.count)
            for (i, s) in sessions.enumerated() {
                if let b = bodyNumber[s.session.body] { sessionsOfBody[b].append(i) }
            }
            let chosen = sessionsOfBody.indices.filter { !sessionsOfBody[$0].isEmpty }
            guard !chosen.isEmpty else { return }
            let pass = SessionPass(
                from: from, through: through, now: madeAt.localSeconds, bodies: bodies, sessions: sessions,
                sessionsOfBody: sessionsOfBody, memberNumbers: memberNumbers, attendance: attendance,
                entriesOfBody: entriesOfBody, approved: approved, offices: officeIDs.count)
            // Bodies are independent: those given are taken in two parts, one on a second core,
            // and the parts' tallies added (counts add; the lists are ordered at the end).
            let parts = min(2, chosen.count)
            let tallies = ParallelResults<SessionPass.Tallies, Never>.map(parts) { part in
                pass.run(bodies: stride(from: part, to: chosen.count, by: parts).map { chosen[$0] })
            }
            for t in tallies { total.add(t) }
        }

        /// The summary of everything counted.
        public consuming func summary() -> ParticipationSummary {
            ParticipationSummary(counting: self)
        }
    }

    private init(counting c: consuming Counting) {
        let records = c.records
        let (from, through, onlyOffice) = (c.from, c.through, c.onlyOffice)
        self.from = from
        self.through = through
        madeAt = c.madeAt
        shortNames = Dictionary(records.offices.map { ($0.id, $0.shortName) }, uniquingKeysWith: { a, _ in a })
        let bodies = c.bodies
        let n = c.officeIDs.count
        var perOfficeSlots = c.total.offices
        let pairGrid = c.total.pairs
        var perBody = c.total.bodies
        c.total = SessionPass.Tallies(offices: 0)
        func pairTally(_ a: String, _ b: String) -> PairTally? {
            guard let i = c.officeNumber[a], let j = c.officeNumber[b] else { return nil }
            return pairGrid[i * n + j]
        }

        // Per office.
        var bodyRank = [Int](repeating: 0, count: bodies.count)
        for (rank, place) in bodies.indices.sorted(by: { bodies[$0].id < bodies[$1].id }).enumerated() {
            bodyRank[place] = rank
        }
        var officeRows: [OfficeParticipation] = []
        for office in records.offices where onlyOffice == nil || office.id == onlyOffice {
            var seats: [OfficeParticipation.Seat] = []
            for b in bodies {
                for m in b.members where m.office == office.id && Self.overlaps(m, b, from, through) {
                    var seat = OfficeParticipation.Seat(body: b.id, bodyName: b.name, role: m.role)
                    if !seats.contains(where: { $0.body == seat.body && $0.role == seat.role }) {
                        seat.holders = Self.holders(of: office.id, in: b.id, records, from, through)
                        seats.append(seat)
                    }
                }
            }
            guard !seats.isEmpty else { continue }
            // The office's list is taken out of the tallies and ordered where it stands.
            var tally: SessionPass.OfficeTally = (AttendanceCounts(), 0, [])
            if let number = c.officeNumber[office.id], let slot = perOfficeSlots[number] {
                tally = slot
                perOfficeSlots[number] = nil
            }
            // By date, then body id (the rank of each body's id stands for it).
            tally.sessions.sort { ($0.day, bodyRank[Int($0.body)]) < ($1.day, bodyRank[Int($1.body)]) }
            officeRows.append(
                OfficeParticipation(
                    office: office.id, name: office.name, shortName: office.shortName, seats: seats,
                    counts: tally.counts, personMinutes: tally.minutes,
                    sessions: tally.sessions.map {
                        SessionOutcome(
                            body: bodies[Int($0.body)].id, date: CivilDate(dayNumber: Int($0.day)), outcome: $0.outcome)
                    }))
        }
        offices = officeRows

        // Per ordered pair: those of the core offices, then every other pair sharing a body.
        var sharedBodies: [String: [String: [Body]]] = [:]
        for body in bodies where Self.overlaps(body, from, through) {
            let ids = body.members.map(\.office).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            for a in ids {
                for b in ids where a != b && Self.shared(body, a, b, from, through) {
                    sharedBodies[a, default: [:]][b, default: []].append(body)
                }
            }
        }
        var pairKeys: [(String, String)] = []
        for a in records.core {
            for b in records.core where a != b { pairKeys.append((a, b)) }
        }
        let allIDs = records.offices.map(\.id)
        for a in allIDs {
            for b in allIDs where a != b && sharedBodies[a]?[b] != nil && !pairKeys.contains(where: { $0 == (a, b) }) {
                pairKeys.append((a, b))
            }
        }
        var pairRows: [PairParticipation] = []
        for (a, b) in pairKeys where onlyOffice == nil || a == onlyOffice || b == onlyOffice {
            let shared = sharedBodies[a]?[b] ?? []
            let tally = pairTally(a, b) ?? PairTally()
            var row = PairParticipation(
                office: a, partner: b, sharedBodies: shared.map(\.id), jointSessions: tally.joint,
                officeAttended: tally.office, partnerAttended: tally.partner, bothAttended: tally.both,
                kinds: tally.kindList.sorted { $0.rawValue < $1.rawValue }, legalBases: [], agreements: [])
            for body in shared {
                for l in body.legalBasis where !row.legalBases.contains(l) { row.legalBases.append(l) }
                for g in body.agreements where !row.agreements.contains(g) { row.agreements.append(g) }
            }
            pairRows.append(row)
        }
        pairs = pairRows

        // Per body.
        var bodyRows: [BodyParticipation] = []
        for body in bodies where onlyOffice == nil || body.members.contains(where: { $0.office == onlyOffice }) {
            var tally = perBody.removeValue(forKey: body.id) ?? BodyTally()
            tally.sessions.sort { $0.date < $1.date }
            guard tally.planned > 0 || Self.overlaps(body, from, through) else { continue }
            let hasQuorum = body.quorum != nil
            bodyRows.append(
                BodyParticipation(
                    body: body.id, name: body.name, kind: body.kind,
                    archived: records.archivedBodies.contains(body.id), planned: tally.planned, held: tally.held,
                    cancelled: tally.cancelled, moved: tally.moved, upcoming: tally.upcoming,
                    attendance: tally.attendance.sorted { $0.office < $1.office }.map {
                        BodyParticipation.OfficeAttendance(office: $0.office, role: $0.role, counts: $0.counts)
                    },
                    quorumReached: hasQuorum ? tally.quorumReached : nil,
                    quorumMissed: hasQuorum ? tally.quorumMissed : nil,
                    quorumUnrecorded: hasQuorum ? tally.quorumUnrecorded : nil,
                    minutesApproved: tally.approvalDays.count, approvalDays: tally.approvalDays,
                    sessions: tally.sessions))
        }
        self.bodies = bodyRows
    }

    /// One pass over sessions: what each expected office did at each held session, added up per
    /// office (by number), per ordered pair of office numbers and per body.
    struct SessionPass: Sendable {
        let from: CivilDate
        let through: CivilDate
        let now: Int64
        let bodies: [Body]
        let sessions: [(key: SessionKey, session: Session)]
        /// The places in `sessions` of each body's sessions, by the body's place in `bodies`.
        let sessionsOfBody: [[Int]]
        let memberNumbers: [String: [Int]]
        /// The entries, those of each session next to each other, and where each body's are.
        let attendance: [AttendanceEntry]
        let entriesOfBody: [String: Range<Int>]
        let approved: [SessionKey: MinutesState]
        let offices: Int

        /// What an office did at one held session, small (ten years are half a million of them):
        /// the body's place in `bodies` and the day's number.
        struct Held: Sendable {
            var body: Int32
            var day: Int32
            var outcome: Outcome
        }

        /// An office's counts, minutes and sessions.
        typealias OfficeTally = (counts: AttendanceCounts, minutes: Int, sessions: [Held])

        struct Tallies: Sendable {
            var offices: [OfficeTally?]
            var pairs: [PairTally?]
            var bodies: [String: BodyTally]

            /// Nothing counted yet, for `offices` numbered offices.
            init(offices n: Int) {
                self.init(
                    offices: Array(repeating: nil, count: n), pairs: Array(repeating: nil, count: n * n), bodies: [:])
            }

            init(
                offices: [OfficeTally?], pairs: [PairTally?],
                bodies: [String: BodyTally]
            ) {
                self.offices = offices
                self.pairs = pairs
                self.bodies = bodies
            }

            /// Adds another part's tallies (of other bodies) to these.
            mutating func add(_ other: Tallies) {
                for (i, o) in other.offices.enumerated() {
                    guard let o else { continue }
                    guard var mine = offices[i] else {
                        offices[i] = o
                        continue
                    }
                    offices[i] = nil
                    mine.counts.add(o.counts)
                    mine.minutes += o.minutes
                    mine.sessions += o.sessions
                    offices[i] = mine
                }
                for (i, p) in other.pairs.enumerated() {
                    guard let p else { continue }
                    pairs[i] = (pairs[i] ?? PairTally()).adding(p)
                }
                bodies.merge(other.bodies) { $0.adding($1) }
            }
        }

        /// The tallies of the sessions of `bodies` (places in `self.bodies`).
        func run(bodies chosen: [Int]) -> Tallies {
            let n = offices
            var perOfficeSlots: [OfficeTally?] = Array(
                repeating: nil, count: n)
            var pairGrid = [PairTally?](repeating: nil, count: n * n)
            var perBody: [String: BodyTally] = [:]
            for place in chosen {
                let body = bodies[place]
                let numbers = memberNumbers[body.id] ?? []
                // Where each session's entries are, for this body only (kept for one body at a
                // time: for all of ten years the index was as large as the tallies).
                var entries: [SessionKey: Range<Int>] = [:]
                var start = entriesOfBody[body.id]?.lowerBound ?? 0
                let bodyEnd = entriesOfBody[body.id]?.upperBound ?? 0
                while start < bodyEnd {
                    let session = attendance[start].session
                    var end = start + 1
                    while end < bodyEnd, attendance[end].session == session { end += 1 }
                    entries[session] = start..<end
                    start = end
                }
                var tally = BodyTally()
                for (key, session) in sessionsOfBody[place].lazy.map({ sessions[$0] }) {
                    let day = session.start.local.date
                    guard day >= from, day <= through else { continue }
                    tally.planned += 1
                    switch session.status {
                    case .cancelled: tally.cancelled += 1
                    case .moved: tally.moved += 1
                    case .scheduled: break
                    }
                    guard session.status != .cancelled else {
                        tally.sessions.append(
                            .init(date: day, state: .cancelled, moved: false, recordedOffices: 0, expectedOffices: 0))
                        continue
                    }
                    guard session.start.utc <= now else {
                        tally.upcoming += 1
                        tally.sessions.append(
                            .init(
                                date: day, state: .upcoming, moved: session.status == .moved, recordedOffices: 0,
                                expectedOffices: 0))
                        continue
                    }
                    tally.held += 1
                    let recorded = entries[key].map { attendance[$0] } ?? []
                    var expected: [(office: Int, outcome: Outcome)] = []
                    for (i, m) in body.members.enumerated() where m.isValid(on: day) {
                        let number = numbers[i]
                        guard !expected.contains(where: { $0.office == number }) else { continue }
                        let (outcome, minutes) = ParticipationSummary.outcome(of: m.office, in: recorded, session)
                        expected.append((number, outcome))
                        var office = perOfficeSlots[number] ?? (AttendanceCounts(), 0, [])
                        perOfficeSlots[number] = nil
                        office.counts.add(outcome)
                        office.minutes += minutes
                        office.sessions.append(
                            Held(
                                body: Int32(truncatingIfNeeded: place), day: Int32(truncatingIfNeeded: day.dayNumber),
                                outcome: outcome))
                        perOfficeSlots[number] = office
                        if let at = tally.attendance.firstIndex(where: { $0.office == m.office }) {
                            tally.attendance[at].counts.add(outcome)
                        } else {
                            var counts = AttendanceCounts()
                            counts.add(outcome)
                            tally.attendance.append((m.office, m.role, counts))
                        }
                    }
                    tally.sessions.append(
                        .init(
                            date: day, state: .held, moved: session.status == .moved,
                            recordedOffices: expected.filter { $0.outcome != .unrecorded }.count,
                            expectedOffices: expected.count))
                    let kind = PairTally.bit(session.kind)
                    for a in expected {
                        for b in expected where a.office != b.office {
                            var pair = pairGrid[a.office * n + b.office] ?? PairTally()
                            pair.joint += 1
                            if a.outcome == .attended { pair.office += 1 }
                            if b.outcome == .attended { pair.partner += 1 }
                            if a.outcome == .attended && b.outcome == .attended { pair.both += 1 }
                            pair.kinds |= kind
                            pairGrid[a.office * n + b.office] = pair
                        }
                    }
                    if !approved.isEmpty, let state = approved[key] {
                        tally.approvalDays.append(max(0, state.time.date.dayNumber - day.dayNumber))
                    }
                    if body.quorum != nil {
                        if recorded.isEmpty {
                            tally.quorumUnrecorded += 1
                        } else if body.quorum(on: day, attendance: Array(recorded))?.reached == true {
                            tally.quorumReached += 1
                        } else {
                            tally.quorumMissed += 1
                        }
                    }
                }
                if tally.planned > 0 { perBody[body.id] = tally }
            }
            return Tallies(offices: perOfficeSlots, pairs: pairGrid, bodies: perBody)
        }
    }

    /// The people holding an office's place in a body at some time in `from...through`: regular
    /// holders first, then deputies by rank, each group in the order the seats were assigned.
    static func holders(
        of office: String, in body: String, _ records: ParticipationRecords, _ from: CivilDate, _ through: CivilDate
    ) -> [OfficeParticipation.Holder] {
        records.seats.filter { $0.office == office && $0.body == body && overlaps($0, from, through) }
            .sorted { ($0.role == .deputy ? 1 : 0, $0.rank, $0.id) < ($1.role == .deputy ? 1 : 0, $1.rank, $1.id) }
            .map {
                OfficeParticipation.Holder(
                    person: $0.person, name: records.names[$0.person] ?? $0.person, role: $0.role, rank: $0.rank,
                    from: $0.validFrom, until: $0.validUntil)
            }
    }

    /// What an office did at a held session where it had a seat.
    typealias Outcome = SessionOutcome.Outcome

    /// What `office` did at a held session, from the session's entries, with the minutes its
    /// people (or deputies) spent there.
    static func outcome(
        of office: String, in recorded: ArraySlice<AttendanceEntry>, _ session: Session
    ) -> (Outcome, minutes: Int) {
        var any = false
        var attended = false
        var excused = false
        var spent = 0
        for e in recorded where e.office == office {
            any = true
            switch e.status {
            case .present, .represented: attended = true
            case .excused: excused = true
            case .absent: break
            }
            spent += Self.minutes(e, session)
        }
        if !any { return (.unrecorded, 0) }
        return (attended ? .attended : excused ? .excused : .absent, spent)
    }

    /// The entries with those of each session next to each other and those of each body
    /// together, and the range of each body's: as given when they are (the store reads them
    /// ordered by body, series and date), otherwise ordered so first.
    static func groupedBySession(_ attendance: [AttendanceEntry]) -> ([AttendanceEntry], [String: Range<Int>]) {
        var bodies: [String: Range<Int>] = [:]
        var start = 0
        var previous: SessionKey?
        while start < attendance.count {
            let body = attendance[start].session.body
            var end = start
            while end < attendance.count, attendance[end].session.body == body {
                let key = attendance[end].session
                if let previous, previous.body == key.body, (previous.series, previous.date) > (key.series, key.date) {
                    return groupedBySession(ordered(attendance))
                }
                previous = key
                end += 1
            }
            guard bodies.updateValue(start..<end, forKey: body) == nil else {
                return groupedBySession(ordered(attendance))
            }
            start = end
        }
        return (attendance, bodies)
    }

    /// The entries ordered by body, series and date (in their order otherwise).
    private static func ordered(_ attendance: [AttendanceEntry]) -> [AttendanceEntry] {
        attendance.sorted {
            ($0.session.body, $0.session.series, $0.session.date) < (
                $1.session.body, $1.session.series, $1.session.date
            )
        }
    }

    /// Minutes a person (or deputy) who was there spent: arrival to departure, else the session's.
    static func minutes(_ e: AttendanceEntry, _ s: Session) -> Int {
        guard e.status == .present || e.status == .represented else { return 0 }
        let start = (e.arrival ?? s.start.local).localSeconds
        let end = (e.departure ?? s.end.local).localSeconds
        return max(0, Int(end - start) / 60)
    }

    struct PairTally {
        var joint = 0
        var office = 0
        var partner = 0
        var both = 0
        /// The kinds of the joint sessions, one bit each (`bit`).
        var kinds: UInt64 = 0

        static func bit(_ kind: Series.MeetingKind) -> UInt64 {
            1 << UInt64(Series.MeetingKind.allCases.firstIndex(of: kind) ?? 0)
        }

        func adding(_ other: PairTally) -> PairTally {
            PairTally(
                joint: joint + other.joint, office: office + other.office, partner: partner + other.partner,
                both: both + other.both, kinds: kinds | other.kinds)
        }

        var kindList: [Series.MeetingKind] {
            Series.MeetingKind.allCases.filter { kinds & Self.bit($0) != 0 }
        }
    }

    struct BodyTally {
        var planned = 0
        var held = 0
        var cancelled = 0
        var moved = 0
        var upcoming = 0
        /// Per office, in the order they were first expected (a body has few).
        var attendance: [(office: String, role: Membership.Role, counts: AttendanceCounts)] = []
        var quorumReached = 0
        var quorumMissed = 0
        var quorumUnrecorded = 0
        var approvalDays: [Int] = []
        var sessions: [BodySession] = []

        /// The tally of the body's other sessions added (counted apart).
        func adding(_ other: BodyTally) -> BodyTally {
            var sum = self
            sum.planned += other.planned
            sum.held += other.held
            sum.cancelled += other.cancelled
            sum.moved += other.moved
            sum.upcoming += other.upcoming
            for a in other.attendance {
                if let at = sum.attendance.firstIndex(where: { $0.office == a.office }) {
                    sum.attendance[at].counts.add(a.counts)
                } else {
                    sum.attendance.append(a)
                }
            }
            sum.quorumReached += other.quorumReached
            sum.quorumMissed += other.quorumMissed
            sum.quorumUnrecorded += other.quorumUnrecorded
            sum.approvalDays += other.approvalDays
            sum.sessions += other.sessions
            return sum
        }
    }

    /// Whether a period (either end open) meets `from...through`.
    static func overlaps(_ p: some ValidityPeriod, _ from: CivilDate, _ through: CivilDate) -> Bool {
        (p.validFrom.map { $0 <= through } ?? true) && (p.validUntil.map { $0 >= from } ?? true)
    }

    static func overlaps(_ m: Membership, _ b: Body, _ from: CivilDate, _ through: CivilDate) -> Bool {
        overlaps(m, from, through) && overlaps(b, from, through)
    }

    /// Whether `a` and `b` both had a seat in `body` on some day of the period.
    static func shared(_ body: Body, _ a: String, _ b: String, _ from: CivilDate, _ through: CivilDate) -> Bool {
        guard overlaps(body, from, through) else { return false }
        for x in body.members where x.office == a {
            for y in body.members where y.office == b {
                var lo = from
                var hi = through
                for p in [x as any ValidityPeriod, y, body] {
                    if let f = p.validFrom, f > lo { lo = f }
                    if let u = p.validUntil, u < hi { hi = u }
                }
                if lo <= hi { return true }
            }
        }
        return false
    }
}

extension AttendanceCounts {
    mutating func add(_ other: AttendanceCounts) {
        expected += other.expected
        attended += other.attended
        excused += other.excused
        absent += other.absent
        unrecorded += other.unrecorded
    }

    mutating func add(_ outcome: ParticipationSummary.Outcome) {
        expected += 1
        switch outcome {
        case .attended: attended += 1
        case .excused: excused += 1
        case .absent: absent += 1
        case .unrecorded: unrecorded += 1
        }
    }
}
