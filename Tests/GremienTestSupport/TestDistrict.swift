import Coordination
import Definitions
import Foundation
import Platform
import Storage
import StoragePostgres
import StorageSQLite
import Testing

/// The fixture district every test target shares: three offices (jc, ja-k, aa), two bodies
/// (runde: jc chair, ja-k member; beirat: jc chair, ja-k advisory until 2026-06-30, aa member)
/// with three series, in `Tests/GremienTestSupport/Fixtures/calendars`; and where the
/// repository's own folders are.
public enum TestDistrict {
    /// The package's root folder.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// The fixture `calendars/` folder.
    public static let calendars = root.appendingPathComponent("Tests/GremienTestSupport/Fixtures/calendars").path
    /// The shared fixtures folder.
    public static let fixtures = root.appendingPathComponent("Tests/GremienTestSupport/Fixtures").path
    /// Broken definitions: every kind of problem a coordinator can make, at once.
    public static let invalidCalendars = fixtures + "/invalid"
    /// 60 bodies' series as one iCalendar file (the expansion workload, small).
    public static let workload60 = root.appendingPathComponent("Tests/GremienTestSupport/Fixtures/workload-60.ics")
    /// The shipped `calendars/` of Kreis Düren.
    public static let shippedCalendars = root.appendingPathComponent("calendars").path
    /// The shipped minutes templates.
    public static let templates = root.appendingPathComponent("templates").path
    /// The system's zoneinfo.
    public static let zones: @Sendable (String) -> ZoneRules? = SystemTimeZones.lookup

    /// The first sync's time and a later one (UTC).
    public static let time = LocalDateTime(year: 2026, month: 1, day: 5, hour: 9)
    public static let later = LocalDateTime(year: 2026, month: 2, day: 1, hour: 16, minute: 30)

    /// The fixture district, read and checked.
    public static func district() throws -> District {
        try #require(DefinitionsLoader(directory: calendars, zone: zones).load().validDistrict)
    }

    /// The district of a calendars folder, read and checked.
    public static func district(at folder: String) throws -> District {
        try #require(DefinitionsLoader(directory: folder, zone: zones).load().validDistrict)
    }
}

/// The stores every contract runs on: memory and SQLite always, PostgreSQL when
/// `GREMIEN_TEST_POSTGRES` names a server (scripts/test starts one: `scripts/postgres`).
public enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite, postgresql
    public var testDescription: String { rawValue }

    public static var allCases: [StoreKind] {
        TestPostgres.server == nil ? [.memory, .sqlite] : [.memory, .sqlite, .postgresql]
    }

    /// A new, empty store of this kind and how to remove it (the SQLite file and its WAL, the
    /// PostgreSQL database).
    public func make() async throws -> (store: any Store, cleanup: @Sendable () -> Void) {
        switch self {
        case .memory: return (MemoryStore(), {})
        case .sqlite:
            let path = TemporaryFile.path("store", "sqlite")
            return (try SQLiteStore(path: path), { TemporaryFile.removeSQLite(path) })
        case .postgresql:
            let (location, drop) = try await TestPostgres.database()
            let store = try await PostgresStore.open(location)
            return (
                store,
                {
                    store.close()
                    drop()
                }
            )
        }
    }

    /// A store of this kind with the fixture district synced at `TestDistrict.time`.
    public func synced() async throws -> (store: any Store, cleanup: @Sendable () -> Void) {
        let (store, cleanup) = try await make()
        let plan = SyncPlan.between(
            stored: StoredDefinitions(), files: try TestDistrict.district(), at: TestDistrict.time)
        try await store.apply(plan, at: TestDistrict.time, actor: "koordination")
        return (store, cleanup)
    }
}

/// Names of temporary files, and their removal.
public enum TemporaryFile {
    /// A fresh path in the temporary folder: `prefix-UUID.ext`.
    public static func path(_ prefix: String, _ ext: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString).\(ext)").path
    }

    /// Removes an SQLite file with its `-wal` and `-shm` companions.
    public static func removeSQLite(_ path: String) {
        for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) }
    }
}

/// The PostgreSQL server of the tests, if there is one: `GREMIEN_TEST_POSTGRES` is the address
/// of its maintenance database (`postgresql://gremien@127.0.0.1:PORT/postgres?sslmode=disable`).
public enum TestPostgres {
    public static var server: PostgresLocation? {
        guard let text = ProcessInfo.processInfo.environment["GREMIEN_TEST_POSTGRES"], !text.isEmpty else {
            return nil
        }
        return try? PostgresLocation(text)
    }

    /// A new, empty database on the test server and how to drop it.
    public static func database() async throws -> (PostgresLocation, @Sendable () -> Void) {
        let admin = try #require(server, "GREMIEN_TEST_POSTGRES is not set")
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await PostgresAdmin.createDatabase(name, on: admin)
        var location = admin
        location.database = name
        return (location, { PostgresAdmin.dropDatabaseLater(name, on: admin) })
    }
}
