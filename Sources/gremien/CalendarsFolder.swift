import ArgumentParser
import Coordination
import Definitions
import Foundation
import ICalendar

/// The `--calendars DIR` option shared by the commands that read `calendars/`.
struct CalendarsOptions: ParsableArguments {
    @Option(
        name: .customLong("calendars"),
        help: ArgumentHelp("The folder with district.yaml, offices.yaml and bodies/.", valueName: "DIR"))
    var directory = "calendars"

    /// The district read from the folder; on any error every diagnostic goes to stderr and the
    /// command stops with exit code 1 before it writes anything.
    func district() throws -> District {
        let report = DefinitionsLoader(directory: directory, zone: systemZone).load()
        for d in report.diagnostics { printError(d.description) }
        guard let district = report.validDistrict else {
            throw CommandError(
                "\(directory): \(report.errors.count) error(s); nothing was done (check with: gremien validate \(directory))"
            )
        }
        return district
    }
}

/// Zone rules from the system's zoneinfo, `nil` for an unknown name.
func systemZone(_ identifier: String) -> ZoneRules? {
    try? SystemTimeZones.rules(for: identifier)
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

func printOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// Reads `YYYY-MM-DD` as the start of that day in `zone` (UTC seconds).
func startOfDay(_ text: String, option: String, zone: ZoneRules) throws -> Int64 {
    guard let day = CivilDate(iso: text) else {
        throw CommandError("\(option) '\(text)' is not a date; write YYYY-MM-DD, e.g. 2026-01-13")
    }
    return zone.utc(forLocal: LocalDateTime(date: day).localSeconds)
}

/// Reads a calendars/ folder quietly: the district when it is valid, else `nil`.
enum DefinitionsLoaderBridge {
    static func load(_ directory: String) -> District? {
        guard FileManager.default.fileExists(atPath: directory) else { return nil }
        return DefinitionsLoader(directory: directory, zone: systemZone).load().validDistrict
    }
}
