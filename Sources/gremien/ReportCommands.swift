import ArgumentParser
import Coordination
import Foundation
import Platform
import Publishing
import Storage
import Workflows

/// `gremien report`: summaries for auditors.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summaries for auditors, from the store's records.",
        subcommands: [Participation.self]
    )

    struct Participation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "participation",
            abstract: "Participation per office, per pair of offices and per body for a period.",
            discussion: """
                Works from the store alone (never from calendars/): archived bodies and ended \
                memberships count for the sessions they covered. A session is held when it is not \
                cancelled and had begun when the report was made; an office attended when at least \
                one of its people (or a deputy) was present. Every ordered pair of the --core \
                offices is listed, and every other pair that shares a body.
                Each report names its period, the time it was made and the event log's chain head; \
                gremien audit verify --report FILE checks it against the records later.
                  gremien report participation --from 2026-01-01 --to 2026-12-31 --out teilnahme.csv
                  gremien report participation --from 2026-01-01 --to 2026-12-31 --excel --out teilnahme.csv
                  gremien report participation --from 2026-01-01 --to 2026-06-30 --office jc --format html --out jc.html
                  gremien report participation --from 2026-01-01 --to 2026-12-31 --format json
                JSON follows schemas/participation-report.schema.json.
                """
        )

        @OptionGroup var store: StoreOptions

        @Option(help: ArgumentHelp("First day of the period, YYYY-MM-DD (included).", valueName: "DATE"))
        var from: String

        @Option(help: ArgumentHelp("Last day of the period, YYYY-MM-DD (included).", valueName: "DATE"))
        var to: String

        @Option(help: ArgumentHelp("Only this office (its id, e.g. jc) and its pairs and bodies.", valueName: "ID"))
        var office: String?

        @Option(help: ArgumentHelp("Only this body (its id, e.g. ag-78).", valueName: "ID"))
        var body: String?

        @Option(help: "Output format: csv, json or html.")
        var format: ReportStamp.Format = .csv

        @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "PATH"))
        var out: String?

        @Flag(help: "CSV for German Excel: a byte-order mark, semicolons and decimal commas.")
        var excel = false

        @Flag(help: "List every pair of offices, also those without a joint held session in the period.")
        var allPairs = false

        @Option(
            help: ArgumentHelp(
                "The offices whose every ordered pair is listed, comma-separated; default the audit's Sozialamt, Jugendamt and job-com (\(Workflows.auditOffices.joined(separator: ","))), those of them the store knows.",
                valueName: "IDS"))
        var core: String?

        func validate() throws {
            if excel && format != .csv { throw ValidationError("--excel applies to --format csv only") }
        }

        func run() async throws {
            let first = try parseDay(from)
            let last = try parseDay(to)
            guard first <= last else { throw CommandError("--from \(first) is after --to \(last)") }
            let request = Workflows.ReportRequest(
                from: first, through: last, office: office,
                body: body,
                core: core.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } },
                format: format, excel: excel, allPairs: allPairs)
            let report: MadeReport
            if let out {
                // Written while it is made (a ten-year report is some 40 MB), put in place when whole.
                let file: AtomicFile.Stream
                do { file = try AtomicFile.Stream(to: out) } catch { throw CommandError(error.description) }
                do {
                    report = try await call {
                        try await store.workflows(.read).participationReport(request, writingTo: file.append)
                    }
                } catch {
                    file.abandon()
                    throw error
                }
                do { try file.commit() } catch { throw CommandError(error.description) }
            } else {
                // To standard output as it is made, too: held whole, the JSON of ten years
                // (some 95 MB) took the report's peak memory from 130 to 220 MB.
                let console = Console.current
                report = try await call {
                    try await store.workflows(.read).participationReport(request) { console.out(Data($0)) }
                }
            }
            let summary = report.summary
            printError(
                "report: \(request.from)..\(request.through), \(summary.offices.count) offices, \(report.pairsListed) pairs, "
                    + "\(summary.bodies.count) bodies, chain head \(report.head.seq)" + (out.map { " → \($0)" } ?? ""))
        }
    }
}

extension ReportStamp.Format: ExpressibleByArgument {}
