import Coordination
import GremienTestSupport
import Platform
import Storage
import Testing
import Workflows

/// The rules of the use cases, once for the command line, the pages and the API: who may do
/// what, what is refused and why, and that a refusal stores nothing.
@Suite struct WorkflowsTests {
    static let now = LocalDateTime(year: 2026, month: 10, day: 1, hour: 12)
    static let runde = SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 3, day: 2))
    static let beirat = SessionTarget(body: "beirat", date: CivilDate(year: 2026, month: 9, day: 1))

    static let coordinatorRunde = Principal(actor: "Anna (t-1)", roles: [.coordinator], bodies: ["runde"])
    static let auditor = Principal(actor: "Rita (t-2)", roles: [.auditor])
    static let admin = Principal(actor: "Rita (t-3)", roles: [.admin])
    static let local = Principal.localOperator("betrieb")

    /// Workflows on a synced store of `kind` with four people, the clock at `now`.
    static func workflows(_ kind: StoreKind) async throws -> (Workflows, @Sendable () -> Void) {
        let (store, cleanup) = try await kind.synced()
        for (name, office) in [("Anna Beispiel", "jc"), ("Jana Jugend", "ja-k"), ("Ben Vertreter", "aa")] {
            try await store.save(Person(name: name, office: office, level: .sgl), at: now, actor: "t")
        }
        return (Workflows(store: store, clock: .fixed(now), zones: TestDistrict.zones), cleanup)
    }

    @Test(arguments: StoreKind.allCases)
    func onlyACoordinatorOfTheBodyOrTheOperatorWritesItsRecords(kind: StoreKind) async throws {
        let (w, cleanup) = try await Self.workflows(kind)
        defer { cleanup() }
        let refusals: [(Principal, String)] = [
            (Self.coordinatorRunde, "this token is for runde, not for beirat"),
            (Self.auditor, "auditors read, they do not write"),
            (Self.admin, "only a coordinator of beirat writes its records"),
        ]
        for (principal, message) in refusals {
            await #expect(throws: WorkflowError.forbidden(message)) {
                try await w.cancel(Self.beirat, reason: "Ausfall", by: principal)
            }
            await #expect(throws: WorkflowError.forbidden(message)) {
                try await w.approveMinutes(Self.beirat, by: principal)
            }
            await #expect(throws: WorkflowError.forbidden(message)) {
                try await w.addAgendaItem(Self.beirat, text: "Haushalt", by: principal)
            }
        }
        #expect(try await w.sessionChanges().isEmpty)
        let change = try await w.cancel(Self.runde, reason: " Klausur ", by: Self.coordinatorRunde)
        #expect(change.actor == "Anna (t-1)" && change.time == Self.now)
        #expect(change.exception == .cancel(date: Self.runde.date, reason: "Klausur"))
        _ = try await w.approveMinutes(Self.beirat, by: Self.local)
        #expect(try await w.minutesState(Self.beirat).state?.actor == "betrieb")
    }

    /// The change log read a page at a time (the auditors' download) gives the whole log,
    /// newest first, and none of the entries written after its first page; only auditors and
    /// administrators read it.
    @Test(arguments: StoreKind.allCases)
    func theChangeLogIsReadAPageAtATime(kind: StoreKind) async throws {
        let (w, cleanup) = try await Self.workflows(kind)
        defer { cleanup() }
        let all = try await w.changeLog(limit: Int.max, by: Self.auditor)
        #expect(all.count > 7)
        for size in [1, 3, all.count, all.count + 5] {
            var pages = try w.changeLogPages(pageSize: size, by: Self.admin)
            var read: [ChangeRecord] = []
            var sizes: [Int] = []
            while let page = try await pages.next() {
                read += page
                sizes.append(page.count)
            }
            #expect(read == all, "pages of \(size)")
            #expect(sizes.allSatisfy { $0 <= size && $0 > 0 }, "pages of \(size): \(sizes)")
            #expect(try await pages.next() == nil)
        }
        var pages = try w.changeLogPages(pageSize: 3, by: Self.auditor)
        let first = try #require(try await pages.next())
        _ = try await w.cancel(Self.runde, reason: "Ausfall", by: Self.coordinatorRunde)
        var rest: [ChangeRecord] = []
        while let page = try await pages.next() { rest += page }
        #expect(first + rest == all, "an entry written meanwhile is not in the pages begun before it")
        #expect(try await w.changeLog(limit: Int.max, by: Self.auditor).count == all.count + 1)
        #expect(throws: WorkflowError.forbidden("only an auditor reads the change log")) {
            _ = try w.changeLogPages(by: Self.coordinatorRunde)
        }
    }

    /// OParl lists a body that was public and is no longer as deleted; a body never public not
    /// at all. (Read from one pass over the change log: a district with years of attendance has
    /// hundreds of thousands of entries, and a search of them for each body took 20 s.)
    @Test(arguments: StoreKind.allCases)
    func aBodyNoLongerPublicIsListedAsDeleted(kind: StoreKind) async throws {
        let (w, cleanup) = try await Self.workflows(kind)
        defer { cleanup() }
        var district = try TestDistrict.district()
        let beirat = try #require(district.bodies.firstIndex { $0.id == "beirat" })
        let runde = try #require(district.bodies.firstIndex { $0.id == "runde" })
        #expect(!district.bodies[beirat].isPublic && !district.bodies[runde].isPublic)
        for (isPublic, at) in [(true, Self.now), (false, LocalDateTime(year: 2026, month: 10, day: 1, hour: 13))] {
            district.bodies[beirat].isPublic = isPublic
            let plan = SyncPlan.between(stored: try await w.store.definitions(), files: district, at: at)
            try await w.store.apply(plan, at: at, actor: "t", outbox: [])
            let listed = try await w.publicRecords().bodies.map { "\($0.body.id) \($0.deleted)" }
            #expect(listed == ["beirat \(!isPublic)"], "public: \(isPublic)")
        }
    }

    @Test func tokensAndStaffRecordsAreForAdminsAndTheOperator() async throws {
        let (w, cleanup) = try await Self.workflows(.memory)
        defer { cleanup() }
        let request = Workflows.TokenRequest(person: "Anna Beispiel", kind: .feed)
        for principal in [Self.coordinatorRunde, Self.auditor] {
            await #expect(throws: WorkflowError.forbidden("only an admin issues tokens")) {
                try await w.issueToken(request, by: principal)
            }
            await #expect(throws: WorkflowError.forbidden("only an admin manages tokens")) {
                try await w.tokens(by: principal)
            }
        }
        // Coordinators keep the staff records too (the page "Personen"); auditors only read.
        await #expect(throws: WorkflowError.forbidden("only a coordinator or an admin keeps the staff records")) {
            try await w.savePerson(name: "X", office: "jc", level: .tl, email: nil, by: Self.auditor)
        }
        #expect(
            try await w.savePerson(name: "X", office: "jc", level: .tl, email: nil, by: Self.coordinatorRunde).name
                == "X")
        let issued = try await w.issueToken(request, by: Self.admin)
        #expect(issued.secret.hasPrefix("gf_") && issued.secret.utf8.count == 46)
        #expect(issued.token.hash == TokenSecret.hash(issued.secret))
        #expect(try await w.authenticate(secret: issued.secret, kind: .feed).id == issued.token.id)
        await #expect(throws: WorkflowError.unauthenticated("the token is not valid")) {
            try await w.authenticate(secret: issued.secret, kind: .api)
        }
        try await w.revokeToken(issued.token.id, by: Self.admin)
        await #expect(throws: WorkflowError.unauthenticated("the token has been revoked")) {
            try await w.authenticate(secret: issued.secret, kind: .feed)
        }
        await #expect(throws: WorkflowError.notFound("not in the store: there is no active token \(issued.token.id)")) {
            try await w.revokeToken(issued.token.id, by: Self.admin)
        }
        await #expect(throws: WorkflowError.invalid(["an API token needs a role: coordinator, auditor or admin"])) {
            try await w.issueToken(.init(person: "Anna Beispiel", kind: .api), by: Self.admin)
        }
        await #expect(throws: WorkflowError.invalid(["aa (office of Ben Vertreter) has no seat in runde"])) {
            try await w.issueToken(.init(person: "Ben Vertreter", kind: .feed, bodies: ["runde"]), by: Self.admin)
        }
        await #expect(throws: WorkflowError.invalid(["unknown body 'nope'; known bodies: beirat, runde"])) {
            try await w.issueToken(.init(person: "Jana Jugend", kind: .feed, bodies: ["nope"]), by: Self.admin)
        }
    }

    /// Every problem of every line comes back at once, named by its line, and nothing is stored.
    @Test(arguments: StoreKind.allCases)
    func attendanceIsCheckedLineByLineAndStoredAllOrNothing(kind: StoreKind) async throws {
        let (w, cleanup) = try await Self.workflows(kind)
        defer { cleanup() }
        let lines = [
            AttendanceLine(
                label: "entry 1", session: Self.beirat, office: "jc", person: "Anna Beispiel", status: "present"),
            AttendanceLine(label: "entry 2", session: Self.beirat, office: "xx", status: "present"),
            AttendanceLine(label: "entry 3", session: Self.beirat, office: "aa", status: "represented"),
            AttendanceLine(label: "entry 4", session: Self.beirat, office: "aa", status: "da"),
            AttendanceLine(label: "entry 5", body: "beirat", date: "2026-13-01", office: "aa", status: "present"),
            AttendanceLine(
                label: "entry 6", session: Self.beirat, office: "aa", status: "present", arrival: "14:00",
                departure: "7 Uhr"),
        ]
        do {
            try await w.recordAttendance(lines, by: Self.local)
            Issue.record("recorded despite the problems")
        } catch {
            #expect(
                error
                    == .invalid([
                        "entry 2: office xx is not a member of beirat on 2026-09-01; expected: jc, aa",
                        "entry 3: status represented needs the deputy (--by NAME)",
                        "entry 4: status 'da' is not allowed; allowed: present, excused, absent, represented",
                        "entry 5: date '2026-13-01' is not a date; write YYYY-MM-DD, e.g. 2026-03-10",
                        "entry 6: departure '7 Uhr' is not a time; write HH:MM, e.g. 14:05",
                    ]))
        }
        #expect(try await w.attendance(of: Self.beirat).entries.isEmpty)
        let recorded = try await w.recordAttendance([lines[0]], by: Self.local)
        #expect(recorded.map(\.person) == ["Anna Beispiel"])
        let sheet = try await w.attendance(of: try await w.session(Self.beirat), for: Self.coordinatorRunde)
        #expect(sheet.entries == recorded && sheet.readOnly == .notPermitted)
        #expect(sheet.expected.map(\.office) == ["jc", "aa"])
    }

    @Test(arguments: StoreKind.allCases)
    func approvedMinutesLockAttendanceAndAReopeningNeedsAReason(kind: StoreKind) async throws {
        let (w, cleanup) = try await Self.workflows(kind)
        defer { cleanup() }
        let line = AttendanceLine(label: "entry 1", session: Self.beirat, office: "aa", status: "excused")
        _ = try await w.approveMinutes(Self.beirat, by: Self.local)
        await #expect(
            throws: WorkflowError.conflict(
                code: "already_approved", "the minutes of beirat/sitzung 2026-09-01 are already approved")
        ) {
            try await w.approveMinutes(Self.beirat, by: Self.local)
        }
        await #expect(
            throws: WorkflowError.locked(
                "entry 1: the minutes of beirat/sitzung 2026-09-01 are approved and locked; reopen them first")
        ) {
            try await w.recordAttendance([line], by: Self.local)
        }
        #expect(try await w.attendance(of: Self.beirat).readOnly == .minutesApproved)
        await #expect(throws: WorkflowError.invalid(["reopening needs a reason"])) {
            try await w.reopenMinutes(Self.beirat, reason: "  ", by: Self.local)
        }
        let reopened = try await w.reopenMinutes(Self.beirat, reason: "Anwesenheit korrigiert", by: Self.local)
        #expect(reopened.status == .draft && reopened.reason == "Anwesenheit korrigiert")
        await #expect(
            throws: WorkflowError.conflict(
                code: "not_approved",
                "the minutes of beirat/sitzung 2026-09-01 are a draft; only approved minutes are reopened")
        ) {
            try await w.reopenMinutes(Self.beirat, reason: "x", by: Self.local)
        }
        try await w.recordAttendance([line], by: Self.local)
        #expect(try await w.attendance(of: Self.beirat).entries.map(\.status) == [.excused])
    }

    @Test func sessionChangesAreCheckedBeforeTheyAreRecorded() async throws {
        let (w, cleanup) = try await Self.workflows(.sqlite)
        defer { cleanup() }
        let cancelled = SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 3, day: 9))
        await #expect(
            throws: WorkflowError.conflict(
                code: "already_cancelled", "runde of 2026-03-09 is already cancelled (Personalversammlung)")
        ) {
            try await w.cancel(cancelled, reason: "x", by: Self.local)
        }
        // An added session that never took place is removed only with a reason.
        let added = SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 3, day: 25))
        await #expect(throws: WorkflowError.invalid(["the reason must not be empty"])) {
            try await w.remove(added, reason: "", by: Self.local)
        }
        await #expect(throws: WorkflowError.invalid(["the reason must not be empty"])) {
            try await w.cancel(Self.runde, reason: " ", by: Self.local)
        }
        await #expect(throws: WorkflowError.invalid(["beirat does not exist on 2026-11-03 (valid … to 2026-10-31)"])) {
            try await w.move(
                Self.beirat, .init(to: LocalDateTime(year: 2026, month: 11, day: 3, hour: 15)), by: Self.local)
        }
        await #expect(throws: WorkflowError.invalid(["the duration 2000 is out of range; allowed: 1 to 1440 minutes"]))
        {
            try await w.move(
                Self.runde, .init(to: LocalDateTime(year: 2026, month: 3, day: 3, hour: 9), durationMinutes: 2000),
                by: Self.local)
        }
        await #expect(throws: WorkflowError.notFound("unknown body 'nope'; known bodies: beirat, runde")) {
            try await w.cancel(SessionTarget(body: "nope", date: Self.runde.date), reason: "x", by: Self.local)
        }
        await #expect(
            throws: WorkflowError.notFound(
                "runde has no session planned on 2026-03-03; nearest: 2026-03-02, 2026-03-09")
        ) {
            try await w.cancel(
                SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 3, day: 3)), reason: "x", by: Self.local
            )
        }
        #expect(try await w.sessionChanges().isEmpty)
        let (change, reinstated) = try await w.move(
            cancelled, .init(to: LocalDateTime(year: 2026, month: 3, day: 10, hour: 10), confirmed: true),
            by: Self.local)
        #expect(reinstated && change.body == "runde")
    }

    @Test func aStoreThatWasNeverSyncedIsUnavailable() async throws {
        let w = Workflows(store: MemoryStore(), clock: .fixed(Self.now), zones: TestDistrict.zones)
        await #expect(
            throws: WorkflowError.unavailable("the store holds no definitions yet; run: gremien sync --apply")
        ) {
            try await w.sessions(SessionQuery())
        }
    }

    @Test func sessionsOfAnOfficeAreThoseOfTheBodiesItSitsInThatDay() async throws {
        let (w, cleanup) = try await Self.workflows(.memory)
        defer { cleanup() }
        let query = SessionQuery(
            from: CivilDate(year: 2026, month: 6, day: 1), to: CivilDate(year: 2026, month: 10, day: 1), office: "ja-k")
        let listing = try await w.sessions(query)
        // ja-k sits in the beirat until 2026-06-30: the Klausur of 12 June, not the Sitzung of 1 September.
        #expect(
            listing.sessions.filter { $0.key.body == "beirat" }.map(\.key.date) == [
                CivilDate(year: 2026, month: 6, day: 12)
            ])
        #expect(listing.sessions.contains { $0.key.body == "runde" })
        await #expect(
            throws: WorkflowError.invalid(["the end of the period (2026-06-01) must lie after its start (2026-06-01)"])
        ) {
            try await w.sessions(SessionQuery(from: query.from, to: query.from))
        }
    }
}

/// The hardening review (issue 12): control characters were taken in every text a user enters.
@Suite struct ControlCharacterWorkflowTests {
    @Test func everyEnteredTextRefusesControlCharactersAndStoresNothing() async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(.memory)
        defer { cleanup() }
        let local = WorkflowsTests.local
        let target = WorkflowsTests.runde
        func refusal(_ work: () async throws -> Void) async -> String? {
            do {
                try await work()
                return nil
            } catch { return (error as? WorkflowError)?.description ?? "\(error)" }
        }
        #expect(
            await refusal { _ = try await w.addAgendaItem(target, text: "Haushalt\n2027", by: local) }
                == "the agenda item contains a line break (character 9); remove it")
        #expect(
            await refusal {
                _ = try await w.addActionItem(target, text: "Bericht\u{1B}[31m", office: "jc", due: nil, by: local)
            } == "the action item contains the control character U+001B (character 8); remove it")
        #expect(
            await refusal {
                _ = try await w.savePerson(name: "Anna\u{0}", office: "jc", level: .al, email: nil, by: local)
            }
                == "the name contains the control character U+0000 (character 5); remove it")
        #expect(
            await refusal {
                _ = try await w.move(
                    target, .init(to: LocalDateTime(year: 2026, month: 3, day: 3, hour: 10), location: "Raum\u{85}1"),
                    by: local)
            } == "the location contains the control character U+0085 (character 5); remove it")
        // A reason may run over several lines; a tab passes too.
        #expect(await refusal { _ = try await w.cancel(target, reason: "Klausur\nund\tUrlaub", by: local) } == nil)
        #expect(try await w.sessionChanges(body: "runde").count == 1)
        #expect(try await w.people().map(\.name).sorted() == ["Anna Beispiel", "Ben Vertreter", "Jana Jugend"])
    }
}

/// Hardening (issue 12): one listing could ask for any period (FREQ=MINUTELY made one API
/// answer 400 MB); a listing spans at most five years.
@Suite struct ListingBoundsTests {
    @Test func aListingSpansAtMostFiveYears() async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(.memory)
        defer { cleanup() }
        let planning = try await w.planning()
        let today = CivilDate(year: 2026, month: 3, day: 1)
        let long = SessionQuery(
            from: CivilDate(year: 2026, month: 1, day: 1), to: CivilDate(year: 2036, month: 1, day: 1))
        #expect(
            throws: WorkflowError.invalid([
                "the period from 2026-01-01 to 2036-01-01 spans 3652 days; at most 1827 days (five years) are listed at once"
            ])
        ) { try Workflows.sessions(in: planning, long, today: today) }
        let five = SessionQuery(
            from: CivilDate(year: 2026, month: 1, day: 1), to: CivilDate(year: 2031, month: 1, day: 1))
        #expect(try Workflows.sessions(in: planning, five, today: today).sessions.count > 10)
    }
}
