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
    /// Offices whose ordered pairs are always listed, shared body or not (the audit's three:
    /// Sozialamt, Jugendamt, job-com).
    public var core: [String]

    public init(
        offices: [Office], bodies: [Body], archivedBodies: Set<String> = [],
        sessions: [(key: SessionKey, session: Session)], attendance: [AttendanceEntry], minutes: [MinutesState],
        core: [String]
    ) {
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
        self.from = from
        self.through = through
        self.madeAt = madeAt
        shortNames = Dictionary(records.offices.map { ($0.id, $0.shortName) }, uniquingKeysWith: { a, _ in a })
        let now = madeAt.localSeconds
        let bodies = records.bodies.filter { onlyBody == nil || $0.id == onlyBody }
        let bodyByID = Dictionary(bodies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

        // The sessions of the period, and what each office did at each.
        struct Held {
            var key: SessionKey
            var session: Session
            var body: Body
            /// Office → its role at this session.
            var expected: [String: Membership.Role]
        }
        var planned: [(SessionKey, Session)] = []
        var held: [Held] = []
        for (key, session) in records.sessions {
            let day = session.start.local.date
            guard day >= from, day <= through, let body = bodyByID[session.body] else { continue }
            planned.append((key, session))
            guard session.status != .cancelled, session.start.utc <= now else { continue }
            var expected: [String: Membership.Role] = [:]
            for m in body.members(on: day) where expected[m.office] == nil { expected[m.office] = m.role }
            held.append(Held(key: key, session: session, body: body, expected: expected))
        }
        var entries: [SessionKey: [String: [AttendanceEntry]]] = [:]
        for e in records.attendance { entries[e.session, default: [:]][e.office, default: []].append(e) }

        enum Outcome { case attended, excused, absent, unrecorded }
        func outcome(_ list: [AttendanceEntry]?) -> Outcome {
            guard let list, !list.isEmpty else { return .unrecorded }
            if list.contains(where: { $0.status == .present || $0.status == .represented }) { return .attended }
            if list.contains(where: { $0.status == .excused }) { return .excused }
            return .absent
        }
        func count(_ o: Outcome, into c: inout AttendanceCounts) {
            c.expected += 1
            switch o {
            case .attended: c.attended += 1
            case .excused: c.excused += 1
            case .absent: c.absent += 1
            case .unrecorded: c.unrecorded += 1
            }
        }
        func minutes(_ e: AttendanceEntry, _ s: Session) -> Int {
            guard e.status == .present || e.status == .represented else { return 0 }
            let start = (e.arrival ?? s.start.local).localSeconds
            let end = (e.departure ?? s.end.local).localSeconds
            return max(0, Int(end - start) / 60)
        }

        // Per office.
        let officeIDs =
            records.offices.map(\.id).filter { id in
                (onlyOffice == nil || id == onlyOffice)
                    && bodies.contains { b in
                        b.members.contains { $0.office == id && Self.overlaps($0, b, from, through) }
                    }
            }
        var officeRows: [OfficeParticipation] = []
        for id in officeIDs {
            guard let office = records.offices.first(where: { $0.id == id }) else { continue }
            var seats: [OfficeParticipation.Seat] = []
            for b in bodies {
                for m in b.members where m.office == id && Self.overlaps(m, b, from, through) {
                    let seat = OfficeParticipation.Seat(body: b.id, bodyName: b.name, role: m.role)
                    if !seats.contains(seat) { seats.append(seat) }
                }
            }
            var counts = AttendanceCounts()
            var spent = 0
            for h in held where h.expected[id] != nil {
                let list = entries[h.key]?[id]
                count(outcome(list), into: &counts)
                spent += (list ?? []).reduce(0) { $0 + minutes($1, h.session) }
            }
            officeRows.append(
                OfficeParticipation(
                    office: id, name: office.name, shortName: office.shortName, seats: seats, counts: counts,
                    personMinutes: spent))
        }
        offices = officeRows

        // Per ordered pair.
        var pairKeys: [(String, String)] = []
        for a in records.core {
            for b in records.core where a != b { pairKeys.append((a, b)) }
        }
        let allIDs = records.offices.map(\.id)
        for a in allIDs {
            for b in allIDs where a != b && !pairKeys.contains(where: { $0 == (a, b) }) {
                if bodies.contains(where: { Self.shared($0, a, b, from, through) }) { pairKeys.append((a, b)) }
            }
        }
        var pairRows: [PairParticipation] = []
        for (a, b) in pairKeys where onlyOffice == nil || a == onlyOffice || b == onlyOffice {
            let shared = bodies.filter { Self.shared($0, a, b, from, through) }
            var row = PairParticipation(
                office: a, partner: b, sharedBodies: shared.map(\.id), jointSessions: 0, officeAttended: 0,
                partnerAttended: 0, bothAttended: 0, kinds: [], legalBases: [], agreements: [])
            for h in held where h.expected[a] != nil && h.expected[b] != nil {
                row.jointSessions += 1
                let aThere = outcome(entries[h.key]?[a]) == .attended
                let bThere = outcome(entries[h.key]?[b]) == .attended
                if aThere { row.officeAttended += 1 }
                if bThere { row.partnerAttended += 1 }
                if aThere && bThere { row.bothAttended += 1 }
                if !row.kinds.contains(h.session.kind) { row.kinds.append(h.session.kind) }
            }
            row.kinds.sort { $0.rawValue < $1.rawValue }
            for body in shared {
                for l in body.legalBasis where !row.legalBases.contains(l) { row.legalBases.append(l) }
                for g in body.agreements where !row.agreements.contains(g) { row.agreements.append(g) }
            }
            pairRows.append(row)
        }
        pairs = pairRows

        // Per body.
        let approved = Dictionary(
            records.minutes.filter { $0.status == .approved }.map { ($0.session, $0) }, uniquingKeysWith: { a, _ in a })
        var bodyRows: [BodyParticipation] = []
        for body in bodies where onlyOffice == nil || body.members.contains(where: { $0.office == onlyOffice }) {
            let mine = planned.filter { $0.1.body == body.id }
            guard !mine.isEmpty || Self.overlaps(body, from, through) else { continue }
            let mineHeld = held.filter { $0.body.id == body.id }
            var row = BodyParticipation(
                body: body.id, name: body.name, kind: body.kind, archived: records.archivedBodies.contains(body.id),
                planned: mine.count, held: mineHeld.count, cancelled: mine.filter { $0.1.status == .cancelled }.count,
                moved: mine.filter { $0.1.status == .moved }.count,
                upcoming: mine.filter { $0.1.status != .cancelled && $0.1.start.utc > now }.count, attendance: [],
                minutesApproved: 0, approvalDays: [])
            var perOffice: [String: (Membership.Role, AttendanceCounts)] = [:]
            var order: [String] = []
            for h in mineHeld {
                for (office, role) in h.expected.sorted(by: { $0.key < $1.key }) {
                    if perOffice[office] == nil {
                        perOffice[office] = (role, AttendanceCounts())
                        order.append(office)
                    }
                    count(
                        outcome(entries[h.key]?[office]),
                        into: &perOffice[office, default: (role, AttendanceCounts())].1)
                }
                if let state = approved[h.key] {
                    row.minutesApproved += 1
                    row.approvalDays.append(max(0, state.time.date.dayNumber - h.session.start.local.date.dayNumber))
                }
            }
            row.attendance = order.sorted().compactMap { o in
                perOffice[o].map { BodyParticipation.OfficeAttendance(office: o, role: $0.0, counts: $0.1) }
            }
            if body.quorum != nil {
                var reached = 0
                var missed = 0
                var unrecorded = 0
                for h in mineHeld {
                    let list = entries[h.key].map { $0.values.flatMap { $0 } } ?? []
                    if list.isEmpty {
                        unrecorded += 1
                    } else if body.quorum(on: h.session.start.local.date, attendance: list)?.reached == true {
                        reached += 1
                    } else {
                        missed += 1
                    }
                }
                (row.quorumReached, row.quorumMissed, row.quorumUnrecorded) = (reached, missed, unrecorded)
            }
            bodyRows.append(row)
        }
        self.bodies = bodyRows
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
