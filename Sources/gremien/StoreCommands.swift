import ArgumentParser
import Foundation
import Storage
import Workflows

/// `gremien store`: the store as a whole.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Copy the store.",
        subcommands: [Backup.self, Copy.self]
    )

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backup",
            abstract: "Write a consistent copy of the store to a new file, also while the server runs.",
            discussion: """
                A plain cp of a store in use can miss what is still in its write-ahead log \\
                (gremien.sqlite-wal). backup copies one consistent state into a single file \\
                that gremien reads like any store (--store sqlite:FILE), e.g. for the auditors.
                  gremien store backup --to gremien-2026-11-30.sqlite
                """
        )

        @OptionGroup var store: StoreOptions

        @Option(help: ArgumentHelp("The new file; it must not exist yet.", valueName: "FILE"))
        var to: String

        func run() async throws {
            let workflows = try await store.workflows(.read)
            try await call { try await workflows.backupStore(to: to, by: localOperator) }
            printOut("copied \(store.location) to \(to)\n")
        }
    }

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy a district's store into an empty store of another kind (SQLite to PostgreSQL and back).",
            discussion: """
                Everything is copied in one transaction: definitions, sessions, attendance, minutes, \
                seats, people, accounts, tokens, the outbox, the change log and the event log. The copy \
                is then checked as gremien audit verify does, and must end in the source's chain head. \
                Stop the servers on the source first: what they write during the copy is not in it.
                  gremien store copy --from sqlite:gremien.sqlite --to postgresql://gremien@db.kreis.local:5432/gremien
                  gremien store copy --from postgresql://gremien@db.kreis.local/gremien --to sqlite:rueckweg.sqlite
                The password comes from PGPASSWORD or ~/.pgpass, never from the address.
                """
        )

        @Option(help: ArgumentHelp("The store to copy.", valueName: "URL"))
        var from: String

        @Option(
            help: ArgumentHelp(
                "The empty store to copy into (a new SQLite file, or an empty database).", valueName: "URL"))
        var to: String

        func run() async throws {
            let source = Workflows(store: try await openStore(from, .read), location: from)
            let destination = try await openStore(to, .create)
            let copy = try await call { try await source.copyStore(to: destination, named: to, by: localOperator) }
            let rows = copy.counts.reduce(0) { $0 + $1.rows }
            let tables = copy.counts.filter { $0.rows > 0 }.map { "\($0.table) \($0.rows)" }.joined(separator: ", ")
            printOut(
                "copied \(from) to \(to): \(rows) rows (\(tables))\n"
                    + "the copy's event log: \(copy.verification.entries) entries, chain intact, head "
                    + "\(copy.verification.head), as in the source\n")
        }
    }
}
