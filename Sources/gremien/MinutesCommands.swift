import ArgumentParser
import Coordination
import Foundation
import Publishing
import Workflows

/// `gremien minutes`: the minutes template of a session, and its state (draft, approved).
struct MinutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minutes",
        abstract: "Print the minutes template of a session, filled in; approve or reopen the minutes.",
        discussion: """
              gremien minutes beirat-18d 2026-03-19                      # Markdown on stdout
              gremien minutes beirat-18d 2026-03-19 --format odt --out niederschrift.odt
              gremien minutes approve beirat-18d 2026-03-19
              gremien minutes reopen beirat-18d 2026-03-19 --reason "Anwesenheit korrigiert"
            Approved minutes are locked: attendance of that session cannot change until they are \
            reopened (with a reason, recorded in the store).
            """,
        subcommands: [Render.self, Approve.self, Reopen.self],
        defaultSubcommand: Render.self
    )

    struct Render: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "render", abstract: "Fill in the minutes template of a session (the default).")
        enum Format: String, ExpressibleByArgument, CaseIterable { case md, html, odt }
        @OptionGroup var target: SessionArguments
        @Option(help: "md, html or odt.") var format: Format = .md
        @Option(
            help: ArgumentHelp("Write to this file (required for odt; md and html go to stdout).", valueName: "FILE"))
        var out: String?
        @Option(help: ArgumentHelp("The templates folder.", valueName: "DIR")) var templates = "templates"
        @OptionGroup var store: StoreOptions

        func run() async throws {
            if format == .odt && out == nil { throw CommandError("--format odt needs --out FILE") }
            let session = try target.target()
            let view = try await call { try await store.workflows(.read).minutesView(session) }
            let renderer: MinutesRenderer
            do { renderer = try await MinutesRenderer(folder: templates) } catch {
                throw CommandError(error.description)
            }
            do {
                switch format {
                case .odt:
                    try renderer.writeODT(view, to: out ?? "")
                case .md, .html:
                    let text = try renderer.text(view, format: format == .md ? .md : .html)
                    if let out { try writeReplacing(text, to: out) } else { printOut(text) }
                }
            } catch let error as MinutesRenderer.RenderError {
                throw CommandError(error.description)
            }
            if let out { printError("gremien: wrote \(out)") }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve the minutes of a session; they are locked.")
        @OptionGroup var target: SessionArguments
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let session = try target.target()
            let state = try await call { try await store.workflows().approveMinutes(session, by: localOperator) }
            printOut("approved the minutes of \(state.session); they are locked\n")
        }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reopen approved minutes; needs a reason.")
        @OptionGroup var target: SessionArguments
        @Option(help: "Why they are reopened (recorded).") var reason: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CommandError("--reason must not be empty")
            }
            let session = try target.target()
            let state = try await call {
                try await store.workflows().reopenMinutes(session, reason: reason, by: localOperator)
            }
            printOut("reopened the minutes of \(state.session) (\(state.reason ?? ""))\n")
        }
    }
}
