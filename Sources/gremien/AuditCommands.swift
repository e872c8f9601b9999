import ArgumentParser
import Coordination
import Foundation
import Publishing
import Storage

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
            let opened = try store.open()
            let snapshot: AuditSnapshot
            do { snapshot = try await opened.auditSnapshot() } catch { throw CommandError(error.description) }
            let result = AuditVerification(events: snapshot.events, records: snapshot.records)
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
                failed =
                    try await check(report: report, events: snapshot.events, chain: result, store: opened) || failed
            }
            if failed { throw ExitCode(1) }
        }

        /// Whether the report does NOT match (messages on stderr).
        func check(report path: String, events: [AuditEvent], chain: AuditVerification, store opened: any Store)
            async throws -> Bool
        {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CommandError("cannot read the report \(path)")
            }
            let text = String(decoding: data, as: UTF8.self)
            guard let stamp = ReportStamp(findingIn: text) else {
                throw CommandError("\(path) is not a gremien report: it holds no line 'gremien-report v1 …'")
            }
            guard let head = ChainHead(stamp.head) else {
                throw CommandError("\(path): the report's chain head '\(stamp.head)' is not SEQ:HASH")
            }
            if head.seq > chain.head.seq && !chain.isIntact {
                printError("report \(path): cannot be checked: the chain breaks before its head \(head.seq)")
                return true
            }
            if head.seq > 0 {
                guard head.seq <= events.count, events[head.seq - 1].seq == head.seq else {
                    printError(
                        "report \(path): its chain head \(head.seq) is not in the event log (\(events.count) entries)")
                    return true
                }
                if events[head.seq - 1].hash != head.hash {
                    printError(
                        "report \(path): entry \(head.seq) of the event log has hash \(events[head.seq - 1].hash), the report was made from \(head.hash)"
                    )
                    return true
                }
            }
            let replayed = ReplayedRecords(replaying: events, upTo: head.seq).records
            let loader = ParticipationLoader(store: opened, location: store.location)
            let records = try await loader.records(
                from: stamp.from, through: stamp.through, core: stamp.core, replayed: replayed)
            let summary = ParticipationSummary(
                records: records, from: stamp.from, through: stamp.through, madeAt: stamp.madeAt, office: stamp.office,
                body: stamp.body)
            let again = ParticipationReport(summary: summary, stamp: stamp).rendered()
            if again == data {
                printOut(
                    "report \(path): matches the records at chain head \(head.seq) (\(stamp.format.rawValue), \(stamp.from)..\(stamp.through), made \(stamp.madeAt)Z)\n"
                )
                return false
            }
            // Lines end in CRLF (CSV) or LF; "\r\n" is one Character, and a newline.
            let old = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            let new = String(decoding: again, as: UTF8.self).split(
                omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            let line = (0..<min(old.count, new.count)).first { old[$0] != new[$0] } ?? min(old.count, new.count)
            printError("report \(path): does NOT match the records at chain head \(head.seq)")
            printError("  first difference in line \(line + 1):")
            printError("  report:  \(line < old.count ? String(old[line].prefix(200)) : "(end of file)")")
            printError("  records: \(line < new.count ? String(new[line].prefix(200)) : "(end of file)")")
            printError("  (the report was edited, or bodies and offices were changed by a sync after it was made)")
            return true
        }
    }
}
