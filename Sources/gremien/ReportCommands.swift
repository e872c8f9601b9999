import ArgumentParser
import Coordination
import Foundation
import Publishing
import Storage

/// `gremien report`: summaries for auditors.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summaries for auditors, from the store's records.",
        subcommands: [Participation.self]
    )

    struct Participation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
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

        @Option(
            help: ArgumentHelp(
                "The offices whose every ordered pair is listed, comma-separated; default the audit's Sozialamt, Jugendamt and job-com (\(Self.auditOffices.joined(separator: ","))), those of them the store knows.",
                valueName: "IDS"))
        var core: String?

        static let auditOffices = ["soza", "ja-k", "jc"]

        func validate() throws {
            if excel && format != .csv { throw ValidationError("--excel applies to --format csv only") }
        }

        func run() async throws {
            let first = try parseDay(from)
            let last = try parseDay(to)
            guard first <= last else { throw CommandError("--from \(first) is after --to \(last)") }
            let opened = try store.open()
            var coreIDs = Self.auditOffices
            if let core {
                coreIDs = core.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            }
            coreIDs = try await checkIDs(opened, office: office, body: body, core: coreIDs, strict: core != nil)
            let loader = ParticipationLoader(store: opened, location: store.location)
            // The head before and after reading must agree, so the report is exactly the records at that head.
            var attempt = 0
            while true {
                attempt += 1
                let before = try await head(opened)
                let records = try await loader.records(from: first, through: last, core: coreIDs)
                let after = try await head(opened)
                guard before == after || attempt == 3 else { continue }
                let made = now()
                let stamp = ReportStamp(
                    from: first, through: last, office: office, body: body, core: coreIDs, format: format,
                    excel: excel, madeAt: made, head: after.description)
                let summary = ParticipationSummary(
                    records: records, from: first, through: last, madeAt: made, office: office, body: body)
                let data = ParticipationReport(summary: summary, stamp: stamp).rendered()
                if let out {
                    try writeReplacing(String(decoding: data, as: UTF8.self), to: out)
                } else {
                    FileHandle.standardOutput.write(data)
                }
                printError(
                    "report: \(first)..\(last), \(summary.offices.count) offices, \(summary.pairs.count) pairs, "
                        + "\(summary.bodies.count) bodies, chain head \(after.seq)" + (out.map { " → \($0)" } ?? ""))
                return
            }
        }

        func head(_ store: any Store) async throws -> ChainHead {
            do { return try await store.chainHead() } catch { throw CommandError(error.description) }
        }
    }
}

/// Refuses an office or body the store does not know (archived ones are known), naming those it
/// does; returns the core offices the store knows (all of them, or an error, when `strict`).
func checkIDs(_ store: any Store, office: String?, body: String?, core: [String], strict: Bool) async throws
    -> [String]
{
    let stored: StoredDefinitions
    do { stored = try await store.definitions() } catch { throw CommandError(error.description) }
    guard stored.settings != nil else {
        throw CommandError("the store holds no definitions yet; run: gremien sync --apply")
    }
    let offices = (stored.offices + stored.archivedOffices).map(\.id)
    let bodies = (stored.bodies + stored.archivedBodies).map(\.id)
    for id in [office].compactMap({ $0 }) + (strict ? core : []) where !offices.contains(id) {
        throw CommandError("unknown office '\(id)'; known offices: \(offices.joined(separator: ", "))")
    }
    if let body, !bodies.contains(body) {
        throw CommandError("unknown body '\(body)'; known bodies: \(bodies.joined(separator: ", "))")
    }
    return core.filter(offices.contains)
}

extension ReportStamp.Format: ExpressibleByArgument {}
