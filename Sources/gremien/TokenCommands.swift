import ArgumentParser
import Coordination
import Foundation
import Platform
import Workflows

/// `gremien token issue|list|revoke`: private feed and API tokens.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Issue, list and revoke private-feed and API tokens (only their SHA-256 is stored).",
        subcommands: [Issue.self, List.self, Revoke.self]
    )

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue",
            abstract: "Issue a token and print it once.",
            discussion: """
                A feed token gives the person a private feed of the bodies of their office (or \
                those named with --body) that stops when the office's seat ends. An API token \
                needs a role: coordinator (writes attendance, session changes and minutes of the \
                --body bodies), auditor (reads), admin (manages tokens).
                  gremien token issue --person "Anna Beispiel" --kind feed
                  gremien token issue --person "Anna Beispiel" --kind api --role coordinator --body ag-78
                """)
        @Option(help: "The member of staff (gremien person add).") var person: String
        @Option(help: "feed or api.") var kind: AccessToken.Kind
        @Option(help: "For API tokens: coordinator, auditor or admin.") var role: AccessToken.Role?
        @Option(help: ArgumentHelp("A body the token is for; repeatable.", valueName: "ID")) var body: [String] = []
        @Option(help: ArgumentHelp("Last day the token works, YYYY-MM-DD.", valueName: "DATE")) var expires: String?
        @OptionGroup var store: StoreOptions

        func validate() throws {
            if kind == .api && role == nil {
                throw ValidationError("an API token needs --role coordinator|auditor|admin")
            }
            if kind == .feed && role != nil { throw ValidationError("--role is for API tokens only") }
            if role == .coordinator && body.isEmpty { throw ValidationError("a coordinator token needs --body ID") }
        }

        func run() async throws {
            let request = Workflows.TokenRequest(
                person: person, kind: kind, role: role, bodies: body,
                expires: try expires.map { try parseDay($0, option: "--expires") })
            let issued = try await call { try await store.workflows().issueToken(request, by: localOperator) }
            printError(
                "issued \(issued.token.id) (\(kind.rawValue)\(role.map { ", \($0.rawValue)" } ?? "")) for \(person); shown once, keep it safe:"
            )
            printOut(issued.secret + "\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List tokens with their last use (never the secrets).")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let workflows = try await store.workflows(.read)
            let tokens = try await call { try await workflows.tokens(by: localOperator) }
            let names = try await call { try await workflows.people() }.reduce(into: [String: String]()) {
                $0[$1.id] = $1.name
            }
            let now = WallClock.system.now()
            var out =
                "ID            KIND  ROLE         PERSON                NAME                      BODIES            LAST USED            STATE\n"
            for t in tokens {
                let state = t.revoked != nil ? "revoked" : (t.isActive(at: now) ? "active" : "expired")
                out +=
                    [
                        t.id.padding(toLength: 13, withPad: " ", startingAt: 0),
                        t.kind.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0),
                        (t.role?.rawValue ?? "-").padding(toLength: 12, withPad: " ", startingAt: 0),
                        t.person.padding(toLength: 21, withPad: " ", startingAt: 0),
                        (names[t.person] ?? "-").padding(toLength: 25, withPad: " ", startingAt: 0),
                        (t.bodies.isEmpty ? "-" : t.bodies.joined(separator: ",")).padding(
                            toLength: 17, withPad: " ", startingAt: 0),
                        (t.lastUsed.map { "\($0)Z" } ?? "never").padding(toLength: 20, withPad: " ", startingAt: 0),
                        state,
                    ].joined(separator: " ") + "\n"
            }
            printOut(out)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke a token; it is refused from then on.")
        @Argument(help: "The token's id (t-…), from gremien token list.") var id: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await call { try await store.workflows().revokeToken(id, by: localOperator) }
            printOut("revoked \(id)\n")
        }
    }
}

extension AccessToken.Kind: ExpressibleByArgument {}
extension AccessToken.Role: ExpressibleByArgument {}
