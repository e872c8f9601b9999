import ArgumentParser
import Coordination
import Definitions
import Foundation

/// `gremien validate`: check calendars/ and report every problem at once.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the calendars/ folder and list every problem as file:line: field: message.",
        discussion: """
            Reads district.yaml, offices.yaml and every file under bodies/, and reports all \
            problems in one run: unknown offices, duplicate ids, bad RRULEs, unknown time \
            zones, an end before its start, memberships outside the body's validity, \
            exceptions on dates the series does not meet, files that are not YAML. \
            Exit status 0 when the folder is fine (warnings allowed), 1 on any error.
              gremien validate calendars
            """
    )

    @Argument(help: ArgumentHelp("The calendars folder.", valueName: "DIR"))
    var directory = "calendars"

    func run() throws {
        let report = DefinitionsLoader(directory: directory, zone: systemZone).load()
        for d in report.diagnostics { printOut(d.description + "\n") }
        let errors = report.errors.count
        let warnings = report.diagnostics.count - errors
        if errors > 0 {
            printError("\(directory): \(errors) error(s), \(warnings) warning(s)")
            throw ExitCode(1)
        }
        let district = report.district
        if let planUntil = district?.planUntil {
            let now = Int64(Date().timeIntervalSince1970)
            let today = LocalDateTime(localSeconds: now).date
            if planUntil.dayNumber < today.dayNumber + 365 {
                printOut(
                    "\(directory)/district.yaml: warning: plan_until \(planUntil) is less than a year ahead; "
                        + "sessions after it are neither planned nor in the feeds\n")
            }
        }
        let bodies = district?.bodies.count ?? 0
        let series = district?.bodies.reduce(0) { $0 + $1.series.count } ?? 0
        let offices = district?.offices.count ?? 0
        printOut(
            "\(directory): \(offices) offices, \(bodies) bodies, \(series) series: no errors"
                + (warnings > 0 ? ", \(warnings) warning(s)" : "") + "\n")
    }
}
