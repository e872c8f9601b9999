import Coordination
import Foundation
import GremienTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import Yams

@testable import Server

/// The coordinators' pages, `/healthz`, `/metrics`, and `openapi.yaml` against the routes.
@Suite struct WebRouteTests {
    static func form(_ fields: [(String, String)]) -> ByteBuffer {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let text = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
        return ByteBuffer(string: text)
    }

    static let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// Signs in and returns the cookie header and the page's CSRF token.
    static func signIn(_ client: any TestClientProtocol, _ secret: String) async throws -> (
        cookie: HTTPFields, csrf: String
    ) {
        let r = try await client.execute(
            uri: "/anmelden", method: .post, headers: formType, body: form([("token", secret)]))
        #expect(r.status == .seeOther && r.headers[.location] == "/")
        let set = try #require(r.headers[.setCookie])
        #expect(set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/"))
        let value = String(set.prefix { $0 != ";" })
        let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: value])
        let csrf = page.text.components(separatedBy: "name=\"csrf\" value=\"").dropFirst().first?.prefix { $0 != "\"" }
        return ([.cookie: value], String(csrf ?? ""))
    }

    @Test(arguments: ServerFixture.Kind.allCases)
    func signInRecordAttendanceAndDownloadMinutes(kind: ServerFixture.Kind) async throws {
        let f = try await ServerFixture(kind)
        defer { f.remove() }
        let secret = f.secrets["coordinatorRunde"] ?? ""
        try await f.test { client in
            let login = try await client.execute(uri: "/", method: .get)
            #expect(login.status == .ok && login.text.contains("<label for=\"token\">API-Token</label>"))
            let csp = try #require(HTTPField.Name("Content-Security-Policy"))
            #expect(login.headers[csp]?.contains("default-src 'none'") == true)
            let refused = try await client.execute(
                uri: "/anmelden", method: .post, headers: Self.formType, body: Self.form([("token", "wrong")]))
            #expect(refused.status == .unauthorized && refused.text.contains("Anmeldung abgelehnt"))
            let (cookie, csrf) = try await Self.signIn(client, secret)
            #expect(!csrf.isEmpty)
            let overview = try await client.execute(uri: "/", method: .get, headers: cookie)
            #expect(
                overview.text.contains("<h1>Übersicht</h1>") && overview.text.contains("/sitzungen/runde/2026-09-28"))
            #expect(overview.text.contains("webcal://127.0.0.1:8080/feeds/bodies/runde.ics"))
            #expect(overview.text.contains("http://127.0.0.1:8080/feeds/all.ics"))
            let page = try await client.execute(uri: "/sitzungen/runde/2026-03-02", method: .get, headers: cookie)
            #expect(page.status == .ok && page.text.contains("<label for=\"status_0\">Status</label>"))
            #expect(
                page.text.contains("name=\"office_0\" value=\"jc\"")
                    && page.text.contains("name=\"office_1\" value=\"ja-k\""))
            var post = cookie
            post[.contentType] = "application/x-www-form-urlencoded"
            let fields = [
                ("office_0", "jc"), ("status_0", "present"), ("person_0", "Anna Beispiel"), ("office_1", "ja-k"),
                ("status_1", "excused"),
            ]
            // No CSRF token: 403, nothing stored.
            let forged = try await client.execute(
                uri: "/sitzungen/runde/2026-03-02/anwesenheit", method: .post, headers: post, body: Self.form(fields))
            #expect(forged.status == .forbidden)
            let saved = try await client.execute(
                uri: "/sitzungen/runde/2026-03-02/anwesenheit", method: .post, headers: post,
                body: Self.form([("csrf", csrf)] + fields))
            #expect(
                saved.status == .seeOther && saved.headers[.location] == "/sitzungen/runde/2026-03-02?gespeichert=1")
            let shown = try await client.execute(
                uri: "/sitzungen/runde/2026-03-02?gespeichert=1", method: .get, headers: cookie)
            #expect(shown.text.contains("Die Anwesenheit ist gespeichert."))
            #expect(shown.text.contains("<option value=\"present\" selected>anwesend</option>"))
            let md = try await client.execute(
                uri: "/sitzungen/runde/2026-03-02/niederschrift.md", method: .get, headers: cookie)
            #expect(md.status == .ok && md.text.contains("Leitungsrunde") && md.text.contains("Anna Beispiel"))
            let odt = try await client.execute(
                uri: "/sitzungen/runde/2026-03-02/niederschrift.odt", method: .get, headers: cookie)
            #expect(
                odt.headers[.contentType] == "application/vnd.oasis.opendocument.text" && odt.body.readableBytes > 500)
            #expect(
                try await client.execute(
                    uri: "/sitzungen/runde/2026-03-02/niederschrift.pdf", method: .get, headers: cookie
                ).status == .notFound)
            // Another body's form is read-only, and a forged post is refused.
            let other = try await client.execute(uri: "/sitzungen/beirat/2026-09-01", method: .get, headers: cookie)
            #expect(other.status == .ok && other.text.contains("Nur Lesen.") && !other.text.contains("<select"))
            let foreign = try await client.execute(
                uri: "/sitzungen/beirat/2026-09-01/anwesenheit", method: .post, headers: post,
                body: Self.form([("csrf", csrf), ("office_0", "jc"), ("status_0", "present")]))
            #expect(foreign.status == .forbidden)
            // Sign out: the cookie no longer works.
            let out = try await client.execute(
                uri: "/abmelden", method: .post, headers: post, body: Self.form([("csrf", csrf)]))
            #expect(out.status == .seeOther)
            let after = try await client.execute(uri: "/sitzungen/runde/2026-03-02", method: .get, headers: cookie)
            #expect(after.status == .seeOther)
        }
        let stored = try await f.store.attendance(
            of: SessionKey(body: "runde", series: "montag", date: CivilDate(year: 2026, month: 3, day: 2)))
        #expect(
            stored.map { "\($0.office) \($0.person ?? "-") \($0.status.rawValue)" } == [
                "ja-k - excused", "jc Anna Beispiel present",
            ])
        for secret in f.secrets.values { #expect(!f.logs.text.contains(secret)) }
    }

    @Test(arguments: ServerFixture.Kind.allCases)
    func healthAndMetrics(kind: ServerFixture.Kind) async throws {
        let f = try await ServerFixture(kind)
        defer { f.remove() }
        try await f.test { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok && health.text.hasPrefix("{\"status\":\"ok\""))
            _ = try await client.execute(uri: "/feeds/all.ics", method: .get)
            _ = try await client.execute(uri: "/feeds/bodies/nope.ics", method: .get)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(
                metrics.text.contains(
                    "gremien_http_requests_total{method=\"GET\",route=\"/feeds/all.ics\",status=\"200\"} 1"))
            #expect(metrics.text.contains("route=\"/feeds/bodies/{id}.ics\",status=\"404\"} 1"))
            #expect(metrics.text.contains("gremien_feed_build_seconds_count 1"))
        }
    }

    /// Every route the server has is in openapi.yaml with the same method, and nothing more.
    @Test func openAPIDescribesEveryRoute() throws {
        let text = try String(contentsOf: ServerFixture.root.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        let spec = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect(spec["openapi"] as? String == "3.1.0")
        let paths = try #require(spec["paths"] as? [String: Any])
        var documented: Set<String> = []
        for (path, item) in paths {
            for method in (item as? [String: Any] ?? [:]).keys
            where ["get", "put", "post", "delete", "head", "patch"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        let state = ServerState(store: MemoryStoreFactory.make(), settings: .init(publicURL: "http://x"))
        let served = Set(buildRouter(state).routes.map(\.description))
        #expect(served.subtracting(documented).sorted() == [], "routes missing from openapi.yaml")
        #expect(documented.subtracting(served).sorted() == [], "openapi.yaml paths the server lacks")
        #expect(served.count == 94)
        // The statuses every API and feed route can answer are documented (the hardening review
        // found 405, 503 and the preconditions missing).
        for (path, item) in paths where path.hasPrefix("/api/") || path.hasPrefix("/feeds/") {
            for (method, operation) in item as? [String: Any] ?? [:] {
                guard let responses = (operation as? [String: Any])?["responses"] as? [String: Any] else { continue }
                var needed: Set<String> = ["405", "503"]
                if path.hasPrefix("/api/") { needed.insert("401") }
                if method == "put" { needed.formUnion(["409", "412", "413", "422", "428"]) }
                let missing = needed.subtracting(responses.keys).sorted()
                #expect(missing.isEmpty, "\(method.uppercased()) \(path) does not document \(missing)")
            }
        }
    }
}

enum MemoryStoreFactory {
    static func make() -> any Store { MemoryStore() }
}

/// Regression: a form field with `+` (a space) or a bad escape crashed the server
/// (URLComponents traps on invalid characters); found by the browser test.
/// Forms are read by Hummingbird's `URLEncodedFormDecoder`.
@Test(arguments: [
    ("a=1+2&b=%C3%BC", ["a": "1 2", "b": "ü"]),
    ("token=&zurueck=%2Fsitzungen", ["token": "", "zurueck": "/sitzungen"]),
    ("name=Anna+Beispiel&csrf=a-b_c", ["name": "Anna Beispiel", "csrf": "a-b_c"]),
])
func formsWithSpacesAreDecoded(_ text: String, _ fields: [String: String]) throws {
    #expect(try decodeForm(text) == fields)
}

/// A bad escape, or a field given twice (no form of Gremien sends one twice), is a 400.
@Test(arguments: ["a=%ZZ", "a=1&a=2"])
func badlyEncodedFormsAreRefusedNotFatal(_ text: String) {
    #expect(throws: HTTPError.self) { try decodeForm(text) }
}
