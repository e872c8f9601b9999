import ArgumentParser
import Coordination
import Foundation
import Publishing
import Workflows

/// `gremien minutes`: the minutes template of a session, and its state (draft, approved).
struct MinutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minutes",
        abstract: "Write the minutes of a session, render them, approve, reopen, list their versions.",
        discussion: """
              gremien minutes beirat-18d 2026-03-19                      # Markdown on stdout
              gremien minutes beirat-18d 2026-03-19 --format odt --out niederschrift.odt
              gremien minutes write beirat-18d 2026-03-19 --began 15:05 --ended 16:40 --minute-taker "Paula Protokoll"
              gremien minutes write beirat-18d 2026-03-19 --item 3 --discussion "…" --results "…" [--not-public]
              gremien minutes vote beirat-18d 2026-03-19 --item 3 --subject "Empfehlung" --yes 5 --no 1 --abstentions 0 --quorum held
              gremien minutes show beirat-18d 2026-03-19 [--format json]
              gremien minutes approve beirat-18d 2026-03-19
              gremien minutes reopen beirat-18d 2026-03-19 --reason "Abstimmung nachgetragen"
              gremien minutes versions beirat-18d 2026-03-19
              gremien minutes beirat-18d 2026-03-19 --version 1 --format html --out fassung-1.html
            Item ids are those of `gremien agenda list`. Approving freezes everything in the minutes \
            (content, agenda, action items, attendance) as a new version whose SHA-256 goes into the \
            event log; nothing changes until they are reopened (with a reason). Every approved \
            version stays readable. No client names or case data in any text.
            """,
        subcommands: [
            Render.self, Show.self, Write.self, Vote.self, Unvote.self, Approve.self, Reopen.self, Versions.self,
        ],
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
        @Option(help: ArgumentHelp("An approved version (default: the current one).", valueName: "N"))
        var version: Int?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            if format == .odt && out == nil { throw CommandError("--format odt needs --out FILE") }
            let session = try target.target()
            let view = try await call { try await store.workflows(.read).minutesView(session, version: version) }
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
        static let configuration = CommandConfiguration(
            commandName: "approve", abstract: "Approve the minutes of a session; they are locked.")
        @OptionGroup var target: SessionArguments
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let session = try target.target()
            let state = try await call { try await store.workflows().approveMinutes(session, by: localOperator) }
            printOut(
                "approved the minutes of \(state.session) as version \(state.version ?? 0) (sha256 \(state.contentHash ?? "")); they are locked\n"
            )
        }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reopen", abstract: "Reopen approved minutes; needs a reason.")
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

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show what is written into the minutes of a session, with item ids and the revision.")
        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }
        @OptionGroup var target: SessionArguments
        @Option(help: "text or json.") var format: Format = .text
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let session = try target.target()
            let workflows = try await store.workflows(.read)
            let found = try await call { try await workflows.session(session) }
            let record = try await call { try await workflows.minutesRecord(of: found) }
            if format == .json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                printOut(String(decoding: try encoder.encode(record), as: UTF8.self) + "\n")
                return
            }
            var out = "minutes of \(found.name), revision \(record.revision)\n"
            if let b = record.began { out += "began \(b)" + (record.ended.map { ", ended \($0)" } ?? "") + "\n" }
            if let t = record.minuteTaker { out += "minute-taker: \(t)\n" }
            for (i, item) in record.items.enumerated() {
                out += "\n\(i + 1). \(item.text)  [id \(item.id)\(item.isPublic ? "" : ", not public")]\n"
                if !item.discussion.isEmpty { out += "   discussion: \(item.discussion)\n" }
                if !item.results.isEmpty { out += "   results: \(item.results)\n" }
                for (n, v) in item.votes.enumerated() {
                    out += "   vote \(n + 1): \(v.subject): \(v.yes) yes, \(v.no) no, \(v.abstentions) abstentions"
                    out += v.quorumHeld.map { $0 ? ", quorum held" : ", quorum missed" } ?? ""
                    out += "\n"
                }
            }
            printOut(out)
        }
    }

    struct Write: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "write",
            abstract: "Write into the minutes of a session: times, minute-taker, an item's discussion and results.")
        @OptionGroup var target: SessionArguments
        @Option(help: ArgumentHelp("Actual begin, HH:MM (empty: not recorded).", valueName: "TIME")) var began: String?
        @Option(help: ArgumentHelp("Actual end, HH:MM.", valueName: "TIME")) var ended: String?
        @Option(help: ArgumentHelp("Who took the minutes.", valueName: "NAME")) var minuteTaker: String?
        @Option(help: ArgumentHelp("The agenda item's id (gremien agenda list).", valueName: "ID")) var item: Int?
        @Option(help: "The record of the discussion (with --item).") var discussion: String?
        @Option(help: "Results and decisions (with --item).") var results: String?
        @Flag(help: "The item is not public (with --item).") var notPublic = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let session = try target.target()
            let workflows = try await store.workflows()
            var edits: [Workflows.MinutesEdit] = []
            // What is written already: the fields not given stay as they are.
            let record =
                began != nil || ended != nil || item != nil
                ? try await call { try await workflows.minutesRecord(session) } : nil
            if let record, began != nil || ended != nil {
                edits.append(.times(began: began ?? record.began ?? "", ended: ended ?? record.ended ?? ""))
            }
            if let minuteTaker { edits.append(.minuteTaker(minuteTaker)) }
            if let item, let record {
                guard let stored = record.item(item) else {
                    throw CommandError(
                        "there is no agenda item \(item); items: \(record.items.map { "\($0.id)" }.joined(separator: ", "))"
                    )
                }
                edits.append(
                    .item(
                        id: item, discussion: discussion ?? stored.discussion, results: results ?? stored.results,
                        isPublic: !notPublic))
            } else if discussion != nil || results != nil || notPublic {
                throw CommandError("--discussion, --results and --not-public need --item ID")
            }
            guard !edits.isEmpty else {
                throw CommandError("nothing to write: give --began/--ended, --minute-taker or --item with its text")
            }
            let written = try await call { try await workflows.editMinutes(session, .batch(edits), by: localOperator) }
            printOut("wrote the minutes of \(written.session) (revision \(written.revision))\n")
        }
    }

    struct Vote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vote", abstract: "Record a vote under an agenda item.")
        enum Quorum: String, ExpressibleByArgument, CaseIterable { case held, missed }
        @OptionGroup var target: SessionArguments
        @Option(help: ArgumentHelp("The agenda item's id.", valueName: "ID")) var item: Int
        @Option(help: "What was voted on.") var subject: String
        @Option var yes: Int
        @Option var no: Int
        @Option var abstentions: Int = 0
        @Option(help: "For bodies with a quorum rule: held or missed at the vote.") var quorum: Quorum?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let session = try target.target()
            let vote = MinutesRecord.Vote(
                subject: subject, yes: yes, no: no, abstentions: abstentions, quorumHeld: quorum.map { $0 == .held })
            let record = try await call {
                try await store.workflows().editMinutes(session, .addVote(item: item, vote), by: localOperator)
            }
            printOut("vote recorded under item \(item): \(vote.outcome) (revision \(record.revision))\n")
        }
    }

    struct Unvote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unvote", abstract: "Remove a vote recorded by mistake (its number from minutes show).")
        @OptionGroup var target: SessionArguments
        @Option(help: ArgumentHelp("The agenda item's id.", valueName: "ID")) var item: Int
        @Option(help: ArgumentHelp("The vote's number under the item, from 1.", valueName: "N")) var vote: Int
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let session = try target.target()
            let record = try await call {
                try await store.workflows().editMinutes(
                    session, .removeVote(item: item, index: vote - 1), by: localOperator)
            }
            printOut("vote \(vote) removed from item \(item) (revision \(record.revision))\n")
        }
    }

    struct Versions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "versions", abstract: "List the approved versions of a session's minutes.")
        @OptionGroup var target: SessionArguments
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let session = try target.target()
            let (found, versions) = try await call { try await store.workflows(.read).minutesVersions(session) }
            guard !versions.isEmpty else {
                printOut("the minutes of \(found.name) were never approved\n")
                return
            }
            printOut(
                versions.map { "version \($0.number): approved \($0.approved)Z by \($0.actor), sha256 \($0.hash)\n" }
                    .joined())
        }
    }
}
