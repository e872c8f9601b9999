import Coordination
import Foundation
import GremienTestSupport
import Storage
import StoragePostgres
import StorageSQLite
import Testing
import Workflows

/// `gremien store copy`: SQLite to PostgreSQL and back gives the same rows, table by table, and
/// a log that verifies; a store that is not empty is refused and keeps what it holds.
@Suite struct StoreCopyTests {
    static let time = LocalDateTime(year: 2026, month: 3, day: 2, hour: 10)

    /// A store with a row in most tables: people, tokens (one revoked), a seat, a session change,
    /// attendance, minutes with an approved version, an action item, outbox and sign-in rows.
    static func filled(_ kind: StoreKind) async throws -> (any Store, @Sendable () -> Void) {
        let (store, cleanup) = try await kind.synced()
        let key = SessionKey(body: "runde", series: "montag", date: CivilDate(year: 2026, month: 3, day: 2))
        try await store.save(Person(name: "Anna Beispiel", office: "jc", level: .sgl), at: time, actor: "a")
        let anna = Person.id(from: "Anna Beispiel")
        _ = try await store.assign(
            Seat(id: 0, body: "runde", office: "jc", person: anna, role: .regular, rank: 0, from: nil, until: nil),
            at: time, actor: "a")
        try await store.record(
            SessionChange(
                body: "beirat", series: "sitzung",
                exception: .cancel(date: CivilDate(year: 2026, month: 9, day: 1), reason: "Personalversammlung"),
                time: time, actor: "k"))
        try await store.record(
            [
                AttendanceEntry(session: key, office: "jc", person: anna, status: .present),
                AttendanceEntry(session: key, office: "ja-k", status: .excused),
            ], at: time, actor: "k")
        _ = try await store.add(
            ActionItem(session: key, text: "Bericht vorlegen", office: "jc"), at: time, actor: "k")
        let record = MinutesRecord(session: key, standing: ["Begrüßung", "Verschiedenes"], added: ["Haushalt 2027"])
        _ = try await store.save(record, expecting: 0, at: time, actor: "k", action: "written")
        try await store.save(MinutesState(session: key, status: .approved, time: time, actor: "k"))
        let secret = "secret-\(UUID().uuidString)"
        try await store.save(
            AccessToken(
                id: "t-1", hash: TokenSecret.hash(secret), person: anna, kind: .feed, role: nil, bodies: [],
                created: time, expires: nil), actor: "a")
        try await store.revokeToken(id: "t-1", at: time, actor: "a")
        try await store.noteSignIn(["anna@example.org"], failed: true, at: time)
        try await store.enqueue([
            OutboxEntry(kind: .update, person: anna, body: "runde", created: time, nextAttempt: time)
        ])
        return (store, cleanup)
    }

    static func json(_ dump: StoreDump) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(dump), as: UTF8.self)
    }

    @Test(.enabled(if: TestPostgres.server != nil, "needs GREMIEN_TEST_POSTGRES"))
    func sqliteToPostgresAndBackKeepsEveryRow() async throws {
        let (source, cleanSource) = try await Self.filled(.sqlite)
        defer { cleanSource() }
        let (postgres, cleanPostgres) = try await StoreKind.postgresql.make()
        defer { cleanPostgres() }
        let (back, cleanBack) = try await StoreKind.sqlite.make()
        defer { cleanBack() }
        let admin = Principal.localOperator("admin")

        let there = try await Workflows(store: source, location: "a").copyStore(
            to: postgres, named: "pg", by: admin)
        #expect(there.verification.isIntact)
        #expect(there.verification.head == (try await source.chainHead()))
        #expect(there.counts.first { $0.table == "attendance" }?.rows == 2)
        let again = try await Workflows(store: postgres, location: "pg").copyStore(to: back, named: "b", by: admin)
        #expect(again.verification.head == there.verification.head)

        let original = try await (source as! any DumpableStore).dump()
        let viaPostgres = try await (postgres as! any DumpableStore).dump()
        let returned = try await (back as! any DumpableStore).dump()
        #expect(original.events.count > 10)
        #expect(try Self.json(viaPostgres) == (try Self.json(original)))
        #expect(try Self.json(returned) == (try Self.json(original)))
        // Numbered rows go on after the copied ones.
        let next = try await postgres.add(
            ActionItem(
                session: SessionKey(body: "runde", series: "montag", date: CivilDate(year: 2026, month: 3, day: 9)),
                text: "Nächster Punkt", office: "jc"), at: Self.time, actor: "k")
        #expect(Int64(next.id ?? 0) == (original.actionItems.compactMap(\.id).max() ?? 0) + 1)
    }

    @Test(arguments: [StoreKind.sqlite] + (TestPostgres.server == nil ? [] : [StoreKind.postgresql]))
    func aStoreThatIsNotEmptyIsRefusedAndKeepsItsRows(kind: StoreKind) async throws {
        let (source, cleanSource) = try await Self.filled(.sqlite)
        defer { cleanSource() }
        let (target, cleanTarget) = try await kind.synced()
        defer { cleanTarget() }
        let before = try await target.chainHead()
        await #expect {
            _ = try await Workflows(store: source, location: "a").copyStore(
                to: target, named: "ziel", by: .localOperator("admin"))
        } throws: { error in
            guard case .conflict(_, let message) = error as? WorkflowError else { return false }
            return message.contains("is not empty (it holds definitions and \(before.seq) event log entries)")
        }
        #expect(try await target.chainHead() == before)
        #expect(try await target.people().isEmpty)
    }
}
