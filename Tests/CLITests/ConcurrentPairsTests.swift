import Foundation
import GremienTestSupport
import Testing

/// The hardening review (issue 12): checks and the writes they guard happened apart, so two
/// writes at once both passed. Here `gremien serve` and the command line write one SQLite store
/// at the same moment, 50 pairs of each kind of conflict:
/// - two cancels of one session (API ∥ CLI): exactly one is stored, the other is refused;
/// - two approvals of one session's minutes (API ∥ CLI): exactly one;
/// - two attendance writes made from one reading (one ETag, API ∥ API): exactly one, the other 412;
/// - attendance ∥ approval (API ∥ CLI): the approval always stands, and the attendance is
///   either stored before it or refused — never after it;
/// and `audit verify` finds the chain intact and every record in order afterwards.
@Suite(.enabled(if: LoadTests.enabled)) struct ConcurrentPairsTests {
    struct Target: Hashable {
        var body: String
        var date: String
        var series: String
        var path: String { "/api/v1/sessions/\(body)/\(date)" }
        var query: String { "?series=\(series)" }
    }

    /// The command line needs a moment to start; the API request of pair `i` waits 0 to 72 ms
    /// so that across the pairs each side comes first and they meet in between.
    static func staggered(
        _ i: Int, _ port: Int, _ method: String, _ uri: String, _ headers: [String: String], _ body: String
    ) async throws -> RawExchange {
        try await Task.sleep(for: .milliseconds(8 * (i % 10)))
        return try await RawExchange.send(port: port, method, uri, headers: headers, body: body)
    }

    static func attendance(_ port: Int, _ uri: String, _ headers: [String: String], _ office: String, _ status: String)
        async throws -> RawExchange
    {
        try await RawExchange.send(
            port: port, "PUT", uri, headers: headers,
            body: "{\"entries\":[{\"office\":\"\(office)\",\"status\":\"\(status)\"}]}")
    }

    @Test func conflictingWritesThroughTheAPIAndTheCommandLineAtOnce() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gremien-pairs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = "sqlite:" + folder.appendingPathComponent("gremien.sqlite").path
        func cli(_ arguments: [String]) throws -> CommandLineTests.Run {
            try CommandLineTests.gremien(arguments + ["--store", store], environment: ["GREMIEN_ACTOR": "betrieb"])
        }
        #expect(try cli(["sync", "--apply", "--calendars", TestDistrict.shippedCalendars]).status == 0)
        #expect(try cli(["person", "add", "Anna Beispiel", "--office", "soza", "--level", "AL"]).status == 0)
        let listing = try cli(["sessions", "--from", "2026-01-01", "--to", "2027-12-31", "--format", "json"])
        let all = try #require(JSONSerialization.jsonObject(with: Data(listing.out.utf8)) as? [[String: Any]])
        let planned = all.filter { $0["status"] as? String == "scheduled" && $0["recurrenceId"] is String }
            .map {
                Target(
                    body: $0["body"] as? String ?? "", date: String(($0["recurrenceId"] as? String ?? "").prefix(10)),
                    series: $0["series"] as? String ?? "")
            }
        let targets = Array(Set(planned)).sorted { ($0.date, $0.body) < ($1.date, $1.body) }
        try #require(targets.count >= 150, "only \(targets.count) planned sessions")
        let bodies = Set(targets.map(\.body)).sorted()
        let issued = try cli(
            ["token", "issue", "--person", "Anna Beispiel", "--kind", "api", "--role", "coordinator"]
                + bodies.flatMap { ["--body", $0] })
        let secret = issued.out.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(issued.status == 0 && !secret.isEmpty, "\(issued.err)")
        let auth = ["Authorization": "Bearer \(secret)"]

        let server = try await ServeProcess(store: store)
        defer { server.stop() }
        let port = server.port

        // Approvals and attendance only for sessions that have begun (the server's clock is today's).
        let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        let held = targets.filter { $0.date < today }
        try #require(held.count >= 100, "only \(held.count) sessions before \(today)")
        let approvals = Array(held[0..<50])
        let readings = Array(held[50..<100])
        let cancels = Array(targets.filter { !approvals.contains($0) && !readings.contains($0) }.prefix(50))
        var tally: [String: Int] = [:]

        for (i, t) in cancels.enumerated() {
            async let api = Self.staggered(
                i, port, "POST", t.path + "/cancel" + t.query, auth, "{\"reason\":\"Klausur\"}")
            async let shell = Task.detached {
                try cli(["session", "cancel", t.body, t.date, "--series", t.series, "--reason", "Urlaub"])
            }.value
            let (a, s) = try await (api, shell)
            #expect([201, 409].contains(a.status), "cancel \(t): \(a.status) \(a.body)")
            #expect((a.status == 201) != (s.status == 0), "cancel \(t): API \(a.status), CLI \(s.status) \(s.err)")
            tally["cancel by API", default: 0] += a.status == 201 ? 1 : 0
        }
        for (i, t) in approvals.enumerated() {
            let read = try await RawExchange.send(port: port, "GET", t.path + "/minutes" + t.query, headers: auth)
            var headers = auth
            headers["If-Match"] = read.headers["etag"] ?? ""
            let reading = headers
            async let api = Self.staggered(
                i, port, "PUT", t.path + "/minutes" + t.query, reading, "{\"status\":\"approved\"}")
            async let shell = Task.detached { try cli(["minutes", "approve", t.body, t.date, "--series", t.series]) }
                .value
            let (a, s) = try await (api, shell)
            #expect([200, 409, 412].contains(a.status), "approve \(t): \(a.status) \(a.body)")
            #expect((a.status == 200) != (s.status == 0), "approve \(t): API \(a.status), CLI \(s.status) \(s.err)")
            tally["approval by API", default: 0] += a.status == 200 ? 1 : 0
        }
        for (i, t) in readings.enumerated() {
            let read = try await RawExchange.send(port: port, "GET", t.path + "/attendance" + t.query, headers: auth)
            let sheet = try #require(JSONSerialization.jsonObject(with: Data(read.body.utf8)) as? [String: Any])
            let office = try #require((sheet["expected"] as? [[String: Any]])?.first?["office"] as? String)
            var headers = auth
            headers["If-Match"] = read.headers["etag"] ?? ""
            let uri = t.path + "/attendance" + t.query
            let reading = headers
            async let first = Self.attendance(port, uri, reading, office, "present")
            async let second = Self.attendance(port, uri, reading, office, "excused")
            let (w1, w2) = try await (first, second)
            #expect(Set([w1.status, w2.status]) == [200, 412], "one ETag \(t): \(w1.status), \(w2.status)")
            // Attendance (API) against approval (CLI).
            headers["If-Match"] =
                try await RawExchange.send(port: port, "GET", t.path + "/attendance" + t.query, headers: auth)
                .headers["etag"] ?? ""
            let fresh = headers
            async let record = Self.staggered(
                i, port, "PUT", uri, fresh, "{\"entries\":[{\"office\":\"\(office)\",\"status\":\"absent\"}]}")
            async let approve = Task.detached { try cli(["minutes", "approve", t.body, t.date, "--series", t.series]) }
                .value
            let (r, s) = try await (record, approve)
            #expect(s.status == 0, "approve \(t): \(s.err)")
            #expect([200, 409].contains(r.status), "attendance after approval \(t): \(r.status) \(r.body)")
            tally[r.status == 200 ? "attendance before approval" : "attendance refused after approval", default: 0] += 1
        }
        server.stop()
        let verify = try cli(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.err)")
        #expect(verify.out.contains("chain intact"))
        print("concurrent pairs: \(tally.sorted { $0.key < $1.key })")
    }
}
