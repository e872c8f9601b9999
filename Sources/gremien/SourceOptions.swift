import ArgumentParser
import Coordination
import Foundation
import Storage

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

    /// The district with everything recorded in the store applied, or read from the files.
    func district() async throws -> District {
        if directory != nil, store != nil {
            throw CommandError("give --calendars DIR or --store URL, not both")
        }
        if let directory {
            var files = CalendarsOptions()
            files.directory = directory
            return try files.district()
        }
        let location: String
        if let store {
            location = store
        } else if FileManager.default.fileExists(atPath: Self.defaultStoreFile) {
            location = "sqlite:" + Self.defaultStoreFile
        } else {
            return try CalendarsOptions().district()
        }
        var options = StoreOptions()
        options.location = location
        let opened = try options.open()
        let stored: StoredDefinitions
        let changes: [SessionChange]
        do {
            stored = try await opened.definitions()
            changes = try await opened.sessionChanges()
        } catch {
            throw CommandError(error.description)
        }
        guard let district = stored.district else {
            if self.store == nil { return try CalendarsOptions().district() }
            throw CommandError("the store \(location) holds no definitions yet; run: gremien sync --apply")
        }
        if self.store == nil { Self.noteUnsynced(stored) }
        return district.applying(changes)
    }

    /// Says on stderr when calendars/ holds edits the default store has not been synced with.
    private static func noteUnsynced(_ stored: StoredDefinitions) {
        let report = DefinitionsLoaderBridge.load("calendars")
        guard let files = report else { return }
        let plan = SyncPlan.between(stored: stored, files: files, at: LocalDateTime(year: 2000, month: 1, day: 1))
        if !plan.isEmpty {
            printError(
                "gremien: note: reading the store \(defaultStoreFile); calendars/ has \(plan.changes.count) change(s) "
                    + "not synced yet (see: gremien sync)")
        }
    }
}
