import ArgumentParser
import Coordination
import Foundation
import Workflows

/// `gremien agenda add`: an agenda item for one session, besides the series' standing items.
struct AgendaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agenda", abstract: "Add agenda items to a session (printed in its minutes).",
        subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an agenda item to a session.")
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
        static let configuration = CommandConfiguration(abstract: "Record an action item agreed in a session.")
        @OptionGroup var target: SessionArguments
        @Argument(help: "What is to be done (no client names or case data).") var text: String
        @Option(help: "The office responsible.") var office: String
        @Option(help: ArgumentHelp("Due date, YYYY-MM-DD.", valueName: "DATE")) var due: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let dueDate = try due.map { try parseDay($0, option: "--due") }
            let session = try target.target()
            let stored = try await call {
                try await store.workflows().addActionItem(
                    session, text: text, office: office, due: dueDate, by: localOperator)
            }
            printOut("action item \(stored.id ?? 0) for \(office): \(stored.text)\n")
        }
    }

    struct Done: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark an action item done.")
        @Argument(help: "The item's number.") var id: Int
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await call { try await store.workflows().closeActionItem(id, by: localOperator) }
            printOut("action item \(id) done\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the action items of a body.")
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
