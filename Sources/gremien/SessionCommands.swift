import ArgumentParser
import Coordination
import Foundation
import Storage
import Workflows

/// `gremien session cancel|move|add|reinstate|remove`: change single sessions; recorded in the
/// store with who and when.
struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract:
            "Cancel, move, add, reinstate or remove a single session; recorded in the store with who, when and why.",
        discussion: """
            Works on the store (run gremien sync --apply first). Subscribers see the change at \
            their next refresh after gremien generate: a cancelled session disappears (EXDATE), \
            a moved one shows at its new time, an added one appears; the event's SEQUENCE rises.
              gremien session cancel ag-78 2026-03-10 --reason "Personalversammlung"
              gremien session move ag-78 2026-04-14 --to 2026-04-16T14:00 --location "Raum B 001"
              gremien session add praeventionsteam 2026-05-07T10:00 --kind Fallbesprechung --duration 60
              gremien session reinstate ag-78 2026-03-10 --reason "Versammlung verschoben"
              gremien session remove praeventionsteam 2026-05-07 --reason "doch nicht nötig"
            A session is named by its planned date or, when it was moved, the date it moved to. \
            Added sessions are cancelled and moved like planned ones; one that never took place \
            and has nothing recorded can be removed. A move or an addition that overlaps a \
            session of another body sharing an office, falls on an NRW public holiday, a closing \
            day or a weekend, lies after plan_until or in the past is not recorded: the warnings \
            are printed, and --force records it anyway. gremien sessions --conflicts lists every \
            overlap of a period.
            """,
        subcommands: [Cancel.self, Move.self, Add.self, Reinstate.self, Remove.self, Ladung.self]
    )

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel", abstract: "Cancel the session of a body on a date.")
        @OptionGroup var target: SessionArguments
        @Option(help: "Why it does not take place (shown to subscribers; no client data).") var reason: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CommandError("--reason must not be empty")
            }
            let session = try target.target()
            let workflows = try await store.workflows()
            let name = try await call { try await workflows.session(session).name }
            _ = try await call { try await workflows.cancel(session, reason: reason, by: localOperator) }
            printOut(
                "cancelled \(name) (\(reason.trimmingCharacters(in: .whitespaces))); run gremien generate to publish it\n"
            )
        }
    }

    struct Reinstate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reinstate",
            abstract: "Undo the cancellation or the move of a session: it takes place as planned again.")
        @OptionGroup var target: SessionArguments
        @Option(help: "Why (kept in the change log).") var reason: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let session = try target.target()
            let workflows = try await store.workflows()
            let name = try await call { try await workflows.session(session).name }
            _ = try await call { try await workflows.reinstate(session, reason: reason, by: localOperator) }
            printOut("reinstated \(name) at its planned time; run gremien generate to publish it\n")
        }
    }

    struct Ladung: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ladung",
            abstract: "Send the Ladung of a coming session now (date, place, agenda, documents, answer links).",
            discussion: """
                Without this, the Ladung goes out by itself `invitation_days:` (default 7) before the \
                session, with the next `gremien mail send` or the server's sender; the chair is told \
                when that was late. Once sent, it does not go out again.
                """)
        @OptionGroup var target: SessionArguments
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let session = try target.target()
            let workflows = try await store.workflows()
            let name = try await call { try await workflows.session(session).name }
            let sent = try await call { try await workflows.sendLadung(session, by: localOperator) }
            printOut(
                "the Ladung of \(name) is in the outbox for \(sent.recipients) seat holder\(sent.recipients == 1 ? "" : "s") "
                    + "(due \(sent.due)); gremien mail send or gremien serve --smtp sends it\n")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove an added session that never took place (nothing may be recorded for it).")
        @OptionGroup var target: SessionArguments
        @Option(help: "Why (kept in the change log).") var reason: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let session = try target.target()
            let workflows = try await store.workflows()
            let name = try await call { try await workflows.session(session).name }
            _ = try await call { try await workflows.remove(session, reason: reason, by: localOperator) }
            printOut("removed the added session \(name); run gremien generate to publish it\n")
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "move", abstract: "Move the session of a body on a date.")
        @OptionGroup var target: SessionArguments
        @Option(help: ArgumentHelp("New start, YYYY-MM-DDTHH:MM in the series' time zone.", valueName: "DATETIME"))
        var to: String
        @Option(help: "New place.") var location: String?
        @Option(help: "New length in minutes.") var duration: Int?
        @Option(help: "Why it moves.") var reason: String?
        @Flag(
            help:
                "Go ahead despite warnings (an overlap with a body sharing an office, a holiday, a weekend, after plan_until, a past day)."
        )
        var force = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            guard let newStart = LocalDateTime(iso: to) else {
                throw CommandError("--to '\(to)' is not a date and time; write YYYY-MM-DDTHH:MM, e.g. 2026-04-16T14:00")
            }
            let session = try target.target()
            let move = Workflows.Move(
                to: newStart, durationMinutes: duration, location: location, reason: reason, confirmed: force)
            let workflows = try await store.workflows()
            let name = try await call { try await workflows.session(session).name }
            let (_, reinstated) = try await call { try await workflows.move(session, move, by: localOperator) }
            if reinstated {
                printError("gremien: note: \(name) was cancelled; moving it reinstates it at the new time")
            }
            printOut("moved \(name) to \(newStart.description.prefix(16)); run gremien generate to publish it\n")
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a single session to a body (a case discussion, a crisis counselling talk).")
        @Argument(help: "The body's id.") var body: String
        @Argument(help: ArgumentHelp("Start, YYYY-MM-DDTHH:MM in the series' time zone.", valueName: "DATETIME"))
        var start: String
        @Option(help: "Length in minutes (default: the series').") var duration: Int?
        @Option(help: "Kind of meeting: Austausch, Fallbesprechung, Fortbildung, Konferenz or Sitzung.") var kind:
            String?
        @Option(help: "Title (no client names or case data).") var title: String?
        @Option(help: "Place (default: the series').") var location: String?
        @Option(help: "The series it belongs to (default: the body's first).") var series: String?
        @Flag(
            help:
                "Go ahead despite warnings (an overlap with a body sharing an office, a holiday, a weekend, after plan_until, a past day)."
        )
        var force = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            guard let begin = LocalDateTime(iso: start) else {
                throw CommandError("'\(start)' is not a date and time; write YYYY-MM-DDTHH:MM, e.g. 2026-05-07T10:00")
            }
            var meeting: Series.MeetingKind?
            if let kind {
                guard let k = Series.MeetingKind(rawValue: kind) else {
                    let allowed = Series.MeetingKind.allCases.map(\.rawValue).joined(separator: ", ")
                    throw CommandError("--kind '\(kind)' is not allowed; allowed: \(allowed)")
                }
                meeting = k
            }
            let addition = Workflows.Addition(
                body: body, start: begin, durationMinutes: duration, kind: meeting, title: title, location: location,
                series: series, confirmed: force)
            let change = try await call { try await store.workflows().add(addition, by: localOperator) }
            printOut(
                "added a session of \(change.body) at \(begin.description.prefix(16)); run gremien generate to publish it\n"
            )
        }
    }
}

/// The arguments that name one session: `BODY DATE [--series ID]`, DATE being the planned date.
struct SessionArguments: ParsableArguments {
    @Argument(help: "The body's id, e.g. ag-78.") var body: String
    @Argument(help: ArgumentHelp("The session's planned date, YYYY-MM-DD.", valueName: "DATE")) var date: String
    @Option(help: "The series, when the body has several sessions that day.") var series: String?

    /// The session these arguments name.
    func target() throws -> SessionTarget {
        SessionTarget(body: body, date: try parseDay(date), series: series)
    }
}
