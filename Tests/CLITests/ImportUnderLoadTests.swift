import Foundation
import GremienTestSupport
import Testing

/// The hardening review (issue 12): during an import, 117 of 195 API writes failed with a 500
/// ("SQLite error 5: database is locked"). Here an import of 22,000 rows runs (the command line)
/// while API writes and page form posts arrive at `gremien serve` on the same store: no answer
/// is a 500; a write either lands or gets a 4xx (412 when the import changed what it read) or a
/// 503 with Retry-After.
@Suite(.enabled(if: LoadTests.enabled)) struct ImportUnderLoadTests {
    @Test func noServerErrorWhileAnImportRuns() async throws {
        let (w, csv, rows) = try await InterruptedImportTests.prepare()
        defer { w.remove() }
        let issued = try CommandLineTests.gremien([
            "token", "issue", "--person", "Person 1", "--kind", "api", "--role", "coordinator", "--body", "runde",
            "--body", "beirat", "--store", w.store,
        ])
        let secret = issued.out.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(issued.status == 0 && !secret.isEmpty, "\(issued.err)")
        let auth = ["Authorization": "Bearer \(secret)"]
        let server = try await ServeProcess(store: w.store)
        defer { server.stop() }
        let port = server.port

        // Signed in on the pages, with the CSRF token of the session page.
        let signIn = try await RawExchange.send(
            port: port, "POST", "/anmelden",
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Origin": "http://127.0.0.1:\(port)"],
            body: "token=\(secret)")
        let cookie = try #require(signIn.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        let page = try await RawExchange.send(
            port: port, "GET", "/sitzungen/beirat/2026-09-01", headers: ["Cookie": cookie])
        let csrf = try #require(
            page.body.range(of: "name=\"csrf\" value=\"").map { page.body[$0.upperBound...].prefix { $0 != "\"" } })

        let importer = Process()
        importer.executableURL = CommandLineTests.executable
        importer.arguments = ["attendance", "import", csv.path, "--store", w.store]
        importer.standardOutput = FileHandle.nullDevice
        let importErrors = Pipe()
        importer.standardError = importErrors
        try importer.run()

        var statuses: [Int: Int] = [:]
        var round = 0
        while importer.isRunning || round < 10 {
            let date = ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30"][round % 5]
            let uri = "/api/v1/sessions/runde/\(date)/attendance"
            let read = try await RawExchange.send(port: port, "GET", uri, headers: auth)
            var headers = auth
            headers["If-Match"] = read.headers["etag"] ?? "\"0\""
            let api = try await RawExchange.send(
                port: port, "PUT", uri, headers: headers,
                body: "{\"entries\":[{\"office\":\"ja-k\",\"status\":\"\(round % 2 == 0 ? "present" : "excused")\"}]}")
            let form = try await RawExchange.send(
                port: port, "POST", "/sitzungen/beirat/2026-09-01/anwesenheit",
                headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"],
                body: "csrf=\(csrf)&office_0=jc&status_0=\(round % 2 == 0 ? "present" : "excused")")
            for r in [read, api, form] {
                statuses[r.status, default: 0] += 1
                #expect(r.status < 500 || r.status == 503, "\(r.status): \(r.body.prefix(300))")
                if r.status == 503 { #expect(r.headers["retry-after"] != nil) }
            }
            round += 1
        }
        importer.waitUntilExit()
        let importMessage = String(decoding: importErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(importer.terminationStatus == 0, "\(importMessage)")
        #expect(round >= 10)
        #expect(!statuses.keys.contains(500))
        print("import of \(rows) rows under load: \(round) rounds, statuses \(statuses.sorted { $0.key < $1.key })")
    }
}
