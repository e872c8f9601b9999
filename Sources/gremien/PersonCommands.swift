import ArgumentParser
import Coordination
import Foundation
import Workflows

/// `gremien person add|list`: the staff records (personal data: only in the store and records).
struct PersonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "person",
        abstract: "Keep the staff records used in attendance lists (never in public feeds).",
        subcommands: [Add.self, List.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a member of staff, or update one of that name.")
        @Argument(help: "Full name, as on the signed attendance list.") var name: String
        @Option(help: "The office (id) the person works for.") var office: String
        @Option(help: "Level: AL, SGL, TL or staff.") var level: String
        @Option(help: "E-mail address.") var email: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            guard let l = Membership.Level(rawValue: level) else {
                throw CommandError("--level '\(level)' is not allowed; allowed: AL, SGL, TL, staff")
            }
            let person = try await call {
                try await store.workflows().savePerson(
                    name: name, office: office, level: l, email: email, by: localOperator)
            }
            printOut("saved \(person.name) (\(person.office), \(person.level.rawValue))\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the staff records.")
        @Option(help: "Only this office.") var office: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let people = try await call { try await store.workflows(.read).people(office: office) }
            for p in people {
                printOut("\(p.name)\t\(p.office)\t\(p.level.rawValue)\t\(p.email ?? "")\n")
            }
        }
    }
}
