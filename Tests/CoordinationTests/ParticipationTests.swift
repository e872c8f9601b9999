import Coordination
import Testing

/// A small district worked out by hand: every expected figure below was counted on paper from
/// the sessions and attendance listed here, not computed by the code under test.
struct ParticipationTests {
    static let offices = [
        Office(id: "soza", name: "Sozialamt", shortName: "SozA", administration: .district),
        Office(id: "ja-k", name: "Jugendamt", shortName: "JA-K", administration: .district),
        Office(id: "jc", name: "job-com", shortName: "JC", administration: .district),
        Office(id: "aa", name: "Agentur für Arbeit", shortName: "AA", administration: .external),
    ]

    static func day(_ text: String) -> CivilDate { CivilDate(iso: text) ?? CivilDate(year: 1, month: 1, day: 1) }

    static let bodies = [
        Body(
            id: "runde", name: "Leitungsrunde", kind: .runde, legalBasis: ["§ 81 SGB VIII"], chair: "jc",
            members: [
                Membership(office: "jc", role: .chair), Membership(office: "ja-k", role: .member),
                Membership(office: "soza", role: .member, validFrom: day("2026-02-01")),
            ]),
        Body(
            id: "beirat", name: "Beirat", kind: .beirat, legalBasis: ["§ 18d SGB II"], agreements: ["Geschäftsordnung"],
            chair: "jc",
            members: [
                Membership(office: "jc", role: .chair), Membership(office: "ja-k", role: .advisory),
                Membership(office: "aa", role: .member),
            ], quorum: .majorityOfVotingMembers),
        Body(
            id: "alt", name: "Arbeitskreis (aufgelöst)", kind: .arbeitskreis, legalBasis: ["§ 22 SGB II"],
            agreements: ["Kooperationsvereinbarung"], chair: "soza",
            members: [Membership(office: "soza", role: .member), Membership(office: "jc", role: .member)]),
    ]

    /// A session in winter time (UTC+1): `start` and `end` are local wall-clock times.
    static func session(
        _ body: String, _ start: String, _ end: String, _ kind: Series.MeetingKind,
        _ status: Session.Status = .scheduled,
        planned: String? = nil
    ) -> (key: SessionKey, session: Session) {
        let s = LocalDateTime(iso: start) ?? LocalDateTime(localSeconds: 0)
        let e = LocalDateTime(iso: end) ?? LocalDateTime(localSeconds: 0)
        let session = Session(
            body: body, series: "s", uid: "s.\(body)@test", recurrenceID: nil,
            start: ZonedTime(utc: s.localSeconds - 3600, offset: 3600),
            end: ZonedTime(utc: e.localSeconds - 3600, offset: 3600), timeZone: "Europe/Berlin", status: status,
            title: body, location: nil, kind: kind)
        return (SessionKey(body: body, series: "s", date: day(planned ?? String(start.prefix(10)))), session)
    }

    static let sessions = [
        session("runde", "2025-12-15T10:00", "2025-12-15T11:30", .austausch),  // before the period
        session("runde", "2026-01-12T10:00", "2026-01-12T11:30", .austausch),  // R1
        session("runde", "2026-02-09T10:00", "2026-02-09T11:30", .austausch),  // R2
        session("runde", "2026-03-09T10:00", "2026-03-09T11:30", .austausch, .cancelled),  // R3
        session("runde", "2026-03-18T14:00", "2026-03-18T15:30", .austausch, .moved, planned: "2026-03-16"),  // R4
        session("runde", "2026-03-30T10:00", "2026-03-30T11:30", .austausch),  // R5, after madeAt
        session("beirat", "2026-01-15T15:00", "2026-01-15T17:00", .sitzung),  // B1
        session("beirat", "2026-03-05T15:00", "2026-03-05T17:00", .sitzung),  // B2
        session("alt", "2026-01-20T09:00", "2026-01-20T10:00", .fallbesprechung),  // A1
    ]

    static func entry(
        _ body: String, _ planned: String, _ office: String, _ person: String?, _ status: AttendanceEntry.Status,
        deputy: String? = nil, arrival: String? = nil, departure: String? = nil
    ) -> AttendanceEntry {
        AttendanceEntry(
            session: SessionKey(body: body, series: "s", date: day(planned)), office: office, person: person,
            status: status, deputy: deputy, arrival: arrival.flatMap(LocalDateTime.init(iso:)),
            departure: departure.flatMap(LocalDateTime.init(iso:)))
    }

    static let attendance = [
        entry("runde", "2026-01-12", "jc", "Anna", .present, arrival: "2026-01-12T10:15"),  // 75 min
        entry("runde", "2026-01-12", "ja-k", nil, .present),  // 90
        entry("runde", "2026-02-09", "jc", "Anna", .present),  // 90
        entry("runde", "2026-02-09", "ja-k", nil, .excused),
        entry("runde", "2026-02-09", "soza", nil, .absent),
        entry("runde", "2026-03-16", "jc", "Anna", .present, departure: "2026-03-18T15:00"),  // 60
        entry("runde", "2026-03-16", "jc", "Bernd", .present),  // 90
        entry("runde", "2026-03-16", "ja-k", "Clara", .represented, deputy: "Dora"),  // 90
        entry("beirat", "2026-01-15", "jc", nil, .present),  // 120
        entry("beirat", "2026-01-15", "aa", nil, .absent),
        entry("beirat", "2026-03-05", "jc", nil, .present),  // 120
        entry("beirat", "2026-03-05", "aa", "Egon", .represented, deputy: "Frida"),  // 120
        entry("beirat", "2026-03-05", "ja-k", nil, .excused),
        entry("alt", "2026-01-20", "soza", nil, .present),  // 60
        entry("alt", "2026-01-20", "jc", nil, .absent),
    ]

    static let minutes = [
        MinutesState(
            session: SessionKey(body: "runde", series: "s", date: day("2026-01-12")), status: .approved,
            time: LocalDateTime(year: 2026, month: 1, day: 19, hour: 9), actor: "x"),
        MinutesState(
            session: SessionKey(body: "beirat", series: "s", date: day("2026-01-15")), status: .approved,
            time: LocalDateTime(year: 2026, month: 1, day: 25, hour: 16), actor: "x"),
        MinutesState(
            session: SessionKey(body: "runde", series: "s", date: day("2026-02-09")), status: .draft,
            time: LocalDateTime(year: 2026, month: 2, day: 20), actor: "x", reason: "Korrektur"),
    ]

    static let records = ParticipationRecords(
        offices: offices, bodies: bodies, archivedBodies: ["alt"], sessions: sessions, attendance: attendance,
        minutes: minutes, core: ["soza", "ja-k", "jc"])

    static func summary(office: String? = nil, body: String? = nil) -> ParticipationSummary {
        ParticipationSummary(
            records: records, from: day("2026-01-01"), through: day("2026-03-31"),
            madeAt: LocalDateTime(year: 2026, month: 3, day: 20, hour: 12), office: office, body: body)
    }

    static func counts(_ e: Int, _ a: Int, _ x: Int, _ ab: Int, _ u: Int) -> AttendanceCounts {
        var c = AttendanceCounts()
        (c.expected, c.attended, c.excused, c.absent, c.unrecorded) = (e, a, x, ab, u)
        return c
    }

    /// The store reads entries ordered by session; any other order (sessions interleaved, a
    /// body's sessions apart, reversed) gives the same summary.
    @Test(arguments: [
        attendance.reversed(), attendance.sorted { $0.office < $1.office },
        attendance.enumerated().sorted { ($0.offset % 3, $0.offset) < ($1.offset % 3, $1.offset) }.map(\.element),
        attendance.sorted { ($0.session.body, $0.session.date) > ($1.session.body, $1.session.date) },
    ])
    func anyOrderOfTheEntriesGivesTheSameSummary(_ entries: [AttendanceEntry]) {
        var shuffled = Self.records
        shuffled.attendance = entries
        let madeAt = LocalDateTime(year: 2026, month: 3, day: 20, hour: 12)
        let from = Self.day("2026-01-01")
        let through = Self.day("2026-03-31")
        #expect(
            ParticipationSummary(records: shuffled, from: from, through: through, madeAt: madeAt)
                == ParticipationSummary(records: Self.records, from: from, through: through, madeAt: madeAt))
        #expect(ParticipationSummary(records: shuffled, from: from, through: through, madeAt: madeAt).offices.count > 2)
    }

    /// A report over ten years counts a few bodies at a time: the bodies one by one, in reverse,
    /// or a body's sessions in two parts give the same summary as all at once, for every office
    /// and body asked for.
    @Test(arguments: [nil, "jc", "soza"])
    func countingBodiesAtATimeGivesTheSameSummary(office: String?) {
        let madeAt = LocalDateTime(year: 2026, month: 3, day: 20, hour: 12)
        let from = Self.day("2026-01-01")
        let through = Self.day("2026-03-31")
        let whole = ParticipationSummary(
            records: Self.records, from: from, through: through, madeAt: madeAt, office: office)
        func counted(_ runs: [[String]], split: Bool = false) -> ParticipationSummary {
            var counting = ParticipationSummary.Counting(
                records: Self.records, from: from, through: through, madeAt: madeAt, office: office)
            for bodies in runs {
                let sessions = Self.records.sessions.filter { bodies.contains($0.session.body) }
                let entries = Self.records.attendance.filter { bodies.contains($0.session.body) }
                guard split else {
                    counting.add(sessions: sessions, attendance: entries)
                    continue
                }
                // Each session with its own entries, the later half first.
                let half = sessions.count / 2
                for part in [sessions[half...], sessions[..<half]] {
                    let keys = Set(part.map(\.key))
                    counting.add(sessions: Array(part), attendance: entries.filter { keys.contains($0.session) })
                }
            }
            return counting.summary()
        }
        let ids = ParticipationSummary.Counting(
            records: Self.records, from: from, through: through, madeAt: madeAt, office: office
        ).bodyIDs
        #expect(ids == Self.records.bodies.map(\.id))
        #expect(counted(ids.map { [$0] }) == whole)
        #expect(counted(ids.reversed().map { [$0] }) == whole)
        #expect(counted([ids]) == whole)
        #expect(counted([ids], split: true) == whole)
        // Bodies never given count as without sessions (so the test can fail).
        #expect(counted([Array(ids.dropFirst())]) != whole)
        #expect(whole.bodies.contains { $0.held > 0 })
    }

    @Test func perOffice() {
        let s = Self.summary()
        #expect(s.offices.map(\.office) == ["soza", "ja-k", "jc", "aa"])
        let byID = Dictionary(uniqueKeysWithValues: s.offices.map { ($0.office, $0) })
        // jc: R1, R2, R4, B1, B2 attended, A1 absent; 75 + 90 + (60 + 90) + 120 + 120 minutes.
        #expect(byID["jc"]?.counts == Self.counts(6, 5, 0, 1, 0))
        #expect(byID["jc"]?.personMinutes == 555)
        #expect(
            byID["jc"]?.seats.map { "\($0.body):\($0.role.rawValue)" } == ["runde:chair", "beirat:chair", "alt:member"])
        // ja-k: R1 present, R2 excused, R4 represented, B1 nothing recorded, B2 excused.
        #expect(byID["ja-k"]?.counts == Self.counts(5, 2, 2, 0, 1))
        #expect(byID["ja-k"]?.personMinutes == 180)
        #expect(byID["ja-k"]?.seats.map(\.role) == [.member, .advisory])
        // soza joined the Runde on 2026-02-01: R2 absent, R4 nothing recorded, A1 present.
        #expect(byID["soza"]?.counts == Self.counts(3, 1, 0, 1, 1))
        #expect(byID["soza"]?.personMinutes == 60)
        #expect(byID["aa"]?.counts == Self.counts(2, 1, 0, 1, 0))
        #expect(byID["aa"]?.personMinutes == 120)
        #expect(byID["jc"]?.counts.rate == 5.0 / 6.0)
    }

    @Test func perPair() {
        let s = Self.summary()
        #expect(
            s.pairs.map { "\($0.office)>\($0.partner)" } == [
                "soza>ja-k", "soza>jc", "ja-k>soza", "ja-k>jc", "jc>soza", "jc>ja-k", "ja-k>aa", "jc>aa", "aa>ja-k",
                "aa>jc",
            ])
        func pair(_ a: String, _ b: String) -> PairParticipation? {
            s.pairs.first { $0.office == a && $0.partner == b }
        }
        let sozaJA = pair("soza", "ja-k")
        #expect(sozaJA?.sharedBodies == ["runde"])
        #expect(
            [sozaJA?.jointSessions, sozaJA?.officeAttended, sozaJA?.partnerAttended, sozaJA?.bothAttended] == [
                2, 0, 1, 0,
            ])
        #expect(sozaJA?.kinds == [.austausch])
        #expect(sozaJA?.legalBases == ["§ 81 SGB VIII"])
        let sozaJC = pair("soza", "jc")
        #expect(sozaJC?.sharedBodies == ["runde", "alt"])
        #expect(
            [sozaJC?.jointSessions, sozaJC?.officeAttended, sozaJC?.partnerAttended, sozaJC?.bothAttended] == [
                3, 1, 2, 0,
            ])
        #expect(sozaJC?.kinds == [.austausch, .fallbesprechung])
        #expect(sozaJC?.legalBases == ["§ 81 SGB VIII", "§ 22 SGB II"])
        #expect(sozaJC?.agreements == ["Kooperationsvereinbarung"])
        let jaJC = pair("ja-k", "jc")
        #expect(jaJC?.sharedBodies == ["runde", "beirat"])
        #expect(
            [jaJC?.jointSessions, jaJC?.officeAttended, jaJC?.partnerAttended, jaJC?.bothAttended] == [5, 2, 5, 2])
        #expect(jaJC?.kinds == [.austausch, .sitzung])
        #expect(jaJC?.agreements == ["Geschäftsordnung"])
        // The reverse pair has the same joint sessions with the roles of the two swapped.
        let jcJA = pair("jc", "ja-k")
        #expect(
            [jcJA?.jointSessions, jcJA?.officeAttended, jcJA?.partnerAttended, jcJA?.bothAttended] == [5, 5, 2, 2])
        let jcAA = pair("jc", "aa")
        #expect(
            [jcAA?.jointSessions, jcAA?.officeAttended, jcAA?.partnerAttended, jcAA?.bothAttended] == [2, 2, 1, 1])
        let jaAA = pair("ja-k", "aa")
        #expect(
            [jaAA?.jointSessions, jaAA?.officeAttended, jaAA?.partnerAttended, jaAA?.bothAttended] == [2, 0, 1, 0])
    }

    @Test func perBody() {
        let s = Self.summary()
        #expect(s.bodies.map(\.body) == ["runde", "beirat", "alt"])
        let runde = s.bodies[0]
        #expect([runde.planned, runde.held, runde.cancelled, runde.moved, runde.upcoming] == [5, 3, 1, 1, 1])
        #expect(runde.attendance.map(\.office) == ["ja-k", "jc", "soza"])
        #expect(
            runde.attendance.map(\.counts) == [
                Self.counts(3, 2, 1, 0, 0), Self.counts(3, 3, 0, 0, 0), Self.counts(2, 0, 0, 1, 1),
            ])
        #expect(runde.quorumReached == nil)
        #expect(runde.minutesApproved == 1)
        #expect(runde.approvalDays == [7])
        #expect(!runde.archived)
        let beirat = s.bodies[1]
        #expect([beirat.planned, beirat.held, beirat.cancelled, beirat.moved, beirat.upcoming] == [2, 2, 0, 0, 0])
        // B1: voting jc and aa, only jc there (1 of 2 required 2); B2: both (aa by deputy).
        #expect([beirat.quorumReached, beirat.quorumMissed, beirat.quorumUnrecorded] == [1, 1, 0])
        #expect(
            beirat.attendance.map(\.counts) == [
                Self.counts(2, 1, 0, 1, 0), Self.counts(2, 0, 1, 0, 1), Self.counts(2, 2, 0, 0, 0),
            ])
        #expect(beirat.approvalDays == [10])
        let alt = s.bodies[2]
        #expect(alt.archived)
        #expect([alt.planned, alt.held] == [1, 1])
        #expect(
            alt.attendance.map { "\($0.office) \($0.counts.attended)/\($0.counts.expected)" } == ["jc 0/1", "soza 1/1"])
        #expect(alt.minutesApproved == 0)
    }

    @Test func filters() {
        let jc = Self.summary(office: "jc")
        #expect(jc.offices.map(\.office) == ["jc"])
        #expect(
            jc.pairs.map { "\($0.office)>\($0.partner)" } == [
                "soza>jc", "ja-k>jc", "jc>soza", "jc>ja-k", "jc>aa", "aa>jc",
            ])
        #expect(jc.bodies.map(\.body) == ["runde", "beirat", "alt"])
        let aa = Self.summary(office: "aa")
        #expect(aa.bodies.map(\.body) == ["beirat"])
        let beirat = Self.summary(body: "beirat")
        #expect(beirat.offices.map(\.office) == ["ja-k", "jc", "aa"])
        // Within the Beirat the Jugendamt sat at B1 and B2 only.
        #expect(beirat.offices.first { $0.office == "ja-k" }?.counts == Self.counts(2, 0, 1, 0, 1))
        #expect(beirat.pairs.first { $0.office == "soza" && $0.partner == "jc" }?.jointSessions == 0)
        #expect(beirat.bodies.map(\.body) == ["beirat"])
    }
}
