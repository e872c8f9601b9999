import Coordination
import Foundation
import HTTPTypes
import Hummingbird
import Platform
import Publishing
import Storage
import Workflows

// MARK: - Zugänge (admin): accounts, sign-in links, API and feed tokens

struct AccessView {
    struct AccountRow {
        /// The person's id, what the reset form sends.
        var id: String
        var person, email, roles, password: String
    }
    struct TokenRow {
        var id, kind, role, person, bodies, lastUsed, state: String
        var active: Bool
    }
    /// A message of the outbox and how far it got.
    struct MailRow {
        var id, kind, person, body, state, attempts, note: String
    }
    var mails: Listing<MailRow>? = nil
    struct RefusedRow {
        var time, sender, reason: String
    }
    var refused: Listing<RefusedRow>? = nil
    var title = "Zugänge"
    var district: String
    var user: String
    var csrf: String
    var menu: [MenuItem]
    var accounts: Listing<AccountRow>?
    var tokens: Listing<TokenRow>?
    var people: [Choice]
    var bodies: [Choice]
    var roles: [Choice]
    var typed: [String: String] = [:]
    /// Shown once: a sign-in link or a token's secret, and what it is.
    var shownOnce: String?
    var shownOnceLabel: String?
    var notice: String?
    var error: String?
    var emailError, bodiesError, tokenError: String?
}

func accessView(_ state: ServerState, _ user: WebUser, typed: [String: String] = [:]) async throws -> AccessView {
    let accounts = try await state.run { try await state.workflows.accounts(by: user.principal) }
    let tokens = try await state.run { try await state.workflows.tokens(by: user.principal) }
    let people = try await state.run { try await state.workflows.people() }
    let planning = try await state.run { try await state.workflows.planning() }
    let now = state.clock.now()
    let names = Dictionary(people.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    let outbox = try await state.run { try await state.workflows.outbox(limit: 30, by: user.principal) }
    var view = AccessView(
        district: planning.district.name, user: user.person, csrf: user.csrf, menu: menu(user, current: "/zugaenge"),
        accounts: .init(
            accounts.map { a in
                .init(
                    id: a.person, person: names[a.person] ?? a.person, email: a.email,
                    roles: rolesText(Principal(account: a))
                        + (a.bodies.isEmpty ? "" : " (\(a.bodies.joined(separator: ", ")))"),
                    password: a.passwordHash == nil ? "noch nicht festgelegt" : "festgelegt")
            }),
        tokens: .init(
            tokens.reversed().map { t in
                .init(
                    id: t.id, kind: t.kind == .api ? "API" : "Kalender", role: t.role.map(german) ?? "–",
                    person: names[t.person] ?? t.person,
                    bodies: t.bodies.isEmpty ? "–" : t.bodies.joined(separator: ", "),
                    lastUsed: t.lastUsed?.germanUTC ?? "noch nie",
                    state: t.revoked != nil ? "widerrufen" : (t.isActive(at: now) ? "gültig" : "abgelaufen"),
                    active: t.isActive(at: now))
            }),
        people: people.map {
            .init(value: $0.id, label: "\($0.name) (\($0.office))", selected: typed["person"] == $0.id)
        },
        bodies: planning.district.bodies.map {
            .init(value: $0.id, label: $0.name, selected: typed["gremium_\($0.id)"] != nil)
        },
        roles: AccessToken.Role.allCases.map {
            .init(value: $0.rawValue, label: german($0), selected: typed["rolle_\($0.rawValue)"] != nil)
        }, typed: typed)
    view.mails = .init(
        outbox.map { e in
            AccessView.MailRow(
                id: "\(e.id)",
                kind: mailKind(e),
                person: names[e.person] ?? e.person, body: planning.district.body(e.body)?.name ?? e.body,
                state: e.state == .sent ? "gesendet" : e.state == .failed ? "fehlgeschlagen" : "wartet",
                attempts: "\(e.attempts)",
                note: e.sentAt.map { "gesendet am \($0.germanUTC)" }
                    ?? (e.state == .failed
                        ? "vom Mailserver abgelehnt; Einzelheiten: gremien mail list"
                        : e.lastError == nil ? "" : "wird später erneut versucht; Einzelheiten: gremien mail list"))
        })
    let refused = try await state.run { try await state.workflows.refusedReplies(by: user.principal) }
    view.refused = .init(
        refused.map { r in
            AccessView.RefusedRow(time: r.time.germanUTC, sender: r.sender, reason: r.german)
        })
    return view
}

/// What an outbox entry is, in German.
private func mailKind(_ e: OutboxEntry) -> String {
    let day = e.date?.german ?? ""
    switch e.kind {
    case .update: return "Einladung (Reihe)"
    case .cancelSession: return "Absage der Sitzung vom \(day)"
    case .ladung: return "Ladung zur Sitzung vom \(day)"
    case .reminder: return "Erinnerung an den Vorsitz: Ladung vom \(day) nicht rechtzeitig"
    case .cancelRemoved: return "Absage der gestrichenen Sitzung vom \(day)"
    }
}

func addAccessPageRoutes(_ table: RouteTable, _ state: ServerState) {
    table.add(.get, "/zugaenge") { request, _ in
        let user = try await requireUser(state, request)
        var v = try await state.run { try await accessView(state, user) }
        if request.uri.queryParameters.get("hinweis") == "widerrufen" { v.notice = "Das Token ist widerrufen." }
        return try await page(state, "access", v)
    }
    table.add(.post, "/zugaenge/konten") { request, context in
        let (user, form) = try await signedInForm(state, request, context)
        let planning = try await state.run { try await state.workflows.planning() }
        let roles = AccessToken.Role.allCases.filter { form["rolle_\($0.rawValue)"] != nil }
        let bodies = planning.district.bodies.map(\.id).filter { form["gremium_\($0)"] != nil }
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        do {
            let issued = try await state.workflows.invite(
                .init(person: form["person"] ?? "", email: email.isEmpty ? nil : email, roles: roles, bodies: bodies),
                by: user.principal)
            var v = try await accessView(state, user)
            v.shownOnce = issued.url(base: state.settings.publicURL)
            v.shownOnceLabel =
                "Anmeldelink für \(issued.name) (einmal gültig bis \(issued.expires.germanUTC); nur jetzt angezeigt)"
            return try await page(state, "access", v)
        } catch let error as WorkflowError {
            if case .forbidden = error { throw APIError(error) }
            var v = try await accessView(state, user, typed: form)
            for p in invalidProblems(error) ?? [] {
                if p.field == "bodies" {
                    v.bodiesError = p.german
                } else if p.field == "email" {
                    v.emailError = p.german
                } else {
                    v.error = p.german ?? "Das Konto wurde nicht angelegt."
                }
            }
            if invalidProblems(error) == nil { v.error = germanRefusal(error) }
            var response = try await page(state, "access", v)
            response.status = APIError(error).status
            return response
        }
    }
    table.add(.post, "/zugaenge/konten/zuruecksetzen") { request, context in
        let (user, form) = try await signedInForm(state, request, context)
        let issued = try await state.run {
            try await state.workflows.resetPassword(person: form["person"] ?? "", by: user.principal)
        }
        var v = try await accessView(state, user)
        v.shownOnce = issued.url(base: state.settings.publicURL)
        v.shownOnceLabel =
            "Das Passwort von \(issued.name) ist zurückgesetzt. Neuer Anmeldelink (einmal gültig bis \(issued.expires.germanUTC); nur jetzt angezeigt)"
        return try await page(state, "access", v)
    }
    table.add(.post, "/zugaenge/tokens") { request, context in
        let (user, form) = try await signedInForm(state, request, context)
        let planning = try await state.run { try await state.workflows.planning() }
        let kind = AccessToken.Kind(rawValue: form["art"] ?? "") ?? .api
        let role = AccessToken.Role(rawValue: form["rolle"] ?? "")
        let bodies = planning.district.bodies.map(\.id).filter { form["tgremium_\($0)"] != nil }
        var expires: CivilDate?
        if let given = form["ablauf"], !given.isEmpty { expires = CivilDate(iso: given) }
        do {
            if form["ablauf"].map({ !$0.isEmpty }) ?? false, expires == nil {
                throw WorkflowError.invalid([
                    Problem("bad date", german: "Der letzte Tag ist kein Datum (z. B. 2027-06-30).")
                ])
            }
            let issued = try await state.workflows.issueToken(
                .init(
                    person: form["person"] ?? "", kind: kind, role: kind == .api ? role : nil, bodies: bodies,
                    expires: expires),
                by: user.principal)
            var v = try await accessView(state, user)
            v.shownOnce =
                kind == .feed ? feedLinks(state, "personal/\(issued.secret).ics").plain : issued.secret
            v.shownOnceLabel = "Token \(issued.token.id) für \(issued.name) (nur jetzt angezeigt)"
            return try await page(state, "access", v)
        } catch let error as WorkflowError {
            if case .forbidden = error { throw APIError(error) }
            var v = try await accessView(state, user, typed: form)
            v.tokenError =
                invalidProblems(error)?.map { $0.german ?? tokenProblemGerman($0.text) }.joined(separator: " ")
                ?? germanRefusal(error)
            var response = try await page(state, "access", v)
            response.status = APIError(error).status
            return response
        }
    }
    table.add(.post, "/zugaenge/tokens/{id}/widerrufen") { request, context in
        let (user, _) = try await signedInForm(state, request, context)
        let id = context.parameters.get("id") ?? ""
        try await state.run { try await state.workflows.revokeToken(id, by: user.principal) }
        return Response(status: .seeOther, headers: [.location: "/zugaenge?hinweis=widerrufen"])
    }
}

/// The token workflow's refusals, in German.
func tokenProblemGerman(_ text: String) -> String {
    if text.contains("needs a role") { return "Ein API-Token braucht eine Rolle." }
    if text.contains("needs the bodies") { return "Ein Token für die Koordination braucht mindestens ein Gremium." }
    if text.contains("staff records") { return "Bitte eine Person wählen." }
    if text.contains("has no seat") { return "Die Dienststelle dieser Person gehört dem Gremium nicht an." }
    if text.contains("past") { return "Der letzte Tag liegt in der Vergangenheit." }
    return "Das Token wurde nicht ausgestellt; bitte die Angaben prüfen."
}

// MARK: - Prüfung (auditors): reports, the event log's verification, the change log

struct AuditView {
    var title = "Prüfung"
    var district: String
    var user: String
    var csrf: String
    var menu: [MenuItem]
    var von: String
    var bis: String
    var formats: [Choice]
    var allPairs: Bool
    var bodies: [Choice]
    var offices: [Choice]
    var vonError, bisError, error: String?
    var intact: Bool
    var entries: Int
    var head: String
    var problems: Listing<String>?
    var changes: Int
}

func addAuditPageRoutes(_ table: RouteTable, _ state: ServerState) {
    @Sendable func requireAuditor(_ user: WebUser) throws {
        guard user.principal.roles.contains(.auditor) || user.principal.mayAdminister else {
            throw HTTPError(.forbidden, message: "Die Prüfung ist der Rechnungsprüfung vorbehalten.")
        }
    }
    /// The page: it verifies the event log and counts the change log, so a download that
    /// succeeds never builds it.
    @Sendable func view(_ user: WebUser, _ asked: [String: String]) async throws -> AuditView {
        try requireAuditor(user)
        let planning = try await state.run { try await state.workflows.planning() }
        let today = Workflows.today(planning, clock: state.clock)
        let verified = try await state.run { try await state.workflows.verifyAudit() }
        let changes = try await state.run {
            try await state.workflows.changeLogCounted(limit: 0, by: user.principal).total
        }
        let formats = [("csv", "CSV"), ("excel", "CSV für Excel"), ("json", "JSON"), ("html", "HTML (zum Drucken)")]
        return AuditView(
            district: planning.district.name, user: user.person, csrf: user.csrf,
            menu: menu(user, current: "/pruefung"),
            von: asked["von"] ?? "\(today.year)-01-01", bis: asked["bis"] ?? "\(today.year)-12-31",
            formats: formats.map { .init(value: $0.0, label: $0.1, selected: (asked["format"] ?? "csv") == $0.0) },
            allPairs: asked["alle_paare"] != nil,
            bodies: [.init(value: "", label: "alle", selected: (asked["gremium"] ?? "").isEmpty)]
                + planning.district.bodies.map {
                    .init(value: $0.id, label: $0.name, selected: asked["gremium"] == $0.id)
                },
            offices: [.init(value: "", label: "alle", selected: (asked["dienststelle"] ?? "").isEmpty)]
                + planning.district.offices.map {
                    .init(value: $0.id, label: $0.name, selected: asked["dienststelle"] == $0.id)
                },
            intact: verified.isIntact, entries: verified.entries, head: "Nr. \(verified.head.seq)",
            problems: .init(
                verified.problems.map { p in p.seq.map { "Eintrag \($0) weicht ab." } ?? "Die Kette weicht ab." }),
            changes: changes)
    }
    table.add(.get, "/pruefung") { request, _ in
        let user = try await requireUser(state, request)
        return try await page(state, "audit", try await view(user, [:]))
    }
    table.add(.get, "/pruefung/bericht") { request, _ in
        let user = try await requireUser(state, request)
        var asked: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { asked[String(k)] = String(v) }
        try requireAuditor(user)
        let from = CivilDate(iso: asked["von"] ?? "")
        let through = CivilDate(iso: asked["bis"] ?? "")
        var vonError: String?
        var bisError: String?
        var error: String?
        if from == nil { vonError = "Bitte den ersten Tag angeben, z. B. 2026-01-01." }
        if through == nil { bisError = "Bitte den letzten Tag angeben, z. B. 2026-12-31." }
        if let from, let through, from > through { bisError = "Der letzte Tag liegt vor dem ersten." }
        let formatName = asked["format"] ?? "csv"
        let format: ReportStamp.Format =
            formatName == "excel" ? .csv : (ReportStamp.Format(rawValue: formatName) ?? .csv)
        if vonError == nil, bisError == nil, let from, let through {
            do {
                let body = asked["gremium"].flatMap { $0.isEmpty ? nil : $0 }
                let office = asked["dienststelle"].flatMap { $0.isEmpty ? nil : $0 }
                // Counted and checked before the answer starts (a refusal is the page with the
                // reason); its bytes are then sent while they are made (`reportBody`).
                let prepared = try await state.workflows.preparedParticipationReport(
                    .init(
                        from: from, through: through, office: office, body: body, format: format,
                        excel: formatName == "excel", allPairs: asked["alle_paare"] != nil))
                let ext = format.rawValue
                let types = [
                    "csv": "text/csv; charset=utf-8", "json": "application/json", "html": "text/html; charset=utf-8",
                ]
                let headers: HTTPFields = [
                    .contentType: types[ext] ?? "application/octet-stream",
                    .contentDisposition: "attachment; filename=\"teilnahme-\(from)-\(through).\(ext)\"",
                ]
                return Response(status: .ok, headers: headers, body: reportBody(prepared))
            } catch let refusal as WorkflowError {
                error =
                    invalidProblems(refusal) != nil
                    ? "Der Bericht ließ sich für diese Auswahl nicht erstellen; bitte Zeitraum und Filter prüfen."
                    : germanRefusal(refusal)
            }
        }
        var v = try await view(user, asked)
        (v.vonError, v.bisError, v.error) = (vonError, bisError, error)
        var response = try await page(state, "audit", v)
        response.status = .unprocessableContent
        return response
    }
    table.add(.get, "/pruefung/aenderungen.csv") { request, _ in
        let user = try await requireUser(state, request)
        let pages = try await state.run { try state.workflows.changeLogPages(by: user.principal) }
        let headers: HTTPFields = [
            .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"aenderungen.csv\"",
        ]
        return Response(status: .ok, headers: headers, body: changeLogBody(pages))
    }
}
