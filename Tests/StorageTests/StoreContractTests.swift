import Coordination
import Definitions
import Foundation
import ICalendar
import Storage
import StorageSQLite
import Testing

/// One contract, every store: what a sync stores is read back unchanged, a second sync plans
/// nothing, removed entities are archived (never deleted) and come back when restored.
@Suite struct StoreContractTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case memory, sqlite
        var testDescription: String { rawValue }
    }

    static let calendars = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("PublishingTests/Fixtures/calendars").path
    static let time = LocalDateTime(year: 2026, month: 1, day: 5, hour: 9)
    static let later = LocalDateTime(year: 2026, month: 2, day: 1, hour: 16, minute: 30)

    static func store(_ kind: Kind) throws -> (any Store, cleanup: () -> Void) {
        switch kind {
        case .memory: return (MemoryStore(), {})
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent(
                "store-\(UUID().uuidString).sqlite"
            )
            .path
            let store = try SQLiteStore(path: path)
            return (store, { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } })
        }
    }

    static func district() throws -> District {
        let report = DefinitionsLoader(directory: calendars, zone: { try? SystemTimeZones.rules(for: $0) }).load()
        return try #require(report.validDistrict)
    }

    @Test(arguments: Kind.allCases)
    func syncStoresTheDefinitionsAndASecondSyncPlansNothing(kind: Kind) async throws {
        let (store, cleanup) = try Self.store(kind)
        defer { cleanup() }
        let district = try Self.district()
        #expect(try await store.definitions() == StoredDefinitions())
        let plan = SyncPlan.between(stored: try await store.definitions(), files: district, at: Self.time)
        // The district's settings, 3 offices, 2 bodies, 3 series, all new.
        #expect(plan.changes.map(\.action) == Array(repeating: .added, count: 9))
        try await store.apply(plan, at: Self.time, actor: "koordination")
        let stored = try await store.definitions()
        #expect(stored.offices.sorted { $0.id < $1.id } == district.offices.sorted { $0.id < $1.id })
        #expect(stored.bodies == district.bodies)
        #expect(stored.settings == district.settings)
        #expect(stored.district?.holidays == district.holidays)
        #expect(SyncPlan.between(stored: stored, files: district, at: Self.time).isEmpty)
        let log = try await store.changes()
        #expect(log.count == 9)
        #expect(log.allSatisfy { $0.actor == "koordination" && $0.time == Self.time })
        #expect(
            log.first { $0.subject == "series runde/montag" }?.detail.contains("rrule:  → FREQ=WEEKLY;BYDAY=MO") == true
        )
    }

    @Test(arguments: Kind.allCases)
    func removedBodiesAreArchivedAndRestored(kind: Kind) async throws {
        let (store, cleanup) = try Self.store(kind)
        defer { cleanup() }
        let district = try Self.district()
        try await store.apply(
            SyncPlan.between(stored: try await store.definitions(), files: district, at: Self.time), at: Self.time,
            actor: "a")
        var edited = district
        edited.bodies.removeAll { $0.id == "beirat" }
        edited.bodies[0].series[0].location = "Raum 9"
        edited.bodies[0].members[1].role = .advisory
        let plan = SyncPlan.between(stored: try await store.definitions(), files: edited, at: Self.later)
        #expect(
            plan.changes.map { "\($0.action.rawValue) \($0.subject)" } == [
                "changed body runde", "changed series runde/montag", "archived body beirat",
            ])
        #expect(plan.changes[0].fields == [FieldChange(field: "member ja-k", old: "member []", new: "advisory []")])
        #expect(plan.changes[1].fields == [FieldChange(field: "location", old: "Kreishaus, Raum 1", new: "Raum 9")])
        try await store.apply(plan, at: Self.time, actor: "a")
        let stored = try await store.definitions()
        #expect(stored.bodies.map(\.id) == ["runde"])
        #expect(stored.archivedBodies.map(\.id) == ["beirat"])
        #expect(stored.archivedBodies.first?.series.map(\.id) == ["sitzung", "klausur"])
        // What subscribers see of runde/montag changed: SEQUENCE 2 → 3, changed at the sync's time.
        let montag = try #require(stored.bodies.first?.series.first)
        #expect(montag.sequence == 3)
        #expect(montag.updated == Self.later)
        #expect(SyncPlan.between(stored: stored, files: edited, at: Self.later).isEmpty)
        // Back in the files: restored, with its series.
        let back = SyncPlan.between(stored: stored, files: district, at: Self.time)
        #expect(
            back.changes.map { "\($0.action.rawValue) \($0.subject)" } == [
                "restored body beirat", "restored series beirat/sitzung", "restored series beirat/klausur",
                "changed body runde", "changed series runde/montag",
            ])
        try await store.apply(back, at: Self.time, actor: "a")
        #expect(SyncPlan.between(stored: try await store.definitions(), files: district, at: Self.time).isEmpty)
        #expect(try await store.changes().count == 9 + 3 + 5)
    }

    @Test(arguments: Kind.allCases)
    func removedSeriesIsArchivedWithItsBody(kind: Kind) async throws {
        let (store, cleanup) = try Self.store(kind)
        defer { cleanup() }
        let district = try Self.district()
        try await store.apply(
            SyncPlan.between(stored: try await store.definitions(), files: district, at: Self.time), at: Self.time,
            actor: "a")
        var edited = district
        let beirat = try #require(edited.bodies.firstIndex { $0.id == "beirat" })
        edited.bodies[beirat].series.removeAll { $0.id == "klausur" }
        let plan = SyncPlan.between(stored: try await store.definitions(), files: edited, at: Self.later)
        #expect(plan.changes.map { "\($0.action.rawValue) \($0.subject)" } == ["archived series beirat/klausur"])
        try await store.apply(plan, at: Self.time, actor: "a")
        let stored = try await store.definitions()
        #expect(stored.archivedSeries["beirat"]?.map(\.id) == ["klausur"])
        #expect(stored.bodies.first { $0.id == "beirat" }?.series.map(\.id) == ["sitzung"])
    }

    @Test func sqliteKeepsItsDataAcrossOpeningsAndNamesABadPath() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reopen-\(UUID().uuidString).sqlite")
            .path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let district = try Self.district()
        do {
            let store = try SQLiteStore(path: path)
            try await store.apply(
                SyncPlan.between(stored: StoredDefinitions(), files: district, at: Self.time), at: Self.time, actor: "a"
            )
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.definitions().bodies == district.bodies)
        #expect(throws: StorageError.self) { _ = try SQLiteStore(path: "/nonexistent-folder/x.sqlite") }
    }

    @Test(arguments: Kind.allCases)
    func peopleAndAttendanceAllOrNothing(kind: Kind) async throws {
        let (store, cleanup) = try Self.store(kind)
        defer { cleanup() }
        try await store.apply(
            SyncPlan.between(stored: try await store.definitions(), files: try Self.district(), at: Self.time),
            at: Self.time, actor: "a")
        try await store.save(Person(name: "Anna Beispiel", office: "jc", level: .al), at: Self.time, actor: "a")
        try await store.save(
            Person(name: "Anna Beispiel", office: "jc", level: .sgl, email: "a@example.org"), at: Self.time, actor: "a")
        #expect(
            try await store.people() == [
                Person(name: "Anna Beispiel", office: "jc", level: .sgl, email: "a@example.org")
            ])
        await #expect(throws: StorageError.self) {
            try await store.save(Person(name: "X", office: "nope", level: .tl), at: Self.time, actor: "a")
        }
        let key = SessionKey(body: "beirat", series: "sitzung", date: CivilDate(year: 2026, month: 9, day: 1))
        let jc = AttendanceEntry(session: key, office: "jc", person: "Anna Beispiel", status: .present)
        try await store.record(
            [jc, AttendanceEntry(session: key, office: "aa", status: .excused)], at: Self.time, actor: "a")
        // A later entry for the same office and person replaces the earlier one.
        try await store.record(
            [AttendanceEntry(session: key, office: "aa", status: .present)], at: Self.time, actor: "a")
        #expect(
            try await store.attendance(of: key).map { "\($0.office) \($0.status.rawValue)" } == [
                "aa present", "jc present",
            ])
        // One bad entry (an unknown series): nothing of the batch is stored.
        let bad = SessionKey(body: "beirat", series: "nope", date: key.date)
        await #expect(throws: StorageError.self) {
            try await store.record(
                [
                    AttendanceEntry(session: key, office: "aa", status: .absent),
                    AttendanceEntry(session: bad, office: "jc", status: .present),
                ],
                at: Self.time, actor: "a")
        }
        #expect(
            try await store.attendance(of: key).map { "\($0.office) \($0.status.rawValue)" } == [
                "aa present", "jc present",
            ])
    }
}
