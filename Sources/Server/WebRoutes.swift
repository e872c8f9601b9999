import Coordination
import Foundation
import HTTPTypes
import Hummingbird
import Platform
import Publishing
import Workflows

/// The coordinators' web pages: sign in with an API token (an HttpOnly, SameSite=Strict cookie,
/// a CSRF token on every form), the coming sessions, a session's attendance form, the minutes
/// templates and the subscription links.
func addWebRoutes(_ table: RouteTable, _ state: ServerState) {
    addSessionPageRoutes(table, state)
    table.add(.get, "/") { request, _ in
        guard let user = try await webUser(state, request) else {
            return try await page(
                state, "login",
                LoginView(
                    title: "Anmelden", district: districtName(state), error: nil,
                    back: safeReturnPath(request.uri.queryParameters.get("zurueck"))))
        }
        if let back = safeReturnPath(request.uri.queryParameters.get("zurueck")) {
            return Response(status: .seeOther, headers: [.location: back])
        }
        return try await page(state, "overview", try await overview(state, user, request))
    }
    table.add(.post, "/anmelden") { request, context in
        // Login CSRF: a form of another site must not sign a browser in with the attacker's token.
        guard isSameOrigin(request, publicURL: state.settings.publicURL) else {
            throw HTTPError(.forbidden, message: "Die Anmeldung kam von einer fremden Seite und wurde abgelehnt.")
        }
        let form = try await formFields(request, context)
        let secret = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let token: AccessToken
        do {
            token = try await state.workflows.authenticate(secret: secret, kind: .api)
        } catch let error as WorkflowError {
            let reason = germanRefusal(error) ?? "Die Anmeldung ist nicht möglich."
            var response = try await page(
                state, "login",
                LoginView(
                    title: "Anmelden", district: districtName(state), error: "Anmeldung abgelehnt: \(reason)",
                    back: safeReturnPath(form["zurueck"])))
            response.status = .unauthorized
            return response
        }
        let (id, _) = await state.sessions.open(tokenHash: token.hash)
        var response = Response(status: .seeOther, headers: [.location: safeReturnPath(form["zurueck"]) ?? "/"])
        response.setCookie(
            Cookie(
                name: WebSessions.cookie, value: id, maxAge: Int(WebSessions.lifetime), path: "/",
                secure: state.settings.publicURL.hasPrefix("https:"), httpOnly: true, sameSite: .strict))
        return response
    }
    table.add(.post, "/abmelden") { request, context in
        if let user = try await webUser(state, request) {
            let form = try await formFields(request, context)
            guard form["csrf"] == user.entry.csrf else {
                throw HTTPError(.forbidden, message: "CSRF-Token fehlt oder ist falsch")
            }
            await state.sessions.close(user.id)
        }
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.setCookie(
            Cookie(name: WebSessions.cookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }
    table.add(.get, "/sitzungen/{body}/{date}") { request, context in
        guard let user = try await webUser(state, request) else {
            throw HTTPError(.unauthorized, message: "Bitte melden Sie sich an.")
        }
        let found = try await resolve(state, request, context)
        let saved = request.uri.queryParameters.get("gespeichert") != nil
        var view = try await sessionView(state, user, found, saved: saved, error: nil)
        view.notice = request.uri.queryParameters.get("hinweis").flatMap { SessionNotice(rawValue: String($0)) }?.text
        return try await page(state, "session", view)
    }
    table.add(.post, "/sitzungen/{body}/{date}/anwesenheit") { request, context in
        let (user, form) = try await signedInForm(state, request, context)
        let found = try await resolve(state, request, context)
        // What was typed, row by row (a row is an expected office); rows without a status are left alone.
        var typed: [Int: TypedRow] = [:]
        var rowOfLine: [Int] = []
        var entries: [EntryJSON] = []
        for i in 0..<200 {
            guard let office = form["office_\(i)"] else { break }
            let row = TypedRow(
                status: form["status_\(i)"] ?? "", person: form["person_\(i)"] ?? "", deputy: form["deputy_\(i)"] ?? "")
            typed[i] = row
            guard !row.status.isEmpty else { continue }
            rowOfLine.append(i)
            entries.append(
                EntryJSON(
                    office: office, person: row.person.isEmpty ? nil : row.person, status: row.status,
                    deputy: row.deputy.isEmpty ? nil : row.deputy, arrival: nil, departure: nil))
        }
        let target = SessionTarget(body: found.body.id, date: found.key.date, series: found.series.id)
        let lines = entries.enumerated().map { i, e in e.line(label: "entry \(i + 1)", target: target) }
        do {
            try await state.workflows.recordAttendance(lines, by: Principal(token: user.token))
        } catch let error as WorkflowError {
            // The form comes back as it was typed, each problem next to its field, in German.
            var messages: [Int: [String: String]] = [:]
            var general: String? = germanRefusal(error)
            if case .invalid(let problems) = error {
                for p in problems {
                    if let line = p.line, line < rowOfLine.count, let field = p.field, let german = p.german {
                        messages[rowOfLine[line], default: [:]][field] = german
                    } else if general == nil {
                        general = p.german ?? "Die Angaben enthalten einen Fehler; es wurde nichts gespeichert."
                    }
                }
                general = general ?? "Es wurde nichts gespeichert. Bitte prüfen Sie die markierten Angaben."
            }
            var response = try await page(
                state, "session",
                try await sessionView(
                    state, user, found, saved: false, error: general, typed: typed, messages: messages))
            response.status = APIError(error).status
            return response
        }
        let path =
            "/sitzungen/\(found.body.id)/\(found.key.date)?gespeichert=1"
            + (found.body.series.count > 1 ? "&series=\(found.series.id)" : "")
        return Response(status: .seeOther, headers: [.location: path])
    }
    table.add(.get, "/sitzungen/{body}/{date}/niederschrift.{format}") { request, context in
        guard try await webUser(state, request) != nil else {
            throw HTTPError(.unauthorized, message: "Bitte anmelden")
        }
        let found = try await resolve(state, request, context)
        let format = context.parameters.get("format") ?? ""
        guard let kind = MinutesRenderer.Format(rawValue: format) else {
            throw HTTPError(.notFound, message: "Formate: md, html, odt")
        }
        let key = found.key
        let view = try await state.run { try await state.workflows.minutesView(of: found) }
        let renderer = try await MinutesRenderer(folder: state.settings.templates)
        let name = "niederschrift-\(key.body)-\(key.date).\(format)"
        var headers: HTTPFields = [.contentDisposition: "attachment; filename=\"\(name)\""]
        let bytes: ByteBuffer
        switch kind {
        case .md, .html:
            headers[.contentType] = kind == .md ? "text/markdown; charset=utf-8" : "text/html; charset=utf-8"
            bytes = ByteBuffer(string: try renderer.text(view, format: kind))
        case .odt:
            headers[.contentType] = "application/vnd.oasis.opendocument.text"
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("minutes-\(UUID().uuidString).odt")
                .path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try renderer.writeODT(view, to: path)
            bytes = ByteBuffer(bytes: FileManager.default.contents(atPath: path) ?? Data())
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: bytes))
    }
}

/// A signed-in browser: its session id, the session and the token it was opened with.
struct WebUser: Sendable {
    var id: String
    var entry: WebSessions.Entry
    var token: AccessToken
}

func webUser(_ state: ServerState, _ request: Request) async throws -> WebUser? {
    guard let id = request.cookies[WebSessions.cookie]?.value, let entry = await state.sessions.entry(id) else {
        return nil
    }
    let hash = entry.tokenHash
    guard let token = try await state.run({ try await state.workflows.activeToken(hash: hash) }) else {
        await state.sessions.close(id)
        return nil
    }
    return WebUser(id: id, entry: entry, token: token)
}

/// The signed-in user and the fields of a form post that carries their CSRF token; 401 when
/// nobody is signed in, 403 when the token is missing or wrong.
func signedInForm(_ state: ServerState, _ request: Request, _ context: GremienContext) async throws -> (
    WebUser, [String: String]
) {
    guard let user = try await webUser(state, request) else {
        throw HTTPError(.unauthorized, message: "Bitte melden Sie sich an.")
    }
    let form = try await formFields(request, context)
    guard form["csrf"] == user.entry.csrf else {
        throw HTTPError(.forbidden, message: "CSRF-Token fehlt oder ist falsch")
    }
    return (user, form)
}

/// The fields of a form (`application/x-www-form-urlencoded`, at most 64 KiB); 400 when a
/// field is not valid percent-encoding. The first value of a name counts.
func formFields(_ request: Request, _ context: GremienContext) async throws -> [String: String] {
    var request = request
    let buffer = try await request.collectBody(upTo: context.maxUploadSize)
    return try decodeForm(String(buffer: buffer))
}

func decodeForm(_ text: String) throws -> [String: String] {
    do {
        return try URLEncodedFormDecoder().decode([String: String].self, from: text)
    } catch {
        throw HTTPError(.badRequest, message: "Das Formular ist nicht richtig kodiert.")
    }
}

func page(_ state: ServerState, _ template: String, _ view: Any) async throws -> Response {
    let html = WebPages.render(view, template)
    var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
    // No scripts, no foreign resources, no framing.
    for (name, value) in [
        (
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
        ),
        ("X-Content-Type-Options", "nosniff"),
    ] {
        if let field = HTTPField.Name(name) { headers[field] = value }
    }
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
}

func districtName(_ state: ServerState) async -> String { state.feeds.districtName }

struct LoginView {
    var title: String
    var district: String
    var error: String?
    /// Where to go after signing in (a path of this server).
    var back: String?
}

/// A path of this server to return to after signing in: it starts with one `/` (not `//`, which
/// would name another host) and holds no control characters; else `nil`.
func safeReturnPath(_ text: String?) -> String? {
    guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), !text.hasPrefix("/\\"), text.count <= 512,
        !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\\" })
    else { return nil }
    return text
}

struct OverviewView {
    struct Row {
        var date, time, body, status, link: String
    }
    struct BodyLink {
        var name, webcal, https: String
    }
    struct Choice {
        var value, label: String
        var selected: Bool
    }
    struct Task {
        var text, office, due, link: String
    }
    var title = "Übersicht"
    var district: String
    var user: String
    var csrf: String
    var role: String
    var bodiesText: String?
    var past: Listing<Row>?
    var coming: Listing<Row>?
    var period = ""
    var bodies: [BodyLink]
    var scheme: String
    var allWebcal: String
    var allHttps: String
    /// The filter as typed, its choices and what is wrong with it.
    var choices: [Choice] = []
    var von = ""
    var bis = ""
    var vonError: String?
    var bisError: String?
    var gremiumError: String?
    var withoutAttendance: Listing<Row>?
    var notApproved: Listing<Row>?
    var overdue: Listing<Task>?
    var hasOpenWork = false
}

/// `webcal://host/path` and the plain link for a feed path.
func feedLinks(_ state: ServerState, _ path: String) -> (webcal: String, plain: String, scheme: String) {
    let base = state.settings.publicURL
    let scheme = base.hasPrefix("https:") ? "https" : "http"
    let rest = base.drop { $0 != ":" }.dropFirst(3)
    return ("webcal://\(rest)/feeds/\(path)", "\(base)/feeds/\(path)", scheme)
}

func overview(_ state: ServerState, _ user: WebUser, _ request: Request) async throws -> OverviewView {
    let planning = try await state.run { try await state.workflows.planning() }
    let district = planning.district
    let asked = request.uri.queryParameters
    let gremium = asked.get("gremium").map { String($0) } ?? ""
    let von = asked.get("von").map { String($0) } ?? ""
    let bis = asked.get("bis").map { String($0) } ?? ""
    var query = OverviewQuery(body: gremium.isEmpty ? nil : gremium)
    var errors: [String: String] = [:]
    if !von.isEmpty {
        query.from = CivilDate(iso: von)
        if query.from == nil { errors["von"] = "Bitte ein Datum angeben, z. B. 2026-03-01." }
    }
    if !bis.isEmpty {
        query.through = CivilDate(iso: bis)
        if query.through == nil { errors["bis"] = "Bitte ein Datum angeben, z. B. 2026-04-30." }
    }
    let principal = Principal(token: user.token)
    var found: Overview?
    do {
        found = try await state.workflows.overview(for: principal, errors.isEmpty ? query : .init())
    } catch {
        guard let problems = invalidProblems(error) else {
            if let refusal = error as? WorkflowError { throw APIError(refusal) }
            throw error
        }
        for p in problems { errors[p.field ?? "bis"] = p.german ?? "Diese Angabe passt nicht." }
    }
    if found == nil { found = try await state.run { try await state.workflows.overview(for: principal) } }
    guard let page = found else { throw HTTPError(.internalServerError) }
    func row(_ key: SessionKey, _ s: Session) -> OverviewView.Row? {
        guard let b = district.body(s.body) else { return nil }
        let link = "/sitzungen/\(b.id)/\(key.date)" + (b.series.count > 1 ? "?series=\(key.series)" : "")
        return .init(
            date: s.start.local.date.german, time: s.start.local.clock, body: s.title, status: german(s.status),
            link: link)
    }
    let mine = page.bodies
    let all = feedLinks(state, "all.ics")
    var view = OverviewView(
        district: district.name, user: user.token.person, csrf: user.entry.csrf,
        role: user.token.role.map(german) ?? "",
        bodiesText: page.ownBodies ? mine.map(\.name).joined(separator: ", ") : nil,
        bodies: mine.map { b in
            let l = feedLinks(state, "bodies/\(b.id).ics")
            return .init(name: b.name, webcal: l.webcal, https: l.plain)
        }, scheme: all.scheme, allWebcal: all.webcal, allHttps: all.plain)
    view.past = .init(page.sessions.filter { $0.key.date < page.today }.compactMap { row($0.key, $0.session) })
    view.coming = .init(page.sessions.filter { $0.key.date >= page.today }.compactMap { row($0.key, $0.session) })
    view.period = "\(page.from.german) bis \(CivilDate(dayNumber: page.to.dayNumber - 1).german)"
    view.choices =
        [.init(value: "", label: "alle", selected: gremium.isEmpty)]
        + mine.map { .init(value: $0.id, label: $0.name, selected: $0.id == gremium) }
    (view.von, view.bis) = (von, bis)
    (view.vonError, view.bisError, view.gremiumError) = (errors["von"], errors["bis"], errors["gremium"])
    view.withoutAttendance = .init(page.openWork.withoutAttendance.compactMap { row($0.key, $0.session) })
    view.notApproved = .init(page.openWork.minutesNotApproved.compactMap { row($0.key, $0.session) })
    view.overdue = .init(
        page.openWork.overdueActions.map { a in
            .init(
                text: a.text, office: district.office(a.office)?.shortName ?? a.office, due: a.due?.german ?? "",
                link: "/sitzungen/\(a.session.body)/\(a.session.date)")
        })
    view.hasOpenWork = !page.openWork.isEmpty
    return view
}

struct SessionView {
    struct Option {
        var value, label: String
        var selected: Bool
    }
    struct Row {
        var index: Int
        var office, officeName, role, person, deputy, current: String
        var options: [Option]
        /// What is wrong with a field, shown next to it.
        var statusError, personError, deputyError: String?
    }
    var title: String
    var district: String
    var user: String
    var csrf: String
    var body: String
    var when: String
    var location: String?
    var status: String
    var saved: Bool
    var error: String?
    var canWrite: Bool
    var readOnly: String
    var action: String
    var rows: [Row]
    var minutes: String
    var webcal: String
    var https: String
    var scheme: String
    /// The session's own address, for the forms of its actions (`/sitzungen/runde/2026-03-02`).
    var base: String = ""
    /// `?series=…` when the body has several series.
    var query: String = ""
    /// A notice after an action (`Die Sitzung ist abgesagt.`).
    var notice: String?
    /// Whether the user may change the session (cancel, move) and its minutes and action items.
    var canChange = false
    var canCancel = false
    var minutesState = ""
    var approved = false
    var actions: Listing<ActionRow>?
    var offices: [Option] = []
    /// What was typed into the forms of the actions, kept on an error.
    var typed: [String: String] = [:]

    struct ActionRow {
        var id: Int
        var text, office, due, state: String
        var open: Bool
    }
}

/// A row of the attendance form as it was sent.
struct TypedRow: Sendable {
    var status, person, deputy: String
}

/// A workflow's refusal in German, for the top of a page; `nil` for `invalid`, whose problems
/// are shown next to their fields.
func germanRefusal(_ error: WorkflowError) -> String? {
    switch error {
    case .invalid: return nil
    case .locked:
        return
            "Die Niederschrift dieser Sitzung ist genehmigt; die Anwesenheit lässt sich erst nach dem Wiedereröffnen ändern."
    case .forbidden: return "Für die Sitzungen dieses Gremiums fehlt Ihnen die Berechtigung."
    case .conflict(let code, _) where code == "cancelled":
        return "Die Sitzung fällt aus; es gibt keine Anwesenheit zu erfassen."
    case .conflict: return "Die Änderung passt nicht zum aktuellen Stand der Sitzung."
    case .stale:
        return
            "Jemand anderes hat die Anwesenheit inzwischen geändert. Bitte prüfen Sie die Angaben und speichern Sie erneut."
    case .notFound: return "Diese Sitzung gibt es nicht."
    case .unauthenticated(let problem):
        return problem.german ?? "Ihre Anmeldung gilt nicht mehr. Bitte melden Sie sich erneut an."
    case .unavailable: return "Gremien ist gerade beschäftigt. Bitte versuchen Sie es in einigen Sekunden erneut."
    case .corrupt: return "In den gespeicherten Daten ist ein Fehler. Bitte melden Sie ihn der Administration."
    }
}

func sessionView(
    _ state: ServerState, _ user: WebUser, _ found: ResolvedSession, saved: Bool, error: String?,
    typed: [Int: TypedRow] = [:], messages: [Int: [String: String]] = [:]
) async throws -> SessionView {
    let key = found.key
    let sheet = try await state.run {
        try await state.workflows.attendance(of: found, for: Principal(token: user.token))
    }
    let entries = sheet.entries
    let day = found.session.start.local.date
    var rows: [SessionView.Row] = []
    for (i, m) in found.body.expectedOffices(on: day).enumerated() {
        let recorded = entries.filter { $0.office == m.office }
        let first = recorded.first { $0.person == nil } ?? recorded.first
        let sent = typed[i]
        let chosen = sent.map(\.status) ?? first?.status.rawValue ?? ""
        let options = AttendanceEntry.Status.allCases.map {
            SessionView.Option(value: $0.rawValue, label: $0.german, selected: chosen == $0.rawValue)
        }
        let said = messages[i] ?? [:]
        rows.append(
            .init(
                index: i, office: m.office, officeName: found.district.office(m.office)?.name ?? m.office,
                role: m.role.german, person: sent?.person ?? first?.person ?? "",
                deputy: sent?.deputy ?? first?.deputy ?? "",
                current: recorded.map { ($0.person.map { "\($0): " } ?? "") + $0.status.german }.joined(
                    separator: ", "),
                options: options, statusError: said["status"] ?? said["office"], personError: said["person"],
                deputyError: said["deputy"]))
    }
    let links = feedLinks(state, "bodies/\(found.body.id).ics")
    let series = found.body.series.count > 1 ? "?series=\(found.series.id)" : ""
    let writable = sheet.readOnly == nil
    let readOnly: String
    switch sheet.readOnly {
    case .minutesApproved?: readOnly = "Die Niederschrift ist genehmigt; die Anwesenheit ist gesperrt."
    case .cancelled?: readOnly = "Die Sitzung fällt aus."
    default: readOnly = "Nur Lesen."
    }
    let mayChange = Principal(token: user.token).mayWrite(body: found.body.id)
    let actions = try await state.run { try await state.workflows.actionItems(of: found.body.id) }
        .filter { $0.session == key }
    var view = SessionView(
        title: found.body.name, district: found.district.name, user: user.token.person, csrf: user.entry.csrf,
        body: found.body.name,
        when:
            "\(found.session.start.local.date.german), \(found.session.start.local.clock)–\(found.session.end.local.clock) Uhr",
        location: found.session.location, status: german(found.session.status), saved: saved, error: error,
        canWrite: writable, readOnly: readOnly,
        action: "/sitzungen/\(found.body.id)/\(key.date)/anwesenheit\(series)", rows: rows,
        minutes: "/sitzungen/\(found.body.id)/\(key.date)/niederschrift", webcal: links.webcal, https: links.plain,
        scheme: links.scheme)
    view.base = "/sitzungen/\(found.body.id)/\(key.date)"
    view.query = series
    view.canChange = mayChange
    view.canCancel = mayChange && found.session.status != .cancelled && found.isPlanned
    view.approved = sheet.minutes?.status == .approved
    view.minutesState =
        view.approved
        ? "genehmigt am \(sheet.minutes.map { $0.time.date.german } ?? "")" : "Entwurf (noch nicht genehmigt)"
    view.actions = .init(
        actions.compactMap { a in
            guard let id = a.id else { return nil }
            return .init(
                id: id, text: a.text, office: found.district.office(a.office)?.shortName ?? a.office,
                due: a.due?.german ?? "–", state: a.done == nil ? "offen" : "erledigt", open: a.done == nil)
        })
    view.offices = found.body.members(on: day).map {
        .init(value: $0.office, label: found.district.office($0.office)?.shortName ?? $0.office, selected: false)
    }
    return view
}

func german(_ status: Session.Status) -> String {
    switch status {
    case .scheduled: return "findet statt"
    case .moved: return "verlegt"
    case .cancelled: return "fällt aus"
    }
}

func german(_ role: AccessToken.Role) -> String {
    switch role {
    case .coordinator: return "Koordination"
    case .auditor: return "Prüfung"
    case .admin: return "Verwaltung"
    }
}

/// Whether a form post comes from a page of this server: its `Origin` (else its `Referer`) is
/// the public address or the address the request was sent to. A post without either (a script,
/// an old browser) passes; browsers send `Origin` with every form post.
func isSameOrigin(_ request: Request, publicURL: String) -> Bool {
    func origin(_ url: String) -> String? {
        guard let u = URLComponents(string: url), let scheme = u.scheme?.lowercased(), let host = u.host?.lowercased()
        else { return nil }
        return "\(scheme)://\(host)" + (u.port.map { ":\($0)" } ?? "")
    }
    guard let sent = request.headers[.origin].map({ $0 }) ?? request.headers[.referer].flatMap(origin) else {
        return true
    }
    var allowed: Set<String> = []
    if let own = origin(publicURL) { allowed.insert(own) }
    if let host = request.head.authority?.lowercased() {
        allowed.insert("http://\(host)")
        allowed.insert("https://\(host)")
    }
    return allowed.contains(origin(sent) ?? sent.lowercased())
}

/// The problems of an `invalid` refusal; `nil` for any other error.
func invalidProblems(_ error: any Error) -> [Problem]? {
    guard let refusal = error as? WorkflowError, case .invalid(let problems) = refusal else { return nil }
    return problems
}

/// A list for a page that is `nil` when empty, so that a template shows it, or what stands for
/// none, with one section (`{{#list}}…{{/list}}{{^list}}Keine.{{/list}}`).
struct Listing<Item> {
    var items: [Item]

    init?(_ items: [Item]) {
        guard !items.isEmpty else { return nil }
        self.items = items
    }
}
