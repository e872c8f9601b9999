import ArgumentParser
import Coordination
import Foundation
import Publishing
import Storage
import Workflows

/// `gremien audit`: checks of the tamper-evident record.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the tamper-evident event log and reports made from it.",
        subcommands: [Verify.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the event log's hash chain and compare it with the records.",
            discussion: """
                Every session change, attendance entry, minutes approval and sync is an entry of \
                the event log, chained by SHA-256. verify recomputes the chain, checks that the \
                attendance, session changes and minutes state in the store are what the log says, \
                and names the first entry that does not match. Exit status 1 when something does not match.
                With --report FILE it also rebuilds the records as they stood at the report's chain \
                head, makes the report again and compares it with FILE.
                  gremien audit verify
                  gremien audit verify --report teilnahme.csv
                """
        )

        @OptionGroup var store: StoreOptions

        @Option(help: ArgumentHelp("A report made by gremien report participation.", valueName: "FILE"))
        var report: String?

        func run() async throws {
            let workflows = try store.workflows()
            let (snapshot, result) = try await call { try await workflows.verifyAudit() }
            var failed = false
            if result.isIntact {
                let r = snapshot.records
                printOut(
                    "event log: \(result.entries) entries, chain intact, head \(result.head)\n"
                        + "records match the log: \(r.attendance.count) attendance rows, "
                        + "\(r.sessionChanges.count) session changes, \(r.minutes.count) minutes states\n")
            } else {
                failed = true
                printError("event log: \(result.entries) entries; does NOT verify")
                for p in result.problems.prefix(20) { printError("  \(p)") }
                if result.problems.count > 20 { printError("  … and \(result.problems.count - 20) more") }
                if let first = result.problems.first { printError("first mismatch: \(first)") }
            }
            if let report {
                guard let data = FileManager.default.contents(atPath: report) else {
                    throw CommandError("cannot read the report \(report)")
                }
                let check = try await call {
                    try await workflows.checkReport(data, named: report, events: snapshot.events, chain: result)
                }
                failed = present(check, report) || failed
            }
            if failed { throw ExitCode(1) }
        }

        /// Says what the check found; whether the report does NOT match.
        func present(_ check: ReportCheck, _ path: String) -> Bool {
            switch check {
            case .matches(let stamp, let head):
                printOut(
                    "report \(path): matches the records at chain head \(head) (\(stamp.format.rawValue), \(stamp.from)..\(stamp.through), made \(stamp.madeAt)Z)\n"
                )
                return false
            case .uncheckable(let why):
                printError("report \(path): cannot be checked: \(why)")
                return true
            case .differs(let head, let line, let old, let new):
                printError("report \(path): does NOT match the records at chain head \(head)")
                printError("  first difference in line \(line):")
                printError("  report:  \(old)")
                printError("  records: \(new)")
                printError("  (the report was edited, or bodies and offices were changed by a sync after it was made)")
                return true
            }
        }
    }
}
