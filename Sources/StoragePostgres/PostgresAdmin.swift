import Logging
import PostgresNIO
import Storage

/// Databases on a server, for the tests and the checks that start a throw-away cluster: a new,
/// empty database per store under test.
public enum PostgresAdmin {
    /// Creates database `name` (letters, digits and `_` only) through the maintenance database `admin`.
    public static func createDatabase(_ name: String, on admin: PostgresLocation) async throws(StorageError) {
        try await run("CREATE DATABASE \(try identifier(name))", on: admin)
    }

    /// Drops database `name` (with its connections) in the background.
    public static func dropDatabaseLater(_ name: String, on admin: PostgresLocation) {
        Task.detached { try? await run("DROP DATABASE IF EXISTS \(try identifier(name)) WITH (FORCE)", on: admin) }
    }

    /// Runs one statement on `location` (tests and checks: a bogus migration row, say).
    public static func execute(_ sql: String, on location: PostgresLocation) async throws(StorageError) {
        try await run(sql, on: location)
    }

    private static func identifier(_ name: String) throws(StorageError) -> String {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw .unavailable("'\(name)' is not a database name (letters, digits and _)")
        }
        return name
    }

    private static func run(_ sql: String, on admin: PostgresLocation) async throws(StorageError) {
        var logger = Logger(label: "gremien.postgres.admin")
        logger.logLevel = .critical
        let client = PostgresClient(configuration: admin.configuration, backgroundLogger: logger)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        do {
            _ = try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
        } catch {
            throw PostgresStore.translate(error, admin)
        }
    }
}
