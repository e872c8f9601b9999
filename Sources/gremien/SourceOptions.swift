import ArgumentParser
import Coordination
import Foundation
import Platform
import Storage
import Workflows

/// Where `sessions` and `generate` read the district from: the store (after `gremien sync`,
/// with recorded session changes) or the files of `calendars/`.
struct SourceOptions: ParsableArguments {
    @Option(
        name: .customLong("calendars"),
        help: ArgumentHelp("Read the definitions from this calendars/ folder instead of the store.", valueName: "DIR"))
    var directory: String?

    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "Read from this store (sqlite:PATH). Default: sqlite:gremien.sqlite when it has been synced, else calendars/.",
            valueName: "URL"))
    var store: String?

    static let defaultStoreFile = "gremien.sqlite"
    static let defaultCalendars = "calendars"

    /// The district with everything recorded in the store applied, or read from the files, planned.
    func planning() async throws -> Planning { try await resolve().planning }

    /// The planned district and the items added to sessions' agendas (none when read from files).
    func planningWithAgendas() async throws -> (planning: Planning, agendas: [SessionKey: [String]]) {
        let (planning, store) = try await resolve()
        guard let store else { return (planning, [:]) }
        let agendas: [SessionKey: [String]]
        do { agendas = try await store.agendas() } catch { throw CommandError(WorkflowError(error)) }
        return (planning, agendas)
    }

    private func resolve() async throws -> (planning: Planning, store: (any Store)?) {
        if directory != nil, store != nil {
            throw CommandError("give --calendars DIR or --store URL, not both")
        }
        if let directory { return (try plan(loadDistrict(directory)), nil) }
        let location: String
        if let store {
            location = store
        } else if FileManager.default.fileExists(atPath: Self.defaultStoreFile) {
            location = "sqlite:" + Self.defaultStoreFile
        } else {
            return (try plan(loadDistrict(Self.defaultCalendars)), nil)
        }
        let opened = try await openStore(location, .read)
        guard let planning = try await call({ try await Planning.load(from: opened, zones: systemZone) }) else {
            if self.store == nil { return (try plan(loadDistrict(Self.defaultCalendars)), nil) }
            throw CommandError("the store \(location) holds no definitions yet; run: gremien sync --apply")
        }
        if self.store == nil { await Self.noteUnsynced(opened) }
        return (planning, opened)
    }

    private func plan(_ district: District) throws -> Planning {
        do { return try Planning(district: district, zones: systemZone) } catch { throw CommandError(error) }
    }

    /// Says on stderr when calendars/ holds edits the default store has not been synced with.
    private static func noteUnsynced(_ store: any Store) async {
        guard let files = quietlyLoadDistrict(defaultCalendars) else { return }
        let workflows = Workflows(store: store, clock: .fixed(LocalDateTime(year: 2000, month: 1, day: 1)))
        guard let plan = try? await workflows.syncPlan(files: files), !plan.isEmpty else { return }
        printError(
            "gremien: note: reading the store \(defaultStoreFile); calendars/ has \(plan.changes.count) change(s) "
                + "not synced yet (see: gremien sync)")
    }
}
