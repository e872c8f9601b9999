import ArgumentParser
import Foundation
import Workflows

/// `gremien store`: the store as a whole.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Copy the store.",
        subcommands: [Backup.self]
    )

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
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
}
