import ArgumentParser
import Coordination
import Foundation
import Storage

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
            let name = name.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw CommandError("the name must not be empty") }
            guard let l = Membership.Level(rawValue: level) else {
                throw CommandError("--level '\(level)' is not allowed; allowed: AL, SGL, TL, staff")
            }
            let context = try await SessionContext(store: store)
            guard context.district.office(office) != nil else {
                let known = context.district.offices.map(\.id).joined(separator: ", ")
                throw CommandError("unknown office '\(office)'; known offices: \(known)")
            }
            let now = LocalDateTime(localSeconds: Int64(Date().timeIntervalSince1970))
            do {
                try await context.store.save(
                    Person(name: name, office: office, level: l, email: email), at: now, actor: currentActor())
            } catch { throw CommandError(error.description) }
            printOut("saved \(name) (\(office), \(l.rawValue))\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the staff records.")
        @Option(help: "Only this office.") var office: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let people: [Person]
            do { people = try await store.open().people() } catch let e as StorageError {
                throw CommandError(e.description)
            }
            for p in people where office == nil || p.office == office {
                printOut("\(p.name)\t\(p.office)\t\(p.level.rawValue)\t\(p.email ?? "")\n")
            }
        }
    }
}
