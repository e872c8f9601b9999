import ArgumentParser
import Coordination
import Foundation

/// The `gremien` command line: one subcommand per task of a coordinator, staff member or auditor.
@main
struct Gremien: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gremien",
        abstract: "Plan the recurring bodies of the social-service offices and publish their sessions.",
        discussion: """
            Gremien models the bodies (Gremien) in which Sozialamt, Jugendamt, job-com and their \
            partners work together, expands their sessions and publishes them as iCalendar feeds. \
            Bodies are defined in calendars/ (gremien validate) and synced into a store, \
            gremien.sqlite (gremien sync), where single sessions are changed, attendance is \
            recorded and minutes are kept. Auditors get participation per office, per pair of \
            offices and per body (gremien report participation) and check the hash-chained \
            record behind it (gremien audit verify). gremien serve publishes the feeds over HTTP \
            (ETag, gzip, private feeds with tokens), a JSON API and the coordinators' web pages.
              scripts/run                          # validate, sync and write the feeds
              gremien sessions --office jc         # the coming eight weeks of the job-com
              gremien report participation --from 2026-01-01 --to 2026-12-31 --out teilnahme.csv
            """,
        version: "0.4.0",
        subcommands: [
            Validate.self, Sessions.self, Generate.self, Sync.self, SessionCommand.self, PersonCommand.self,
            SeatCommand.self,
            AttendanceCommand.self, MinutesCommand.self, AgendaCommand.self, ActionCommand.self, ReportCommand.self,
            AuditCommand.self, TokenCommand.self, AccountCommand.self, MailCommand.self, ImipCommand.self,
            StoreCommand.self,
            Serve.self,
            Expand.self,
        ]
    )

    static func main() async {
        do { try refuseControlCharacters(Array(CommandLine.arguments.dropFirst())) } catch { exit(withError: error) }
        await main(nil)
    }

    /// Control characters in an argument (a pasted name, a reason) would end up in the store,
    /// feeds and minutes; they are refused before anything is parsed. Tabs and line breaks pass
    /// here; the fields that must be one line refuse line breaks themselves.
    static func refuseControlCharacters(_ arguments: [String]) throws {
        for (i, argument) in arguments.enumerated() {
            let field =
                "argument \(i + 1)" + (i > 0 && arguments[i - 1].hasPrefix("-") ? " (after \(arguments[i - 1]))" : "")
            if let problem = ControlCharacters.problem(in: argument, field: field, multiline: true) {
                throw CommandError(problem)
            }
        }
    }
}

extension Gremien {
    /// What a command run in process printed, and its exit status.
    struct InProcess: Sendable {
        var status: Int32
        var out: String
        var err: String
    }

    /// Parses and runs a command line in this process, its output captured, its error shown and
    /// mapped to an exit status as `gremien` does (the tests).
    static func runInProcess(_ arguments: [String]) async -> InProcess {
        let out = Captured()
        let err = Captured()
        let status: Int32 = await Console.$current.withValue(Console(out: out.append, err: err.append)) {
            do {
                try refuseControlCharacters(arguments)
                var command = try parseAsRoot(arguments)
                if var async = command as? any AsyncParsableCommand {
                    try await async.run()
                } else {
                    try command.run()
                }
                return 0
            } catch {
                let message = fullMessage(for: error)
                let code = exitCode(for: error).rawValue
                if !message.isEmpty { (code == 0 ? out : err).append(Data((message + "\n").utf8)) }
                return code
            }
        }
        return InProcess(status: status, out: out.text, err: err.text)
    }
}

/// Bytes written by a command run in process.
final class Captured: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = Data()

    func append(_ data: Data) {
        lock.lock()
        bytes.append(data)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
