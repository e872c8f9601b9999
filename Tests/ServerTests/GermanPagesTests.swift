import Coordination
import Foundation
import GremienTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Publishing
import Storage
import Testing
import Workflows

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
            for uri in [
                "/", "/sitzungen/runde/2026-03-02", "/sitzungen/beirat/2026-09-01", "/gremien/runde", "/kalender",
                "/personen", "/konto",
            ] {
                let page = try await client.execute(uri: uri, method: .get, headers: cookie)
                #expect(page.status == .ok, "\(uri)")
                #expect(Self.englishIn(page.text) == [], "\(uri): \(Self.englishIn(page.text))")
            }
            // The admin's and the auditor's pages, and what a coordinator may not open.
            let (admin, _) = try await WebRouteTests.signIn(client, f.secrets["admin"] ?? "")
            let (auditor, _) = try await WebRouteTests.signIn(client, f.secrets["auditor"] ?? "")
            for (uri, who) in [("/zugaenge", admin), ("/personen", admin), ("/pruefung", auditor)] {
                let page = try await client.execute(uri: uri, method: .get, headers: who)
                #expect(page.status == .ok, "\(uri)")
                #expect(Self.englishIn(page.text) == [], "\(uri): \(Self.englishIn(page.text))")
            }
            // The auditor's page names the change log's entries (counted, not read).
            let audit = try await client.execute(uri: "/pruefung", method: .get, headers: auditor)
            let logged = try await f.store.changes().count
            #expect(logged > 0 && audit.text.contains("<p>\(logged) Einträge: "), "\(logged)")
            let report = try await client.execute(
                uri: "/pruefung/bericht?von=2026-01-01&bis=2026-01-00&format=csv", method: .get, headers: auditor)
            #expect(report.status == .unprocessableContent && report.text.contains("Bitte den letzten Tag angeben"))
            #expect(Self.englishIn(report.text) == [])
            // Downloaded, each format is the report the workflow makes, byte for byte (the
            // fixture's clock stands still), though written into the response as it is made.
            for format in ["csv", "excel", "json", "html"] {
                let got = try await client.execute(
                    uri: "/pruefung/bericht?von=2026-01-01&bis=2026-12-31&format=\(format)", method: .get,
                    headers: auditor)
                #expect(got.status == .ok, "\(format)")
                let year = (CivilDate(year: 2026, month: 1, day: 1), CivilDate(year: 2026, month: 12, day: 31))
                let kind: ReportStamp.Format = format == "excel" ? .csv : .init(rawValue: format) ?? .csv
                let made = try await f.state.workflows.participationReport(
                    .init(from: year.0, through: year.1, format: kind, excel: format == "excel"))
                #expect(made.data.count > 1_000, "\(format)")
                #expect(Data(got.body.readableBytesView) == made.data, "\(format)")
            }
            for uri in ["/zugaenge", "/pruefung"] {
                let refused = try await client.execute(uri: uri, method: .get, headers: cookie)
                Self.expectGermanPage(refused, .forbidden, "Keine Berechtigung")
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

/// The session page's actions (issue 13): cancel, move, approve and reopen the minutes, add and
/// close action items, each checked against what the API then reads; refusals in German with
/// what was typed; another body's coordinator and a forged post are refused.
@Suite struct SessionPageActionTests {
    static func post(
        _ client: any TestClientProtocol, _ cookie: HTTPFields, _ uri: String, _ fields: [(String, String)]
    ) async throws -> TestResponse {
        var headers = cookie
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await client.execute(uri: uri, method: .post, headers: headers, body: WebRouteTests.form(fields))
    }

    @Test func aCoordinatorWorksOnASessionFromItsPage() async throws {
        let f = try await ServerFixture(.memory)
        defer { f.remove() }
        try await f.test { client in
            let (cookie, csrf) = try await WebRouteTests.signIn(client, f.secrets["coordinatorRunde"] ?? "")
            let base = "/sitzungen/runde/2026-03-23"
            // A cancel without a reason: refused in German, nothing stored.
            let bare = try await Self.post(client, cookie, base + "/absagen", [("csrf", csrf), ("grund_absage", " ")])
            #expect(bare.status == .unprocessableContent)
            #expect(bare.text.contains("Bitte einen Grund für die Absage angeben."))
            #expect(GermanPagesTests.englishIn(bare.text) == [])
            let cancelled = try await Self.post(
                client, cookie, base + "/absagen", [("csrf", csrf), ("grund_absage", "Klausurtagung")])
            #expect(cancelled.status == .seeOther && cancelled.headers[.location] == base + "?hinweis=abgesagt")
            let shown = try await client.execute(uri: base + "?hinweis=abgesagt", method: .get, headers: cookie)
            #expect(shown.text.contains("Die Sitzung ist abgesagt.") && shown.text.contains("fällt aus"))
            let changes = try await client.execute(
                uri: "/api/v1/session-changes?body=runde", method: .get, headers: f.bearer("auditor"))
            #expect(changes.text.contains("Klausurtagung"))
            // Twice: refused in German.
            let twice = try await Self.post(
                client, cookie, "/sitzungen/runde/2026-03-02/absagen", [("csrf", csrf), ("grund_absage", "a")])
            #expect(twice.status == .seeOther)
            let again = try await Self.post(
                client, cookie, "/sitzungen/runde/2026-03-02/absagen", [("csrf", csrf), ("grund_absage", "b")])
            #expect(again.status == .conflict || again.status == .notFound, "\(again.status)")
            #expect(GermanPagesTests.englishIn(again.text) == [])
            // Move 2026-03-16 to Wednesday 18 March, 14:00: a day in the past (the clock stands at
            // 1 October), so the page asks first, keeping what was typed; the second step records it.
            let move = [("csrf", csrf), ("datum", "2026-03-18"), ("zeit", "14:00"), ("grund_verlegung", "Raum belegt")]
            let asked = try await Self.post(client, cookie, "/sitzungen/runde/2026-03-16/verlegen", move)
            #expect(asked.status == .conflict)
            #expect(asked.text.contains("<li>Der 18.03.2026 liegt in der Vergangenheit.</li>"))
            #expect(asked.text.contains("name=\"bestaetigt\" value=\"ja\">Trotzdem verlegen</button>"))
            #expect(asked.text.contains("value=\"Raum belegt\""))
            #expect(GermanPagesTests.englishIn(asked.text) == [])
            func recorded() async throws -> Int {
                let changes = try await client.execute(
                    uri: "/api/v1/session-changes?body=runde", method: .get, headers: f.bearer("auditor"))
                return (changes.json as? [Any])?.count ?? -1
            }
            let before = try await recorded()
            #expect(before >= 0)
            _ = try await Self.post(client, cookie, "/sitzungen/runde/2026-03-16/verlegen", move)
            #expect(try await recorded() == before)
            let moved = try await Self.post(
                client, cookie, "/sitzungen/runde/2026-03-16/verlegen", move + [("bestaetigt", "ja")])
            #expect(moved.status == .seeOther)
            #expect(try await recorded() == before + 1)
            let listed = try await client.execute(
                uri: "/api/v1/sessions?body=runde&from=2026-03-16&to=2026-03-19", method: .get,
                headers: f.bearer("auditor"))
            #expect(listed.text.contains("2026-03-18T14:00:00+01:00"), "\(listed.text)")
            // The page of the moved session says where it was planned, and why it moved.
            let movedPage = try await client.execute(uri: "/sitzungen/runde/2026-03-16", method: .get, headers: cookie)
            #expect(movedPage.text.contains("18.03.2026, 14:00"))
            #expect(movedPage.text.contains("Verlegt; ursprünglich geplant am 16.03.2026. Grund: Raum belegt"))
            let badDate = try await Self.post(
                client, cookie, "/sitzungen/runde/2026-03-30/verlegen",
                [("csrf", csrf), ("datum", "morgen"), ("zeit", "14:00")])
            #expect(badDate.status == .unprocessableContent && badDate.text.contains("Bitte das neue Datum angeben."))
            #expect(badDate.text.contains("value=\"morgen\""))
            // Minutes: approve, then reopen with a reason.
            let minutes = "/sitzungen/runde/2026-03-02/niederschrift"
            #expect(try await Self.post(client, cookie, minutes + "/genehmigen", [("csrf", csrf)]).status == .seeOther)
            let state = try await client.execute(
                uri: "/api/v1/sessions/runde/2026-03-02/minutes", method: .get, headers: f.bearer("auditor"))
            #expect((state.json as? [String: Any])?["status"] as? String == "approved")
            let noReason = try await Self.post(
                client, cookie, minutes + "/wiedereroeffnen", [("csrf", csrf), ("grund_wieder", "")])
            #expect(noReason.status == .unprocessableContent)
            #expect(
                try await Self.post(
                    client, cookie, minutes + "/wiedereroeffnen", [("csrf", csrf), ("grund_wieder", "Tippfehler")]
                )
                .status == .seeOther)
            // An action item for jc, then done.
            let added = try await Self.post(
                client, cookie, "/sitzungen/runde/2026-03-30/aufgaben",
                [
                    ("csrf", csrf), ("aufgabe", "Liste der Ansprechpersonen"), ("zustaendig", "jc"),
                    ("frist", "2026-04-30"),
                ])
            #expect(added.status == .seeOther)
            let page = try await client.execute(uri: "/sitzungen/runde/2026-03-30", method: .get, headers: cookie)
            #expect(
                page.text.contains("<td>Liste der Ansprechpersonen</td>") && page.text.contains("30.04.2026"),
                "\(page.text.components(separatedBy: "<h2>Aufgaben").last ?? "")")
            let id = try #require(
                page.text.components(separatedBy: "/aufgaben/").dropFirst().first.flatMap {
                    Int($0.prefix { $0.isNumber })
                })
            #expect(
                try await Self.post(
                    client, cookie, "/sitzungen/runde/2026-03-30/aufgaben/\(id)/erledigt", [("csrf", csrf)]
                )
                .status == .seeOther)
            let after = try await client.execute(uri: "/sitzungen/runde/2026-03-30", method: .get, headers: cookie)
            #expect(after.text.contains("erledigt"))
            #expect(GermanPagesTests.englishIn(after.text) == [])
        }
    }

    @Test func anotherBodysCoordinatorAndForgedPostsAreRefused() async throws {
        let f = try await ServerFixture(.memory)
        defer { f.remove() }
        try await f.test { client in
            let (cookie, csrf) = try await WebRouteTests.signIn(client, f.secrets["coordinatorBeirat"] ?? "")
            let page = try await client.execute(uri: "/sitzungen/runde/2026-03-23", method: .get, headers: cookie)
            #expect(!page.text.contains("Sitzung absagen"))
            let handMade = try await Self.post(
                client, cookie, "/sitzungen/runde/2026-03-23/absagen", [("csrf", csrf), ("grund_absage", "fremd")])
            #expect(handMade.status == .forbidden)
            #expect(handMade.text.contains("Für die Sitzungen dieses Gremiums fehlt Ihnen die Berechtigung."))
            let forged = try await Self.post(
                client, cookie, "/sitzungen/beirat/2026-09-01/absagen", [("grund_absage", "ohne Token")])
            #expect(forged.status == .forbidden)
            let changes = try await client.execute(
                uri: "/api/v1/session-changes?body=runde", method: .get, headers: f.bearer("auditor"))
            #expect(!changes.text.contains("fremd"))
        }
    }
}

/// The start page (issue 13): past and coming sessions of a period and a body, and the open work
/// of the last 90 days, each item leaving when it is done.
@Suite struct OverviewPageTests {
    @Test func pastSessionsFiltersAndOpenWork() async throws {
        let f = try await ServerFixture(.memory, now: LocalDateTime(year: 2026, month: 4, day: 1, hour: 12))
        defer { f.remove() }
        try await f.test { client in
            let (cookie, csrf) = try await WebRouteTests.signIn(client, f.secrets["coordinatorRunde"] ?? "")
            let start = try await client.execute(uri: "/", method: .get, headers: cookie)
            let open =
                start.text.components(separatedBy: "<h2>Offene Arbeiten</h2>").last?
                .components(separatedBy: "<h2>Vergangene Sitzungen</h2>").first ?? ""
            #expect(open.contains("Sitzungen ohne erfasste Anwesenheit"))
            #expect(open.contains("<a href=\"/sitzungen/runde/2026-03-02\">02.03.2026</a>"))
            #expect(GermanPagesTests.englishIn(start.text) == [])
            // Attendance recorded and minutes approved for 2 March: it leaves both lists; an
            // action item due on 20 March becomes overdue.
            var headers = cookie
            headers[.contentType] = "application/x-www-form-urlencoded"
            #expect(
                try await client.execute(
                    uri: "/sitzungen/runde/2026-03-02/anwesenheit", method: .post, headers: headers,
                    body: WebRouteTests.form([("csrf", csrf), ("office_0", "jc"), ("status_0", "present")])
                ).status == .seeOther)
            #expect(
                try await SessionPageActionTests.post(
                    client, cookie, "/sitzungen/runde/2026-03-02/aufgaben",
                    [
                        ("csrf", csrf), ("aufgabe", "Ansprechpersonen melden"), ("zustaendig", "ja-k"),
                        ("frist", "2026-03-20"),
                    ]
                ).status == .seeOther)
            #expect(
                try await SessionPageActionTests.post(
                    client, cookie, "/sitzungen/runde/2026-03-02/niederschrift/genehmigen", [("csrf", csrf)]
                ).status == .seeOther)
            let after = try await client.execute(uri: "/", method: .get, headers: cookie)
            let work =
                after.text.components(separatedBy: "<h2>Offene Arbeiten</h2>").last?
                .components(separatedBy: "<h2>Vergangene Sitzungen</h2>").first ?? ""
            #expect(!work.contains("/sitzungen/runde/2026-03-02\">02.03.2026"))
            #expect(
                work.contains("Überfällige Aufgaben")
                    && work.contains("Ansprechpersonen melden</a> – JA-K, Frist 20.03.2026"))
            // A period and a body.
            let filtered = try await client.execute(
                uri: "/?gremium=runde&von=2026-03-10&bis=2026-03-20", method: .get, headers: cookie)
            let past =
                filtered.text.components(separatedBy: "<h2>Vergangene Sitzungen</h2>").last?
                .components(separatedBy: "<h2>Kommende Sitzungen</h2>").first ?? ""
            // 16 March is moved to the 18th in the fixture district.
            #expect(past.contains("<a href=\"/sitzungen/runde/2026-03-16\">18.03.2026</a>") && past.contains("verlegt"))
            #expect(!past.contains("02.03.2026") && !past.contains("23.03.2026"), "\(past)")
            #expect(filtered.text.contains("Zeitraum: 10.03.2026 bis 20.03.2026"))
            // Wrong filters are said next to their fields, with what was typed.
            let wrong = try await client.execute(uri: "/?von=gestern&bis=2026-03-20", method: .get, headers: cookie)
            #expect(
                wrong.text.contains(
                    "<span class=\"feldfehler\" id=\"von_fehler\">Bitte ein Datum angeben, z. B. 2026-03-01.</span>"))
            #expect(wrong.text.contains("value=\"gestern\""))
            let reversed = try await client.execute(
                uri: "/?von=2026-03-20&bis=2026-03-10", method: .get, headers: cookie)
            #expect(
                reversed.text.contains(
                    "<span class=\"feldfehler\" id=\"bis_fehler\">Das Ende liegt vor dem Anfang.</span>"))
            let foreign = try await client.execute(uri: "/?gremium=beirat", method: .get, headers: cookie)
            #expect(foreign.text.contains("Dieses Gremium steht nicht zur Auswahl."))
            #expect(GermanPagesTests.englishIn(foreign.text) == [])
        }
    }
}

/// The session page undoes a cancellation and removes an added session (issue 14).
@Suite struct SessionLifecyclePageTests {
    /// The body page's form for an added session asks before it records one on a holiday; what
    /// was typed stays; the second step records it (regression: 25.12. was accepted silently).
    @Test func anAdditionOnAHolidayIsConfirmedFirst() async throws {
        let f = try await ServerFixture(.memory)
        defer { f.remove() }
        try await f.test { client in
            let (cookie, csrf) = try await WebRouteTests.signIn(client, f.secrets["coordinatorRunde"] ?? "")
            let form = [
                ("csrf", csrf), ("datum", "2026-12-25"), ("zeit", "10:00"), ("dauer", ""), ("titel", "Sondersitzung"),
                ("ort", ""),
            ]
            let asked = try await SessionPageActionTests.post(client, cookie, "/gremien/runde/sitzungen", form)
            #expect(asked.status == .conflict)
            #expect(
                asked.text.contains("<li>Der 25.12.2026 ist ein gesetzlicher Feiertag in NRW (1. Weihnachtstag).</li>"))
            #expect(asked.text.contains("name=\"bestaetigt\" value=\"ja\">Trotzdem eintragen</button>"))
            #expect(asked.text.contains("value=\"Sondersitzung\""))
            #expect(GermanPagesTests.englishIn(asked.text) == [])
            let none = try await client.execute(
                uri: "/api/v1/sessions?body=runde&from=2026-12-25&to=2026-12-26", method: .get,
                headers: f.bearer("auditor"))
            #expect((none.json as? [Any])?.isEmpty == true)
            let added = try await SessionPageActionTests.post(
                client, cookie, "/gremien/runde/sitzungen", form + [("bestaetigt", "ja")])
            #expect(added.status == .seeOther)
            #expect(added.headers[.location] == "/sitzungen/runde/2026-12-25?hinweis=hinzugefuegt")
            let one = try await client.execute(
                uri: "/api/v1/sessions?body=runde&from=2026-12-25&to=2026-12-26", method: .get,
                headers: f.bearer("auditor"))
            #expect((one.json as? [[String: Any]])?.first?["title"] as? String == "Sondersitzung")
        }
    }

    @Test func aCoordinatorReinstatesAndRemovesFromThePage() async throws {
        let f = try await ServerFixture(.memory)
        defer { f.remove() }
        try await f.test { client in
            let (cookie, csrf) = try await WebRouteTests.signIn(client, f.secrets["coordinatorRunde"] ?? "")
            let base = "/sitzungen/runde/2026-03-23"
            _ = try await SessionPageActionTests.post(
                client, cookie, base + "/absagen", [("csrf", csrf), ("grund_absage", "Klausur")])
            let page = try await client.execute(uri: base, method: .get, headers: cookie)
            #expect(page.text.contains("Sitzung wie geplant ansetzen"))
            let bare = try await SessionPageActionTests.post(
                client, cookie, base + "/wieder-ansetzen", [("csrf", csrf), ("grund_zurueck", "")])
            #expect(
                bare.status == .unprocessableContent
                    && bare.text.contains("Bitte einen Grund für das Zurücknehmen angeben."))
            let back = try await SessionPageActionTests.post(
                client, cookie, base + "/wieder-ansetzen", [("csrf", csrf), ("grund_zurueck", "Klausur verschoben")])
            #expect(back.status == .seeOther && back.headers[.location] == base + "?hinweis=wieder-angesetzt")
            let listed = try await client.execute(
                uri: "/api/v1/sessions?body=runde&from=2026-03-23&to=2026-03-24", method: .get,
                headers: f.bearer("auditor"))
            #expect(
                (listed.json as? [[String: Any]])?.map { $0["status"] as? String } == ["scheduled"], "\(listed.text)")
            let changes = try await client.execute(
                uri: "/api/v1/session-changes?body=runde", method: .get, headers: f.bearer("auditor"))
            let last = (changes.json as? [[String: Any]])?.last
            #expect(last?["change"] as? String == "reinstate" && last?["reason"] as? String == "Klausur verschoben")
            // A planned session is not removed; the added crisis talk of 25 March is.
            let planned = try await SessionPageActionTests.post(
                client, cookie, base + "/entfernen", [("csrf", csrf), ("grund_entfernen", "x")])
            #expect(
                planned.status == .conflict
                    && planned.text.contains("Eine Sitzung der Reihe wird abgesagt, nicht entfernt."))
            let removed = try await SessionPageActionTests.post(
                client, cookie, "/sitzungen/runde/2026-03-25/entfernen",
                [("csrf", csrf), ("grund_entfernen", "doppelt")])
            #expect(removed.status == .seeOther && removed.headers[.location] == "/gremien/runde?hinweis=entfernt")
            let gone = try await client.execute(uri: "/sitzungen/runde/2026-03-25", method: .get, headers: cookie)
            #expect(gone.status == .notFound)
            let bodyPage = try await client.execute(
                uri: "/gremien/runde?hinweis=entfernt", method: .get, headers: cookie)
            #expect(bodyPage.text.contains("Die zusätzliche Sitzung ist entfernt."))
            #expect(GermanPagesTests.englishIn(bodyPage.text) == [])
        }
    }
}
