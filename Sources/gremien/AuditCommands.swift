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
        subcommands: [Verify.self, Keygen.self, Anchor.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
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
                With --anchor FILE it also checks that the log still holds the entry an anchor \
                (gremien audit anchor) was written for, with the same hash: deleting the newest \
                entries together with their records leaves a chain that verifies on its own, but \
                not against an anchor kept outside the store.
                  gremien audit verify --anchor anker-2026-11.txt --auditor-key pruefung.pub
                """
        )

        @OptionGroup var store: StoreOptions

        @Option(help: ArgumentHelp("A report made by gremien report participation.", valueName: "FILE"))
        var report: String?

        @Option(help: ArgumentHelp("An anchor written by gremien audit anchor.", valueName: "FILE"))
        var anchor: String?

        @Option(
            name: .customLong("auditor-key"),
            help: ArgumentHelp(
                "The auditors' public key (gremien audit keygen); the anchor must be signed with it.",
                valueName: "FILE"))
        var auditorKey: String?

        func validate() throws {
            if auditorKey != nil && anchor == nil {
                throw ValidationError("--auditor-key checks an anchor; give --anchor FILE too")
            }
        }

        func run() async throws {
            let workflows = try await store.workflows(.read)
            // With a report, the check keeps the records at the report's head, so that the
            // report is checked without reading the log again. A file that is no report is
            // said so after the log's check, as before.
            let toCheck: Result<ReportToCheck<ReportFile>, WorkflowError>?
            do {
                toCheck = try report.map { path throws(ReportSourceError) in
                    let file = try ReportFile(path: path)
                    return Result { () throws(WorkflowError) in try workflows.reportToCheck(file, named: path) }
                }
            } catch { throw CommandError(error.description) }
            let kept = try? toCheck?.get().head.seq
            let result = try await call { try await workflows.verifyAudit(keepingReplayAt: kept) }
            var failed = false
            if result.isIntact {
                let r = result.counts
                printOut(
                    "event log: \(result.entries) entries, chain intact, head \(result.head)\n"
                        + "records match the log: \(r.attendance) attendance rows, "
                        + "\(r.sessionChanges) session changes, \(r.minutes) minutes states, "
                        + "\(r.seats) seats\n")
            } else {
                failed = true
                printError("event log: \(result.entries) entries; does NOT verify")
                for p in result.problems.prefix(20) { printError("  \(p)") }
                if result.problems.count > 20 { printError("  … and \(result.problems.count - 20) more") }
                if let first = result.problems.first { printError("first mismatch: \(first)") }
            }
            // Reports and anchors are checked against the log itself: the entry they name, and
            // for a report the records replayed up to it.
            if let anchor {
                let trusted = try auditorKey.map { path in
                    try readAnchorFile(path) { text throws(AnchorError) in
                        try AuditorKey.publicKey(text: text, named: path)
                    }
                }
                let read = try readAnchorFile(anchor) { text throws(AnchorError) in
                    try ChainAnchor(text: text, named: anchor, trusting: trusted)
                }
                switch try await call({ try await workflows.check(read) }) {
                case .holds(let head):
                    printOut("anchor \(anchor): the log holds entry \(head.seq) as anchored on \(read.time)\n")
                case .fails(let why):
                    printError("anchor \(anchor): does NOT hold: \(why)")
                    failed = true
                }
            }
            if let report, let toCheck {
                // Read as it is compared, not whole (a ten-year report in JSON is 94 MB).
                let check = try await call { try await workflows.checkReport(try toCheck.get(), chain: result) }
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

    struct Keygen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keygen",
            abstract: "Make the auditors' key pair for signing anchors.",
            discussion: """
                Writes the private key to FILE (readable only by you; keep it with the auditors, \
                not on the server) and the public key to FILE.pub (give it to whoever checks anchors).
                  gremien audit keygen --to pruefung.key
                """
        )

        @Option(help: ArgumentHelp("Where to write the private key; FILE.pub gets the public key.", valueName: "FILE"))
        var to: String

        func run() async throws {
            let key = AuditorKey()
            for path in [to, to + ".pub"] where FileManager.default.fileExists(atPath: path) {
                throw CommandError("\(path) exists already; a key is never overwritten, name a new file")
            }
            try writeReplacing(key.privateText, to: to, permissions: 0o600)
            try writeReplacing(key.publicText, to: to + ".pub")
            printOut("private key: \(to) (keep it with the auditors)\npublic key:  \(to).pub\n")
        }
    }

    struct Anchor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "anchor",
            abstract: "Sign the head of the event log and write it to a file the auditors keep.",
            discussion: """
                Verifies the chain, then writes its head (entry number and hash) with the time, \
                signed with the auditors' private key, to FILE. Keep the file outside the store \
                (with the auditors); gremien audit verify --anchor FILE later shows whether the log \
                still holds that entry unchanged.
                  gremien audit anchor --key pruefung.key --to anker-2026-11.txt
                """
        )

        @OptionGroup var store: StoreOptions

        @Option(help: ArgumentHelp("The auditors' private key (gremien audit keygen).", valueName: "FILE"))
        var key: String

        @Option(help: ArgumentHelp("Where to write the anchor.", valueName: "FILE"))
        var to: String

        func run() async throws {
            let signer = try readAnchorFile(key) { text throws(AnchorError) in
                try AuditorKey(privateText: text, named: key)
            }
            guard !FileManager.default.fileExists(atPath: to) else {
                throw CommandError("\(to) exists already; an anchor is never overwritten, name a new file")
            }
            let workflows = try await store.workflows(.read)
            let anchor = try await call { try await workflows.anchorAudit(signingWith: signer, by: localOperator) }
            try writeReplacing(anchor.text, to: to)
            printOut("anchor \(to): entry \(anchor.head.seq), hash \(anchor.head.hash), \(anchor.time)\n")
        }
    }
}

/// Reads a key or anchor file and parses it, turning either failure into a message.
private func readAnchorFile<T>(_ path: String, _ parse: (String) throws(AnchorError) -> T) throws -> T {
    guard let data = FileManager.default.contents(atPath: path) else { throw CommandError("cannot read \(path)") }
    do { return try parse(String(decoding: data, as: UTF8.self)) } catch { throw CommandError(error.description) }
}
