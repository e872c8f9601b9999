import Foundation
import Testing

/// `gremien token issue|list|revoke` as an admin runs them; only the hash reaches the store.
struct TokenCommandTests {
    @Test func issueListRevokeAndOnlyTheHashIsStored() async throws {
        let w = try await AttendanceCommandTests.workspace()
        defer { w.remove() }
        let issued = await w.run([
            "token", "issue", "--person", "Anna Beispiel", "--kind", "api", "--role", "coordinator", "--body", "runde",
        ])
        #expect(issued.status == 0)
        let secret = issued.out.trimmingCharacters(in: .newlines)
        #expect(secret.hasPrefix("ga_") && secret.count == 46)
        #expect(issued.err.contains("(api, coordinator) for Anna Beispiel; shown once"))
        let feed = await w.run(["token", "issue", "--person", "Ben Vertreter", "--kind", "feed", "--body", "beirat"])
        #expect(feed.status == 0 && feed.out.hasPrefix("gf_"))
        let list = await w.run(["token", "list"])
        #expect(list.out.contains("api   coordinator  anna-beispiel         Anna Beispiel             runde"))
        #expect(list.out.contains("feed  -            ben-vertreter         Ben Vertreter             beirat"))
        #expect(!list.out.contains(secret))
        // The store holds the SHA-256 of the secret, never the secret.
        let db = w.database
        let dump = try CommandLineTests.program("sqlite3", [db, ".dump"])
        #expect(!dump.out.contains(secret))
        let hash = try CommandLineTests.program("sh", ["-c", "printf %s '\(secret)' | sha256sum | cut -d' ' -f1"])
        #expect(dump.out.contains(hash.out.trimmingCharacters(in: .whitespacesAndNewlines)))
        let id = try #require(issued.err.split(separator: " ").dropFirst().first)
        #expect(await w.run(["token", "revoke", String(id)]).out == "revoked \(id)\n")
        #expect(await w.run(["token", "list"]).out.contains("revoked"))
        let again = await w.run(["token", "revoke", String(id)])
        #expect(again.status == 1 && again.err.contains("there is no active token \(id)"))
    }

    @Test(arguments: [
        (
            ["--person", "Nobody", "--kind", "feed"],
            "Error: Nobody is not in the staff records; add with: gremien person add\n"
        ),
        (["--person", "Anna Beispiel", "--kind", "api"], "Error: an API token needs --role coordinator|auditor|admin"),
        (
            ["--person", "Anna Beispiel", "--kind", "api", "--role", "coordinator"],
            "Error: a coordinator token needs --body ID"
        ),
        (
            ["--person", "Ben Vertreter", "--kind", "feed", "--body", "runde"],
            "Error: aa (office of Ben Vertreter) has no seat in runde\n"
        ),
        (
            ["--person", "Anna Beispiel", "--kind", "api", "--role", "auditor", "--body", "nope"],
            "Error: unknown body 'nope'"
        ),
    ])
    func badIssuesAreRefused(_ arguments: [String], _ message: String) async throws {
        let w = try await AttendanceCommandTests.workspace()
        defer { w.remove() }
        let r = await w.run(["token", "issue"] + arguments)
        #expect(r.status != 0)
        #expect(r.err.hasPrefix(message), "\(r.err)")
        #expect(await w.run(["token", "list"]).out.split(separator: "\n").count == 1)
    }
}
