import Foundation
import GremienTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// The pages speak German (issue 13, first part): error pages for every status instead of JSON
/// or an empty body, a sign-in that leads back to the page asked for, and no English wording.
@Suite struct GermanPagesTests {
    /// Wording that reached pages before; any of these in the visible text fails the test.
    static let english = [
        "the token is not valid", "entry", "staff", "single session", "not found", "forbidden", "error",
        "invalid", "please", "is not", "unauthorized", "method not allowed", "internal server",
    ]

    /// The text a reader sees: without the style sheet, the tags and the entities.
    static func visibleText(_ html: String) -> String {
        var text = html
        if let start = text.range(of: "<style>"), let end = text.range(of: "</style>") {
            text.removeSubrange(start.lowerBound..<end.upperBound)
        }
        text = text.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        return text.replacingOccurrences(of: "&[a-z#0-9]+;", with: " ", options: .regularExpression)
    }

    /// The English words of `english` found in a page's visible text.
    static func englishIn(_ html: String) -> [String] {
        let text = visibleText(html).lowercased()
        return english.filter { word in
            text.range(of: "\\b\(NSRegularExpression.escapedPattern(for: word))\\b", options: .regularExpression) != nil
        }
    }

    static func expectGermanPage(_ r: TestResponse, _ status: HTTPResponse.Status, _ heading: String) {
        #expect(r.status == status)
        #expect(r.headers[.contentType] == "text/html; charset=utf-8", "\(r.text.prefix(200))")
        #expect(r.text.contains("<h1>\(heading)</h1>"), "\(r.text)")
        #expect(!r.text.contains("{\""), "JSON in a page: \(r.text)")
        #expect(englishIn(r.text) == [], "English in a page: \(englishIn(r.text))")
    }

    @Test func errorsArePagesInGerman() async throws {
        let f = try await ServerFixture(.memory)
        defer { f.remove() }
        try await f.test { client in
            let (cookie, _) = try await WebRouteTests.signIn(client, f.secrets["coordinatorRunde"] ?? "")
            let badDate = try await client.execute(uri: "/sitzungen/runde/2026-13-01", method: .get, headers: cookie)
            Self.expectGermanPage(badDate, .badRequest, "Fehlerhafte Anfrage")
            #expect(badDate.text.contains("Dieses Datum gibt es nicht. Schreiben Sie es als JJJJ-MM-TT"))
            let noSession = try await client.execute(uri: "/sitzungen/runde/2026-03-03", method: .get, headers: cookie)
            Self.expectGermanPage(noSession, .notFound, "Seite nicht gefunden")
            let nowhere = try await client.execute(uri: "/nirgends", method: .get, headers: cookie)
            Self.expectGermanPage(nowhere, .notFound, "Seite nicht gefunden")
            let method = try await client.execute(uri: "/", method: .delete, headers: cookie)
            Self.expectGermanPage(method, .methodNotAllowed, "Nicht erlaubt")
            #expect(method.headers[.allow] == "GET, HEAD")
            var formHeaders = cookie
            formHeaders[.contentType] = "application/x-www-form-urlencoded"
            let forged = try await client.execute(
                uri: "/sitzungen/runde/2026-03-02/anwesenheit", method: .post, headers: formHeaders,
                body: WebRouteTests.form([("office_0", "jc"), ("status_0", "present")]))
            Self.expectGermanPage(forged, .forbidden, "Keine Berechtigung")
            let wrong = try await client.execute(
                uri: "/anmelden", method: .post, headers: WebRouteTests.formType,
                body: WebRouteTests.form([("token", "falsch")]))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("Anmeldung abgelehnt: Das Token ist nicht gültig."))
            #expect(Self.englishIn(wrong.text) == [])
            let revoked = try await client.execute(
                uri: "/anmelden", method: .post, headers: WebRouteTests.formType,
                body: WebRouteTests.form([("token", f.secrets["revoked"] ?? "")]))
            #expect(revoked.text.contains("Anmeldung abgelehnt: Das Token wurde widerrufen."))
        }
    }

    /// An expired or missing sign-in led to the start page; now it leads back after signing in.
    @Test func signingInLeadsBackToThePageAskedFor() async throws {
        let f = try await ServerFixture(.memory)
        defer { f.remove() }
        try await f.test { client in
            let asked = try await client.execute(uri: "/sitzungen/runde/2026-03-02", method: .get)
            #expect(asked.status == .seeOther)
            #expect(asked.headers[.location] == "/?zurueck=%2Fsitzungen%2Frunde%2F2026%2D03%2D02")
            let login = try await client.execute(uri: asked.headers[.location] ?? "", method: .get)
            #expect(
                login.text.contains("<input type=\"hidden\" name=\"zurueck\" value=\"/sitzungen/runde/2026-03-02\">"))
            let signIn = try await client.execute(
                uri: "/anmelden", method: .post, headers: WebRouteTests.formType,
                body: WebRouteTests.form([
                    ("token", f.secrets["coordinatorRunde"] ?? ""), ("zurueck", "/sitzungen/runde/2026-03-02"),
                ]))
            #expect(signIn.status == .seeOther && signIn.headers[.location] == "/sitzungen/runde/2026-03-02")
            // Another host is never a place to return to.
            let away = try await client.execute(
                uri: "/anmelden", method: .post, headers: WebRouteTests.formType,
                body: WebRouteTests.form([
                    ("token", f.secrets["coordinatorRunde"] ?? ""), ("zurueck", "//boese.example/"),
                ]))
            #expect(away.headers[.location] == "/")
        }
    }

    /// The pages of a signed-in coordinator hold no English wording.
    @Test func everyPageIsGerman() async throws {
        let f = try await ServerFixture(.memory)
        defer { f.remove() }
        try await f.test { client in
            let login = try await client.execute(uri: "/", method: .get)
            #expect(Self.englishIn(login.text) == [])
            let (cookie, _) = try await WebRouteTests.signIn(client, f.secrets["coordinatorRunde"] ?? "")
            for uri in ["/", "/sitzungen/runde/2026-03-02", "/sitzungen/beirat/2026-09-01"] {
                let page = try await client.execute(uri: uri, method: .get, headers: cookie)
                #expect(page.status == .ok, "\(uri)")
                #expect(Self.englishIn(page.text) == [], "\(uri): \(Self.englishIn(page.text))")
            }
        }
    }
}

/// The attendance form on an error (issue 13): what was typed stays, each problem is said in
/// German next to its field, nothing is stored.
@Suite struct AttendanceFormErrorTests {
    @Test func problemsAreSaidNextToTheirFieldsAndTheTypingStays() async throws {
        let f = try await ServerFixture(.memory)
        defer { f.remove() }
        try await f.test { client in
            let (cookie, csrf) = try await WebRouteTests.signIn(client, f.secrets["coordinatorRunde"] ?? "")
            var headers = cookie
            headers[.contentType] = "application/x-www-form-urlencoded"
            // Row 0 is jc, row 1 ja-k: jc represented without a deputy, ja-k with a person of jc.
            let sent = try await client.execute(
                uri: "/sitzungen/runde/2026-03-02/anwesenheit", method: .post, headers: headers,
                body: WebRouteTests.form([
                    ("csrf", csrf), ("office_0", "jc"), ("status_0", "represented"), ("person_0", ""),
                    ("deputy_0", ""), ("office_1", "ja-k"), ("status_1", "present"), ("person_1", "Anna Beispiel"),
                    ("deputy_1", ""),
                ]))
            #expect(sent.status == .unprocessableContent)
            let html = sent.text
            #expect(html.contains("Es wurde nichts gespeichert. Bitte prüfen Sie die markierten Angaben."))
            #expect(
                html.contains(
                    "<span class=\"feldfehler\" id=\"deputy_0_fehler\">Bei „vertreten“ bitte angeben, wer vertreten hat.</span>"
                ))
            #expect(
                html.contains(
                    "<span class=\"feldfehler\" id=\"person_1_fehler\">Anna Beispiel gehört zu jc, nicht zu ja-k.</span>"
                ))
            #expect(html.contains("id=\"person_1\" name=\"person_1\" value=\"Anna Beispiel\" aria-invalid=\"true\""))
            #expect(html.contains("<option value=\"represented\" selected>"))
            #expect(GermanPagesTests.englishIn(html) == [], "\(GermanPagesTests.englishIn(html))")
            let stored = try await client.execute(
                uri: "/api/v1/sessions/runde/2026-03-02/attendance", method: .get, headers: f.bearer("auditor"))
            #expect(
                (stored.json as? [String: Any])?["entries"] as? [Any] == nil
                    || ((stored.json as? [String: Any])?["entries"] as? [Any])?.isEmpty == true)
        }
    }
}
