import Coordination
import Foundation
import GremienTestSupport
import Platform
import Storage
import StorageSQLite
import Testing
import Workflows

/// A clock the test moves on.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var time: LocalDateTime

    init(_ time: LocalDateTime) { self.time = time }

    var now: LocalDateTime { lock.withLock { time } }

    func advance(seconds: Int64) { lock.withLock { time = LocalDateTime(localSeconds: time.localSeconds + seconds) } }

    var wallClock: WallClock { WallClock { [self] in now } }
}

/// The workflow's refusal of `work`, or `nil` when it did what was asked.
func refusal(_ work: () async throws -> Void) async -> WorkflowError? {
    do {
        try await work()
        return nil
    } catch let error as WorkflowError {
        return error
    } catch {
        Issue.record("not a WorkflowError: \(error)")
        return nil
    }
}

/// Accounts, one-time links, web sessions in the store and slowed-down failed sign-ins (issue 13).
@Suite struct AccountTests {
    static let start = LocalDateTime(year: 2026, month: 10, day: 1, hour: 12)

    /// Workflows on a synced store with Anna (jc, with an e-mail address) and a moving clock.
    static func setUp(_ kind: StoreKind) async throws -> (Workflows, TestClock, @Sendable () -> Void) {
        let (store, cleanup) = try await kind.synced()
        try await store.save(
            Person(name: "Anna Beispiel", office: "jc", level: .sgl, email: "anna.beispiel@example.org"), at: start,
            actor: "t")
        try await store.save(Person(name: "Jana Jugend", office: "ja-k", level: .sgl), at: start, actor: "t")
        let clock = TestClock(start)
        return (Workflows(store: store, clock: clock.wallClock, zones: TestDistrict.zones), clock, cleanup)
    }

    static let admin = Principal.localOperator("betrieb")

    @Test(arguments: StoreKind.allCases)
    func aLinkSignsInOnceThenThePasswordDoes(kind: StoreKind) async throws {
        let (w, clock, cleanup) = try await Self.setUp(kind)
        defer { cleanup() }
        let link = try await w.invite(
            .init(person: "Anna Beispiel", roles: [.coordinator], bodies: ["runde"]), by: Self.admin)
        #expect(link.account.email == "anna.beispiel@example.org" && link.secret.hasPrefix("gl_"))
        #expect(link.url(base: "https://gremien.example") == "https://gremien.example/anmelden/link/\(link.secret)")
        let first = try await w.signIn(link: link.secret)
        #expect(first.session.account?.passwordHash == nil)
        #expect(first.session.principal.roles == [.coordinator] && first.session.principal.bodies == ["runde"])
        #expect(first.session.principal.mayWrite(body: "runde") && !first.session.principal.mayWrite(body: "beirat"))
        await #expect(throws: WorkflowError.self) { try await w.signIn(link: link.secret) }
        // The password is set right after the link, without a current one; then it is needed.
        try await w.changePassword(current: "", new: "Sonnenblume-42", repeated: "Sonnenblume-42", of: first.session)
        let second = try await w.signIn(
            email: " Anna.Beispiel@EXAMPLE.org", password: "Sonnenblume-42", address: "192.0.2.7")
        #expect(second.session.record.person == "anna-beispiel")
        let refused = await refusal {
            try await w.changePassword(current: "falsch", new: "kurz", repeated: "anders", of: second.session)
        }
        guard case .invalid(let problems)? = refused else {
            Issue.record(
                "a wrong current password, a short one and a differing repetition: \(String(describing: refused))")
            return
        }
        #expect(problems.map(\.field) == ["bisher", "neu", "wiederholung"])
        #expect(problems.allSatisfy { $0.german != nil })
        // Neither the password nor its hash is in the change log.
        let log = try await w.store.changes().map { "\($0.subject) \($0.action) \($0.detail)" }.joined(separator: "\n")
        #expect(log.contains("account anna-beispiel opened") && log.contains("account anna-beispiel password changed"))
        #expect(!log.contains("Sonnenblume") && !log.contains("$2b$"))
        // A link expires after 72 hours.
        let late = try await w.invite(
            .init(person: "Anna Beispiel", roles: [.coordinator], bodies: ["runde"]), by: Self.admin)
        clock.advance(seconds: Workflows.linkLifetime)
        await #expect(throws: WorkflowError.self) { try await w.signIn(link: late.secret) }
    }

    @Test(arguments: StoreKind.allCases)
    func onlyAnAdminOpensAccountsAndTheyNeedWhatTheyAreFor(kind: StoreKind) async throws {
        let (w, _, cleanup) = try await Self.setUp(kind)
        defer { cleanup() }
        let coordinator = Principal(actor: "Anna", roles: [.coordinator], bodies: ["runde"], person: "Anna Beispiel")
        await #expect(throws: WorkflowError.forbidden("only an admin opens accounts")) {
            try await w.invite(.init(person: "Jana Jugend"), by: coordinator)
        }
        await #expect(throws: WorkflowError.self) { try await w.invite(.init(person: "Jana Jugend"), by: Self.admin) }
        await #expect(throws: WorkflowError.self) {
            try await w.invite(
                .init(person: "Jana Jugend", email: "jana@example.org", roles: [.coordinator]), by: Self.admin)
        }
        await #expect(throws: WorkflowError.self) {
            try await w.invite(.init(person: "Niemand", email: "n@example.org"), by: Self.admin)
        }
        _ = try await w.invite(.init(person: "Jana Jugend", email: "jana@example.org"), by: Self.admin)
        // Another person's address is refused by the store.
        await #expect(throws: WorkflowError.self) {
            try await w.invite(.init(person: "Anna Beispiel", email: "jana@example.org"), by: Self.admin)
        }
        #expect(try await w.accounts(by: Self.admin).map(\.person) == ["jana-jugend"])
    }

    @Test(arguments: StoreKind.allCases)
    func failedSignInsSlowTheNextAttemptDown(kind: StoreKind) async throws {
        let (w, clock, cleanup) = try await Self.setUp(kind)
        defer { cleanup() }
        let link = try await w.invite(.init(person: "Anna Beispiel"), by: Self.admin)
        let session = try await w.signIn(link: link.secret).session
        try await w.changePassword(current: "", new: "Sonnenblume-42", repeated: "Sonnenblume-42", of: session)
        // Ten wrong passwords, each tried again when it had to wait: five free, then 2, 4, 8, 16, 32 s.
        var waits: [Int] = []
        for i in 0..<10 {
            while true {
                let refused = await refusal {
                    _ = try await w.signIn(
                        email: "anna.beispiel@example.org", password: "falsch-\(i)", address: "192.0.2.7")
                }
                if case .tooManyAttempts(let seconds)? = refused {
                    waits.append(seconds)
                    clock.advance(seconds: Int64(seconds))
                    continue
                }
                guard case .unauthenticated(let problem)? = refused else {
                    Issue.record("wrong password \(i + 1): \(String(describing: refused))")
                    return
                }
                #expect(problem.german == "Die E-Mail-Adresse oder das Passwort stimmt nicht.")
                break
            }
        }
        #expect(waits == [2, 4, 8, 16, 32])
        // The next attempt waits a minute, even with the right password.
        let next = await refusal {
            _ = try await w.signIn(email: "anna.beispiel@example.org", password: "Sonnenblume-42", address: "192.0.2.7")
        }
        #expect(next == .tooManyAttempts(retryAfter: 64))
        // The address is slowed down too, for any account; another address is not.
        let sameAddress = await refusal {
            _ = try await w.signIn(email: "jemand@example.org", password: "x", address: "192.0.2.7")
        }
        guard case .tooManyAttempts(let seconds)? = sameAddress, seconds >= 2 else {
            Issue.record("the address was not slowed down: \(String(describing: sameAddress))")
            return
        }
        let otherAddress = await refusal {
            _ = try await w.signIn(email: "jemand@example.org", password: "x", address: "198.51.100.1")
        }
        guard case .unauthenticated? = otherAddress else {
            Issue.record("another address: \(String(describing: otherAddress))")
            return
        }
        clock.advance(seconds: 900)
        let ok = try await w.signIn(
            email: "anna.beispiel@example.org", password: "Sonnenblume-42", address: "192.0.2.7")
        #expect(ok.session.record.person == "anna-beispiel")
        // A success forgets the failures: the next wrong password is just wrong.
        let afterSuccess = await refusal {
            _ = try await w.signIn(email: "anna.beispiel@example.org", password: "falsch", address: "192.0.2.7")
        }
        guard case .unauthenticated? = afterSuccess else {
            Issue.record("after a success: \(String(describing: afterSuccess))")
            return
        }
    }

    @Test(arguments: StoreKind.allCases)
    func sessionsEndWhenIdleOrOldOnRotationAndOnSignOut(kind: StoreKind) async throws {
        let (w, clock, cleanup) = try await Self.setUp(kind)
        defer { cleanup() }
        let link = try await w.invite(.init(person: "Anna Beispiel"), by: Self.admin)
        let first = try await w.signIn(link: link.secret)
        // Used every hour it lasts; unused for two hours it ends.
        for _ in 0..<3 {
            clock.advance(seconds: 3600)
            #expect(try await w.webSession(secret: first.secret) != nil)
        }
        clock.advance(seconds: Workflows.sessionIdle)
        #expect(try await w.webSession(secret: first.secret) == nil)
        // Signing in again replaces the browser's earlier session (rotation).
        let again = try await w.invite(.init(person: "Anna Beispiel"), by: Self.admin)
        let a = try await w.signIn(link: again.secret)
        let b = try await w.signIn(
            link: try await w.invite(.init(person: "Anna Beispiel"), by: Self.admin).secret, replacing: a.secret)
        #expect(try await w.webSession(secret: a.secret) == nil)
        #expect(try await w.webSession(secret: b.secret) != nil)
        try await w.signOut(secret: b.secret)
        #expect(try await w.webSession(secret: b.secret) == nil)
        // Twelve hours after signing in it ends, however busy.
        let c = try await w.signIn(link: try await w.invite(.init(person: "Anna Beispiel"), by: Self.admin).secret)
        for _ in 0..<12 {
            clock.advance(seconds: 3600)
            _ = try await w.webSession(secret: c.secret)
        }
        #expect(try await w.webSession(secret: c.secret) == nil)
        // A password reset ends the person's sessions.
        let d = try await w.signIn(link: try await w.invite(.init(person: "Anna Beispiel"), by: Self.admin).secret)
        _ = try await w.resetPassword(person: "Anna Beispiel", by: Self.admin)
        #expect(try await w.webSession(secret: d.secret) == nil)
    }

    /// Sessions are in the store: a second server (or a restart) on the same file knows them.
    @Test func aSessionOutlivesTheProcessThatOpenedIt() async throws {
        let path = TemporaryFile.path("sitzungen", "sqlite")
        defer { TemporaryFile.removeSQLite(path) }
        let secret: String
        do {
            let store = try SQLiteStore(path: path)
            let plan = SyncPlan.between(
                stored: StoredDefinitions(), files: try TestDistrict.district(), at: TestDistrict.time)
            try await store.apply(plan, at: TestDistrict.time, actor: "t")
            try await store.save(
                Person(name: "Anna Beispiel", office: "jc", level: .sgl, email: "anna@example.org"), at: Self.start,
                actor: "t")
            let w = Workflows(store: store, clock: .fixed(Self.start), zones: TestDistrict.zones)
            let link = try await w.invite(.init(person: "Anna Beispiel", roles: [.auditor]), by: Self.admin)
            secret = try await w.signIn(link: link.secret).secret
        }
        let reopened = Workflows(
            store: try SQLiteStore(path: path), clock: .fixed(Self.start), zones: TestDistrict.zones)
        let session = try #require(try await reopened.webSession(secret: secret))
        #expect(session.principal.roles == [.auditor] && session.record.person == "anna-beispiel")
        // Only the secret's SHA-256 is stored.
        let raw = try String(contentsOfFile: path, encoding: .isoLatin1)
        #expect(!raw.contains(secret))
    }

    @Test(arguments: StoreKind.allCases)
    func removedAttendanceAndItsReasonAreInBothLogsAndTheChainStillVerifies(kind: StoreKind) async throws {
        let (w, _, cleanup) = try await Self.setUp(kind)
        defer { cleanup() }
        let target = SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 3, day: 2))
        let op = Principal.localOperator("betrieb")
        try await w.recordAttendance(
            [
                AttendanceLine(
                    label: "1", session: target, office: "jc", person: "Anna Beispiel", status: "present",
                    arrival: "09:10"),
                AttendanceLine(label: "2", session: target, office: "ja-k", person: "Jana Jugend", status: "present"),
            ], by: op)
        await #expect(throws: WorkflowError.self) {
            try await w.recordAttendance(
                [], removing: [.init(session: target, office: "ja-k", person: "Jana Jugend")], by: op)
        }
        try await w.recordAttendance(
            [
                AttendanceLine(
                    label: "1", session: target, office: "jc", person: "Anna Beispiel", status: "present",
                    arrival: "09:20")
            ],
            removing: [.init(session: target, office: "ja-k", person: "Jana Jugend")], reason: "laut Liste korrigiert",
            by: op)
        let sheet = try await w.attendance(of: target)
        #expect(
            sheet.entries.map { "\($0.office) \($0.person ?? "") \($0.arrival?.clock ?? "")" } == [
                "jc Anna Beispiel 09:20"
            ])
        let log = try await w.store.changes().suffix(2).map { "\($0.action): \($0.detail)" }
        #expect(log.contains("removed: ja-k Jana Jugend: present; reason: laut Liste korrigiert"))
        #expect(log.contains("recorded: jc Anna Beispiel: present; reason: laut Liste korrigiert"))
        let verified = try await w.verifyAudit()
        let snapshot = try await w.store.auditSnapshot()
        #expect(verified.isIntact, "\(verified.problems)")
        #expect(
            snapshot.events.last?.kind == .attendance && snapshot.events.dropLast().last?.kind == .attendanceRemoved)
    }

    @Test(arguments: StoreKind.allCases)
    func theAgendaChangesUntilTheMinutesAreApproved(kind: StoreKind) async throws {
        let (w, _, cleanup) = try await Self.setUp(kind)
        defer { cleanup() }
        let target = SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 3, day: 2))
        let op = Principal.localOperator("betrieb")
        for text in ["Haushalt", "Planung", "Bericht"] { try await w.editAgenda(target, .add(text), by: op) }
        #expect(try await w.editAgenda(target, .moveUp(2), by: op) == ["Haushalt", "Bericht", "Planung"])
        #expect(try await w.editAgenda(target, .moveDown(0), by: op) == ["Bericht", "Haushalt", "Planung"])
        #expect(try await w.editAgenda(target, .remove(1), by: op) == ["Bericht", "Planung"])
        await #expect(throws: WorkflowError.self) { try await w.editAgenda(target, .remove(5), by: op) }
        let other = Principal(actor: "Ben", roles: [.coordinator], bodies: ["beirat"])
        await #expect(throws: WorkflowError.self) { try await w.editAgenda(target, .add("fremd"), by: other) }
        _ = try await w.approveMinutes(target, by: op)
        await #expect(throws: WorkflowError.self) { try await w.editAgenda(target, .add("zu spät"), by: op) }
        #expect(try await w.store.agenda(of: try await w.session(target).key).map(\.text) == ["Bericht", "Planung"])
    }
}
