import ArgumentParser
import Coordination
import Foundation
import Workflows

/// `gremien agenda add`: an agenda item for one session, besides the series' standing items.
struct AgendaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agenda", abstract: "List, add, move and remove the agenda items of a session.",
        discussion: """
              gremien agenda list ag-78 2026-03-10                  # numbered, with each item's id
              gremien agenda add ag-78 2026-03-10 "Jugendhilfeplanung 2027"   # before "Verschiedenes"
              gremien agenda move ag-78 2026-03-10 3 --up
              gremien agenda remove ag-78 2026-03-10 4              # items added for the session only
            Positions count from 1 over every item, standing ones too. Until the minutes are approved.
            """,
        subcommands: [List.self, Add.self, Move.self, Remove.self])

    /// Changes the agenda and prints it, numbered.
    static func edit(_ session: SessionTarget, _ edit: Workflows.AgendaEdit, _ store: StoreOptions) async throws {
        let texts = try await call { try await store.workflows().editAgenda(session, edit, by: localOperator) }
        printOut(texts.enumerated().map { "\($0.offset + 1). \($0.element)\n" }.joined())
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the agenda of a session, numbered.")
        @OptionGroup var target: SessionArguments
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let session = try target.target()
            let workflows = try await store.workflows(.read)
            let record = try await call { try await workflows.minutesRecord(session) }
            var out = ""
            for (i, item) in record.items.enumerated() {
                out +=
                    "\(i + 1). \(item.text)  [id \(item.id)\(item.standing ? ", standing" : "")\(item.isPublic ? "" : ", not public")]\n"
            }
            printOut(out.isEmpty ? "no agenda items\n" : out)
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "move", abstract: "Move an agenda item up or down by one.")
        @OptionGroup var target: SessionArguments
        @Argument(help: "The item's number (from 1, as agenda list shows it).") var position: Int
        @Flag(help: "Up or down.") var direction: Direction
        @OptionGroup var store: StoreOptions

        enum Direction: String, EnumerableFlag { case up, down }

        func run() async throws {
            let session = try target.target()
            try await AgendaCommand.edit(
                session, direction == .up ? .moveUp(position - 1) : .moveDown(position - 1), store)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Remove an item added for the session.")
        @OptionGroup var target: SessionArguments
        @Argument(help: "The item's number (from 1, as agenda list shows it).") var position: Int
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let session = try target.target()
            try await AgendaCommand.edit(session, .remove(position - 1), store)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add an agenda item to a session.")
        @OptionGroup var target: SessionArguments
        @Argument(help: "The item (no client names or case data).") var text: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let session = try target.target()
            let item = try await call {
                try await store.workflows().addAgendaItem(session, text: text, by: localOperator)
            }
            printOut("added to the agenda of \(item.session): \(item.text)\n")
        }
    }
}

/// `gremien action add|done|list`: agreements of a session (who does what by when).
struct ActionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "action",
        abstract: "Record action items agreed in a session; open ones carry over into later minutes.",
        discussion: """
              gremien action add ag-78 2026-03-10 "Entwurf Jugendhilfeplan vorlegen" --office ja-k --due 2026-05-01
              gremien action done 3
              gremien action list ag-78 --open
            """,
        subcommands: [Add.self, Done.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Record an action item agreed in a session.")
        @OptionGroup var target: SessionArguments
        @Argument(help: "What is to be done (no client names or case data).") var text: String
        @Option(help: "The office responsible.") var office: String
        @Option(help: ArgumentHelp("Due date, YYYY-MM-DD.", valueName: "DATE")) var due: String?
        @Option(help: ArgumentHelp("The id of the agenda item it was agreed under (agenda list).", valueName: "ID"))
        var item: Int?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let dueDate = try due.map { try parseDay($0, option: "--due") }
            let session = try target.target()
            let stored = try await call {
                try await store.workflows().addActionItem(
                    session, text: text, office: office, due: dueDate, agendaItem: item, by: localOperator)
            }
            printOut("action item \(stored.id ?? 0) for \(office): \(stored.text)\n")
        }
    }

    struct Done: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "done", abstract: "Mark an action item done.")
        @Argument(help: "The item's number.") var id: Int
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await call { try await store.workflows().closeActionItem(id, by: localOperator) }
            printOut("action item \(id) done\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the action items of a body.")
        @Argument(help: "The body's id.") var body: String
        @Flag(help: "Only the open ones.") var open = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let items = try await call { try await store.workflows(.read).actionItems(of: body, open: open) }
            for item in items {
                let state = item.done.map { "done \($0.date)" } ?? "open"
                printOut(
                    "\(item.id ?? 0)\t\(item.session.date)\t\(item.office)\t\(item.due?.description ?? "-")\t\(state)\t\(item.text)\n"
                )
            }
        }
    }
}
