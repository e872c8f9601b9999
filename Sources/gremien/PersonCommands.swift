import ArgumentParser
import Coordination
import Foundation
import Workflows

/// `gremien person add|update|list`: the staff records (personal data: only in the store and records).
struct PersonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "person",
        abstract: "Keep the staff records: who holds seats, signs attendance lists and gets invitations.",
        discussion: """
            People have a stable id made from the name when they are added (a second person of \
            the same name gets -2); commands that name a person take the id, or a name only one \
            person has. Personal data lives only in the store, never in calendars/ or public feeds.
              gremien person add "Anna Beispiel" --office jc --level SGL --email anna.beispiel@kreis.example
              gremien person update anna-beispiel --office ja-k       # her seats for jc end yesterday
              gremien person update anna-beispiel --until 2027-03-31  # her last day; her seats end then
              gremien person list --office jc --format json
            """,
        subcommands: [Add.self, Update.self, List.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a member of staff; prints the new id on stdout.")
        @Argument(help: "Full name, as on the signed attendance list.") var name: String
        @Option(help: "The office (id) the person works for.") var office: String
        @Option(help: "Level: AL, SGL, TL or staff.") var level: String
        @Option(help: "Functional e-mail address.") var email: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let l = try parseLevel(level)
            let person = try await call {
                try await store.workflows().savePerson(
                    name: name, office: office, level: l, email: email, by: localOperator)
            }
            printOut("\(person.id)\n")
            printError("gremien: added \(person.name) (\(person.office), \(person.level.rawValue)) as \(person.id)")
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Change a member of staff: name, office (ends their seats), level, e-mail, last day.")
        @Argument(help: "The person's id (or a name only one person has).") var person: String
        @Option(help: "New name.") var name: String?
        @Option(help: "New office (id): the person's seats end the day before today.") var office: String?
        @Option(help: "New level: AL, SGL, TL or staff.") var level: String?
        @Option(help: "New e-mail address; empty removes it.") var email: String?
        @Option(help: ArgumentHelp("The last day the person works here; their seats end then.", valueName: "DATE"))
        var until: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let change = PersonChange(
                name: name, office: office, level: try level.map(parseLevel), email: email,
                until: try until.map { try parseDay($0, option: "--until") })
            let person = try await call {
                try await store.workflows().updatePerson(self.person, change, by: localOperator)
            }
            printOut(
                "updated \(person.id): \(person.name) (\(person.office), \(person.level.rawValue))"
                    + (person.until.map { ", last day \($0)" } ?? "") + "\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the staff records.")
        @Option(help: "Only this office.") var office: String?
        @Option(help: "Output format: table or json.") var format: ListFormat = .table
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let people = try await call { try await store.workflows(.read).people(office: office) }
            switch format {
            case .json:
                struct Row: Encodable {
                    var id, name, office, level: String
                    var email, until: String?
                    func encode(to encoder: any Encoder) throws {
                        var c = encoder.container(keyedBy: CodingKeys.self)
                        try c.encode(id, forKey: .id)
                        try c.encode(name, forKey: .name)
                        try c.encode(office, forKey: .office)
                        try c.encode(level, forKey: .level)
                        try c.encode(email, forKey: .email)
                        try c.encode(until, forKey: .until)
                    }
                    enum CodingKeys: String, CodingKey { case id, name, office, level, email, until }
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let rows = people.map {
                    Row(
                        id: $0.id, name: $0.name, office: $0.office, level: $0.level.rawValue, email: $0.email,
                        until: $0.until?.description)
                }
                printOut(String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n")
            case .table:
                for p in people {
                    printOut(
                        "\(p.id)\t\(p.name)\t\(p.office)\t\(p.level.rawValue)\t\(p.email ?? "")"
                            + (p.until.map { "\tuntil \($0)" } ?? "") + "\n")
                }
            }
        }
    }
}

/// `table` or `json`, for the listing commands.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}

func parseLevel(_ text: String) throws -> Membership.Level {
    guard let l = Membership.Level(rawValue: text) else {
        throw CommandError("--level '\(text)' is not allowed; allowed: AL, SGL, TL, staff")
    }
    return l
}
