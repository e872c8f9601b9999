import ArgumentParser
import Foundation
import Platform
import Storage
import StoragePostgres
import StorageSQLite
import Workflows

/// The `--store` option: which store to open. The only place that picks a concrete store.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "The store: sqlite:PATH (default sqlite:gremien.sqlite in the working folder), or "
                + "postgresql://USER@HOST:PORT/DATABASE (password from PGPASSWORD or ~/.pgpass).", valueName: "URL"))
    var location = "sqlite:gremien.sqlite"

    /// Opens the store; only `.create` (sync, serve) makes a new one where there is none, and
    /// `.read` opens it read-only (commands that write nothing).
    func open(_ access: StoreAccess = .write) async throws -> any Store { try await openStore(location, access) }

    /// The workflows on this store, with the system's clock and zones.
    func workflows(_ access: StoreAccess = .write) async throws -> Workflows {
        Workflows(store: try await open(access), location: location)
    }
}

/// What a command does with the store.
enum StoreAccess {
    /// Makes the store where there is none (sync, serve).
    case create
    /// Writes to an existing store.
    case write
    /// Only reads: opened read-only, so a store the user may only read can be read.
    case read
}

/// Opens the store a `--store` value names. A command that only works on what the store holds
/// refuses a path where there is no store (a mistyped one) instead of leaving an empty file there.
func openStore(_ location: String, _ access: StoreAccess = .write) async throws -> any Store {
    if location.hasPrefix("postgresql:") || location.hasPrefix("postgres:") {
        do {
            return try await PostgresStore.open(
                try PostgresLocation(location), access: access == .read ? .readOnly : .readWrite)
        } catch {
            throw CommandError(error.description)
        }
    }
    guard location.hasPrefix("sqlite:"), location.count > "sqlite:".count else {
        throw CommandError(
            "--store '\(location)' is not a store; use sqlite:PATH, e.g. sqlite:gremien.sqlite, "
                + "or postgresql://USER@HOST:PORT/DATABASE")
    }
    let path = String(location.dropFirst("sqlite:".count))
    guard access == .create || FileManager.default.fileExists(atPath: path) else {
        throw CommandError("the store \(location) holds no definitions yet; run: gremien sync --apply")
    }
    do {
        return try SQLiteStore(path: path, access: access == .read ? .readOnly : .readWrite)
    } catch {
        throw CommandError(error.description)
    }
}

/// The person at the shell, for the change log: `$GREMIEN_ACTOR`, else the login name.
func currentActor() -> String {
    let env = ProcessInfo.processInfo.environment
    return env["GREMIEN_ACTOR"] ?? env["USER"] ?? env["LOGNAME"] ?? "gremien"
}

/// The command line acts as the local operator.
var localOperator: Principal { .localOperator(currentActor()) }
