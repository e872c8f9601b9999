import ArgumentParser
import Foundation
import Platform
import Storage
import StorageSQLite
import Workflows

/// The `--store` option: which store to open. The only place that picks a concrete store.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "The store: sqlite:PATH (default sqlite:gremien.sqlite in the working folder).", valueName: "URL"))
    var location = "sqlite:gremien.sqlite"

    func open() throws -> any Store { try openStore(location) }

    /// The workflows on this store, with the system's clock and zones.
    func workflows() throws -> Workflows { Workflows(store: try open(), location: location) }
}

/// Opens the store a `--store` value names.
func openStore(_ location: String) throws -> any Store {
    guard location.hasPrefix("sqlite:"), location.count > "sqlite:".count else {
        throw CommandError("--store '\(location)' is not a store; use sqlite:PATH, e.g. sqlite:gremien.sqlite")
    }
    let path = String(location.dropFirst("sqlite:".count))
    do {
        return try SQLiteStore(path: path)
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
