import Coordination
import Foundation
import GremienTestSupport
import Storage
import Testing

@testable import StoragePostgres

/// What only the PostgreSQL store has: addresses, migrations shared by instances that start at
/// once, and the event log written by several instances at the same time.
@Suite struct PostgresStoreTests {
    @Test func addressesAreReadAndBadOnesNamed() throws {
        let location = try PostgresLocation(
            "postgresql://gremien@db.kreis.local:5433/gremien?sslmode=require", environment: ["PGPASSWORD": "geheim"])
        #expect(location.description == "postgresql://gremien@db.kreis.local:5433/gremien?sslmode=require")
        #expect(!location.description.contains("geheim"))
        let cases: [(String, String)] = [
            ("postgresql://gremien:geheim@localhost/gremien", "it holds a password"),
            ("postgresql://localhost/gremien", "the user is missing"),
            ("postgresql://gremien@localhost", "the database is missing"),
            ("postgresql://gremien@localhost/g?sslmode=verify-full", "sslmode 'verify-full' is not"),
            ("mysql://gremien@localhost/g", "it does not begin with postgresql://"),
        ]
        for (text, why) in cases {
            #expect {
                _ = try PostgresLocation(text, environment: [:])
            } throws: { error in
                guard case .unavailable(let message) = error as? StorageError else { return false }
                let shown = text.replacingOccurrences(of: ":geheim@", with: ":***@")
                return message.contains(why) && message.contains("--store '\(shown)'") && !message.contains("geheim")
            }
        }
    }

    @Test func thePasswordFileIsReadAsLibpqReadsIt() throws {
        let path = TemporaryFile.path("pgpass", "txt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "# comment\nother:5432:*:*:nein\ndb.kreis.local:*:gremien:gremien:ge\\:heim\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let found = try PostgresLocation(
            "postgresql://gremien@db.kreis.local:5433/gremien", environment: ["PGPASSFILE": path]
        ).password
        #expect(found == "ge:heim")
    }

    @Test(.enabled(if: TestPostgres.server != nil, "needs GREMIEN_TEST_POSTGRES"))
    func fiveInstancesStartingAtOnceMigrateOnce() async throws {
        let (location, drop) = try await TestPostgres.database()
        defer { drop() }
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<5 { group.addTask { try await PostgresStore.open(location) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        defer { stores.forEach { $0.close() } }
        #expect(stores.filter { !$0.appliedMigrations.isEmpty }.count == 1)
        // Every migration once, all by that one.
        #expect(stores.flatMap(\.appliedMigrations) == PostgresSchema.all.map(\.name))
        #expect(try await stores[4].chainHead() == .genesis)
    }

    @Test(.enabled(if: TestPostgres.server != nil, "needs GREMIEN_TEST_POSTGRES"))
    func threeInstancesWritingAtOnceKeepOneChain() async throws {
        let (location, drop) = try await TestPostgres.database()
        defer { drop() }
        let first = try await PostgresStore.open(location)
        defer { first.close() }
        let district = try TestDistrict.district()
        try await first.apply(
            SyncPlan.between(stored: StoredDefinitions(), files: district, at: TestDistrict.time),
            at: TestDistrict.time, actor: "k")
        let stores = [first, try await PostgresStore.open(location), try await PostgresStore.open(location)]
        defer { stores.dropFirst().forEach { $0.close() } }
        let before = try await first.chainHead().seq
        let days = (1...28).map { CivilDate(year: 2026, month: 2, day: $0) }
        // 3 instances x 32 writers, each writing attendance of its own session 5 times.
        let written = try await withThrowingTaskGroup(of: Int.self) { group in
            for (i, store) in stores.enumerated() {
                for w in 0..<32 {
                    group.addTask {
                        let key = SessionKey(body: "runde", series: "montag", date: days[(i * 32 + w) % days.count])
                        let office = ["jc", "ja-k", "aa"][(i * 32 + w) / days.count % 3]
                        for n in 0..<5 {
                            try await store.record(
                                [
                                    AttendanceEntry(
                                        session: key, office: office, status: n % 2 == 0 ? .present : .excused)
                                ],
                                at: TestDistrict.later, actor: "w\(i)-\(w)")
                        }
                        return 5
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        let snapshot = try await first.auditSnapshot()
        let verification = AuditVerification(events: snapshot.events, records: snapshot.records)
        #expect(verification.isIntact, "\(verification.problems.prefix(3))")
        #expect(verification.entries == before + written)
        #expect(snapshot.events.map(\.seq) == Array(1...(before + written)))
    }

    @Test(.enabled(if: TestPostgres.server != nil, "needs GREMIEN_TEST_POSTGRES"))
    func aNewerSchemaAndAnEmptyStoreReadOnlyAreRefused() async throws {
        let (location, drop) = try await TestPostgres.database()
        defer { drop() }
        await #expect {
            _ = try await PostgresStore.open(location, access: .readOnly)
        } throws: { error in
            (error as? StorageError)?.description.contains("is empty: it holds no definitions yet") == true
        }
        let store = try await PostgresStore.open(location)
        defer { store.close() }
        try await PostgresAdmin.execute(
            "INSERT INTO gremien_migrations (name, applied, by) VALUES ('v99 from the future', 'x', 'y')", on: location)
        await #expect {
            _ = try await PostgresStore.open(location)
        } throws: { error in
            (error as? StorageError)?.description.contains("schema step 'v99 from the future' is unknown") == true
        }
    }
}
