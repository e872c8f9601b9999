import ArgumentParser
import Coordination
import Definitions
import Foundation
import Platform

/// The `--calendars DIR` option shared by the commands that read `calendars/`.
struct CalendarsOptions: ParsableArguments {
    @Option(
        name: .customLong("calendars"),
        help: ArgumentHelp("The folder with district.yaml, offices.yaml and bodies/.", valueName: "DIR"))
    var directory = "calendars"

    func district() throws -> District { try loadDistrict(directory) }
}

/// The district read from a calendars/ folder; on any error every diagnostic goes to stderr and
/// the command stops with exit code 1 before it writes anything.
func loadDistrict(_ directory: String) throws -> District {
    let report = DefinitionsLoader(directory: directory, zone: systemZone).load()
    for d in report.diagnostics { printError(d.description) }
    guard let district = report.validDistrict else {
        throw CommandError(
            "\(directory): \(report.errors.count) error(s); nothing was done (check with: gremien validate \(directory))"
        )
    }
    return district
}

/// Zone rules from the system's zoneinfo, `nil` for an unknown name.
func systemZone(_ identifier: String) -> ZoneRules? {
    SystemTimeZones.lookup(identifier)
}

/// Writes a file atomically (temporary name, then rename); a failure as a `CommandError`.
func writeReplacing(_ text: String, to path: String, permissions: mode_t = 0o644) throws {
    do { try AtomicFile.write(text, to: path, permissions: permissions) } catch {
        throw CommandError(error.description)
    }
}

/// Reads `YYYY-MM-DD` as a day, naming the option on error.
func parseDay(_ text: String, option: String? = nil) throws -> CivilDate {
    guard let day = CivilDate(iso: text) else {
        if let option { throw CommandError("\(option) '\(text)' is not a date; write YYYY-MM-DD, e.g. 2026-01-13") }
        throw CommandError("'\(text)' is not a date; write YYYY-MM-DD, e.g. 2026-03-10")
    }
    return day
}

/// Reads a calendars/ folder quietly: the district when it is valid, else `nil`.
func quietlyLoadDistrict(_ directory: String) -> District? {
    guard FileManager.default.fileExists(atPath: directory) else { return nil }
    return DefinitionsLoader(directory: directory, zone: systemZone).load().validDistrict
}
