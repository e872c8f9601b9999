import ArgumentParser
import Coordination
import Foundation
import Storage

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
            let text = text.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { throw CommandError("the agenda item must not be empty") }
            let context = try await SessionContext(store: store)
            let (b, _, session, key) = try target.resolve(context)
            if session.status == .cancelled {
                throw CommandError("\(b.id) on \(key.date) is cancelled; it has no agenda")
            }
            do {
                try await context.store.add(AgendaItem(session: key, text: text), at: now(), actor: currentActor())
            } catch {
                throw CommandError(error.description)
            }
            printOut("added to the agenda of \(key): \(text)\n")
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
            let text = text.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { throw CommandError("the action item must not be empty") }
            let dueDate = try due.map(parseDay)
            let context = try await SessionContext(store: store)
            let (b, _, session, key) = try target.resolve(context)
            if session.status == .cancelled {
                throw CommandError("\(b.id) on \(key.date) was cancelled; no action items were agreed in it")
            }
            guard b.members.contains(where: { $0.office == office }) else {
                let known = b.members.map(\.office).joined(separator: ", ")
                throw CommandError("office \(office) is not a member of \(b.id); members: \(known)")
            }
            let stored: ActionItem
            do {
                stored = try await context.store.add(
                    ActionItem(session: key, text: text, office: office, due: dueDate), at: now(), actor: currentActor()
                )
            } catch { throw CommandError(error.description) }
            printOut("action item \(stored.id ?? 0) for \(office): \(text)\n")
        }
    }

    struct Done: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark an action item done.")
        @Argument(help: "The item's number.") var id: Int
        @OptionGroup var store: StoreOptions

        func run() async throws {
            do { try await store.open().closeActionItem(id, at: now(), actor: currentActor()) } catch let e
                as StorageError
            {
                throw CommandError(e.description)
            }
            printOut("action item \(id) done\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the action items of a body.")
        @Argument(help: "The body's id.") var body: String
        @Flag(help: "Only the open ones.") var open = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let items: [ActionItem]
            do { items = try await store.open().actionItems(of: body) } catch let e as StorageError {
                throw CommandError(e.description)
            }
            for item in items where !open || item.done == nil {
                let state = item.done.map { "done \($0.date)" } ?? "open"
                printOut(
                    "\(item.id ?? 0)\t\(item.session.date)\t\(item.office)\t\(item.due?.description ?? "-")\t\(state)\t\(item.text)\n"
                )
            }
        }
    }
}
