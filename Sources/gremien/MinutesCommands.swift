import ArgumentParser
import Coordination
import Foundation
import Publishing
import Storage

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
            let context = try await SessionContext(store: store)
            let (b, s, session, key) = try target.resolve(context)
            let attendance: [AttendanceEntry]
            let state: MinutesState?
            let agenda: [AgendaItem]
            let actions: [ActionItem]
            do {
                attendance = try await context.store.attendance(of: key)
                state = try await context.store.minutesState(of: key)
                agenda = try await context.store.agenda(of: key)
                actions = try await context.store.actionItems(of: b.id)
            } catch { throw CommandError(error.description) }
            let view = MinutesView(
                district: context.district, body: b, series: s, session: session, key: key, attendance: attendance,
                state: state, addedAgenda: agenda, actions: actions)
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
            let context = try await SessionContext(store: store)
            let (_, _, _, key) = try target.resolve(context)
            if try await context.minutesState(key)?.status == .approved {
                throw CommandError("the minutes of \(key) are already approved")
            }
            try await context.saveMinutes(
                MinutesState(session: key, status: .approved, time: now(), actor: currentActor()))
            printOut("approved the minutes of \(key); they are locked\n")
        }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reopen approved minutes; needs a reason.")
        @OptionGroup var target: SessionArguments
        @Option(help: "Why they are reopened (recorded).") var reason: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let reason = reason.trimmingCharacters(in: .whitespaces)
            guard !reason.isEmpty else { throw CommandError("--reason must not be empty") }
            let context = try await SessionContext(store: store)
            let (_, _, _, key) = try target.resolve(context)
            guard try await context.minutesState(key)?.status == .approved else {
                throw CommandError("the minutes of \(key) are a draft; only approved minutes are reopened")
            }
            try await context.saveMinutes(
                MinutesState(session: key, status: .draft, time: now(), actor: currentActor(), reason: reason))
            printOut("reopened the minutes of \(key) (\(reason))\n")
        }
    }
}

extension SessionContext {
    func minutesState(_ key: SessionKey) async throws -> MinutesState? {
        do { return try await store.minutesState(of: key) } catch { throw CommandError(error.description) }
    }

    func saveMinutes(_ state: MinutesState) async throws {
        do { try await store.save(state) } catch { throw CommandError(error.description) }
    }
}

/// The current UTC wall clock (commands only; the domain takes time as a parameter).
func now() -> LocalDateTime {
    LocalDateTime(localSeconds: Int64(Date().timeIntervalSince1970))
}
