import ArgumentParser
import Coordination
import Foundation
import Workflows

/// `gremien account invite|list|reset-password`: accounts for the web pages.
struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Open accounts for the web pages, list them, reset a password.",
        subcommands: [Invite.self, List.self, ResetPassword.self]
    )

    /// Where the printed links lead.
    struct LinkOptions: ParsableArguments {
        @Option(
            name: .customLong("url"),
            help: ArgumentHelp("The server's address as people open it.", valueName: "URL"))
        var url = "http://127.0.0.1:8080"
    }

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "invite",
            abstract: "Open (or change) a person's account and print a one-time sign-in link.",
            discussion: """
                Every person with an account sees their own calendar (staff). Roles add to that: \
                coordinator (of the --body bodies: sessions, attendance, agenda, minutes, action \
                items), auditor (reports, verification, change log), admin (accounts, people, \
                tokens). The link works once, for 72 hours; after it the person sets a password. \
                Inviting again changes the roles and makes a new link (the old one stops working).
                  gremien account invite --person "Anna Beispiel" --role coordinator --body ag-78
                  gremien account invite --person "Jonas Prüfer" --role auditor --email jonas.pruefer@kreis.example
                """)
        @Option(help: "The member of staff (gremien person add).") var person: String
        @Option(help: ArgumentHelp("coordinator, auditor or admin; repeatable. None: staff.", valueName: "ROLE"))
        var role: [AccessToken.Role] = []
        @Option(help: ArgumentHelp("A body the person coordinates; repeatable.", valueName: "ID")) var body: [String] =
            []
        @Option(help: "The e-mail address to sign in with (default: the one of the staff records).") var email: String?
        @OptionGroup var link: LinkOptions
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let request = Workflows.AccountRequest(person: person, email: email, roles: role, bodies: body)
            let issued = try await call { try await store.workflows().invite(request, by: localOperator) }
            printError(
                "account of \(issued.name) [\(issued.account.person)] (\(issued.account.email)): \(rolesWords(issued.account)); "
                    + "one-time sign-in link, valid until \(issued.expires)Z:")
            printOut(issued.url(base: link.url) + "\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the accounts (never a password).")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let workflows = try await store.workflows(.read)
            let accounts = try await call { try await workflows.accounts(by: localOperator) }
            let names = try await call { try await workflows.people() }.reduce(into: [String: String]()) {
                $0[$1.id] = $1.name
            }
            var out =
                "PERSON                NAME                      EMAIL                               ROLES                      PASSWORD\n"
            for a in accounts {
                out +=
                    [
                        a.person.padding(toLength: 21, withPad: " ", startingAt: 0),
                        (names[a.person] ?? "-").padding(toLength: 25, withPad: " ", startingAt: 0),
                        a.email.padding(toLength: 35, withPad: " ", startingAt: 0),
                        rolesWords(a).padding(toLength: 26, withPad: " ", startingAt: 0),
                        a.passwordHash == nil ? "not set" : "set",
                    ].joined(separator: " ") + "\n"
            }
            printOut(out)
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Take a person's password away, sign them out and print a new one-time link.")
        @Option(help: "The person whose password is reset.") var person: String
        @OptionGroup var link: LinkOptions
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let issued = try await call { try await store.workflows().resetPassword(person: person, by: localOperator) }
            printError("password of \(person) reset; one-time sign-in link, valid until \(issued.expires)Z:")
            printOut(issued.url(base: link.url) + "\n")
        }
    }
}

/// `coordinator (ag-78), admin`, or `staff`.
func rolesWords(_ a: Account) -> String {
    guard !a.roles.isEmpty else { return "staff" }
    return a.roles.map { $0 == .coordinator ? "coordinator (\(a.bodies.joined(separator: ",")))" : $0.rawValue }
        .joined(separator: ", ")
}
