import Coordination
import Foundation
import HTTPTypes
import Hummingbird
import Platform
import Publishing
import Storage
import Workflows

/// The coordinators' web pages: sign in with an API token (an HttpOnly, SameSite=Strict cookie,
/// a CSRF token on every form), the coming sessions, a session's attendance form, the minutes
/// templates and the subscription links.
func addWebRoutes(_ table: RouteTable, _ state: ServerState) {
    addSessionPageRoutes(table, state)
    addAccountPageRoutes(table, state)
    addWorkplacePageRoutes(table, state)
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
        let target = SessionTarget(body: found.body.id, date: found.key.date, series: found.series.id)
        let stored = try await state.run { try await state.workflows.attendance(of: found) }.entries
        // What was typed, line by line (see `attendanceGroups`). A stored line sent unchanged is
        // left alone; set to "nicht erfasst" or ticked "entfernen" it is removed; with another
        // person it is replaced. An empty line without a status is left alone.
        var typed: [Int: TypedRow] = [:]
        var rowOfLine: [Int] = []
        var lines: [AttendanceLine] = []
        var removals: [AttendanceRemoval] = []
        for i in 0..<400 {
            guard let given = form["office_\(i)"] else { break }
            let row = TypedRow(
                status: form["status_\(i)"] ?? "",
                person: (form["person_\(i)"] ?? "").trimmingCharacters(in: .whitespaces),
                deputy: (form["deputy_\(i)"] ?? "").trimmingCharacters(in: .whitespaces),
                arrival: form["arrival_\(i)"] ?? "", departure: form["departure_\(i)"] ?? "",
                remove: form["remove_\(i)"] != nil, guestOffice: form["gast_\(i)"] ?? "")
            typed[i] = row
            let office = given.isEmpty ? row.guestOffice : given
            let person = row.person.isEmpty ? nil : row.person
            if let original = form["orig_\(i)"] {
                let before = original.isEmpty ? nil : original
                let entry = stored.first { $0.office == office && $0.person == before }
                if row.remove || row.status.isEmpty {
                    removals.append(.init(session: target, office: office, person: before))
                    continue
                }
                if let entry, entry.status.rawValue == row.status, entry.person == person,
                    (entry.deputy ?? "") == row.deputy, (entry.arrival?.clock ?? "") == row.arrival,
                    (entry.departure?.clock ?? "") == row.departure
                {
                    continue
                }
                if person != before { removals.append(.init(session: target, office: office, person: before)) }
            }
            guard !row.status.isEmpty, !office.isEmpty else { continue }
            rowOfLine.append(i)
            lines.append(
                AttendanceLine(
                    label: "entry \(lines.count + 1)", session: target, office: office, person: person,
                    status: row.status,
                    deputy: row.deputy, arrival: row.arrival, departure: row.departure))
        }
        let base = "/sitzungen/\(found.body.id)/\(found.key.date)"
        let seriesQuery = found.body.series.count > 1 ? "series=\(found.series.id)&" : ""
        if lines.isEmpty && removals.isEmpty && !stored.isEmpty {
            return Response(status: .seeOther, headers: [.location: "\(base)?\(seriesQuery)hinweis=unveraendert"])
        }
        do {
            try await state.workflows.recordAttendance(
                lines, removing: removals, reason: form["grund"], by: user.principal)
        } catch let error as WorkflowError {
            // The form comes back as it was typed, each problem next to its field, in German.
            var messages: [Int: [String: String]] = [:]
            var general: String? = germanRefusal(error)
            if case .notFound = error { general = "Ein zu entfernender Eintrag ist nicht (mehr) gespeichert." }
            if case .invalid(let problems) = error {
                for p in problems {
                    if p.field == "grund" {
                        messages[-1, default: [:]]["grund"] = p.german
                    } else if let line = p.line, line < rowOfLine.count, let field = p.field, let german = p.german {
                        messages[rowOfLine[line], default: [:]][field] = german
                    } else if general == nil {
                        general = p.german ?? "Die Angaben enthalten einen Fehler; es wurde nichts gespeichert."
                    }
                }
                general = general ?? "Es wurde nichts gespeichert. Bitte prüfen Sie die markierten Angaben."
            }
            var view = try await sessionView(
                state, user, found, saved: false, error: general, typed: typed, messages: messages)
            view.typed["grund"] = form["grund"] ?? ""
            var response = try await page(state, "session", view)
            response.status = APIError(error).status
            return response
        }
        let path =
            "/sitzungen/\(found.body.id)/\(found.key.date)?gespeichert=1"
            + (found.body.series.count > 1 ? "&series=\(found.series.id)" : "")
        return Response(status: .seeOther, headers: [.location: path])
    }
    table.add(.get, "/sitzungen/{body}/{date}/niederschrift.{format}") { request, context in
        guard let user = try await webUser(state, request) else {
            throw HTTPError(.unauthorized, message: "Bitte anmelden")
        }
        let found = try await resolve(state, request, context)
        let format = context.parameters.get("format") ?? ""
        guard let kind = MinutesRenderer.Format(rawValue: format) else {
            throw HTTPError(.notFound, message: "Formate: md, html, odt")
        }
        let key = found.key
        var version: Int?
        if let given = request.uri.queryParameters.get("fassung") {
            guard let n = Int(given) else { throw HTTPError(.notFound, message: "Diese Fassung gibt es nicht.") }
            version = n
        }
        let (_, view) = try await state.run {
            try await state.workflows.readableMinutes(target(of: found), version: version, by: user.principal)
        }
        let name = "niederschrift-\(key.body)-\(key.date)" + (version.map { "-fassung-\($0)" } ?? "")
        return try await minutesDocument(state, view, kind, name: name)
    }
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
    guard form["csrf"] == user.csrf else {
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

func districtName(_ state: ServerState) -> String { state.feeds.districtName }

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
        var name, link, webcal, https: String
    }
    struct Task {
        var text, office, due, link: String
    }
    var title = "Übersicht"
    var district: String
    var user: String
    var csrf: String
    var menu: [MenuItem]
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
    let principal = user.principal
    var found: Overview?
    do {
        found = try await state.workflows.overview(for: principal, errors.isEmpty ? query : .init())
    } catch {
        guard let problems = invalidProblems(error) else { throw APIError(error) }
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
        district: district.name, user: user.person, csrf: user.csrf, menu: menu(user, current: "/"),
        role: rolesText(user.principal),
        bodiesText: page.ownBodies ? mine.map(\.name).joined(separator: ", ") : nil,
        bodies: mine.map { b in
            let l = feedLinks(state, "bodies/\(b.id).ics")
            return .init(name: b.name, link: "/gremien/\(b.id)", webcal: l.webcal, https: l.plain)
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
    /// One line of the attendance form: a stored entry, or an empty line for one more person.
    struct Row {
        var index: Int
        /// The office; empty on a guest's empty line (chosen there).
        var office: String
        var person, deputy, arrival, departure: String
        /// Whether the line shows a stored entry (it can be removed), and its person as stored.
        var stored: Bool
        var original: String
        var removeChecked: Bool
        var guest: Bool
        var guestOffices: [Choice]
        var options: [Choice]
        /// What is wrong with a field, shown next to it.
        var statusError, personError, deputyError, arrivalError, departureError: String?
    }
    /// The lines of one expected office (or of the guests).
    struct Group {
        var officeName, role, current: String
        var rows: [Row]
        /// Who holds the office's place that day: `Sitz: Anna Beispiel · Vertretung: 1. Ben Vertreter`.
        var seated: String?
    }
    var title: String
    var district: String
    var user: String
    var csrf: String
    var menu: [MenuItem]
    var body: String
    var when: String
    var location: String?
    var status: String
    var saved: Bool
    var error: String?
    var canWrite: Bool
    var readOnly: String
    var action: String
    var groups: [Group]
    var reasonError: String?
    var quorum: String?
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
    /// Whether and when the Ladung went out, or when it will (coming sessions only).
    var ladung: String?
    var canSendLadung = false
    var minutesState = ""
    var approved = false
    var actions: Listing<ActionRow>?
    /// The agenda in its order, with what is written under each item (editable until approval).
    var agenda: Listing<AgendaRow>?
    var canEditAgenda = false
    /// Whether the user may write into the minutes now (a coordinator, after the begin, a draft).
    var canWriteMinutes = false
    /// Whether the user may read the minutes as they stand (a draft): coordinators of the body,
    /// auditors, admins. Approved versions are also for the body's seat holders.
    var canReadDraft = false
    /// Whether the page shows what is written (a draft to those who may read it, approved minutes
    /// to the body's seat holders too).
    var showContent = false
    /// `?` or `?series=…&`, before `fassung=N`.
    var versionQuery = "?"
    /// The revision of the minutes the forms were made from (a change since is refused as stale).
    var revision = 0
    var began = "", ended = "", minuteTaker = ""
    /// The same for reading (`nil`: not recorded).
    var shownTimes: String?, shownTaker: String?
    var beganError: String?, endedError: String?, takerError: String?
    /// A case discussion: beside every text field, the rule against client data.
    var caseDiscussion = false
    var hasQuorumRule = false
    /// The approved versions, oldest first.
    var versions: Listing<VersionRow>?
    /// The agenda items to choose from for an action item.
    var itemChoices: [Choice] = []
    /// Whether the user may undo a cancellation or a move, and remove an added session.
    var canReinstate = false
    var canRemove = false
    /// For a moved or cancelled session: where it was planned and why it changed.
    var change: String?

    struct AgendaRow {
        var position: Int
        var number: Int
        var id: Int
        var text: String
        var first, last: Bool
        /// A standing item of the series: moved, never removed.
        var standing: Bool
        var discussion, results: String
        var isPublic: Bool
        var votes: [VoteRow]
        var hasVotes: Bool
        var discussionError, resultsError, voteError: String?
        /// What was typed into the item's vote form, kept on an error.
        var voteSubject = "", voteYes = "", voteNo = "", voteAbstentions = ""
        /// Whether the item has anything written, and what (read-only view; `nil`: nothing).
        var hasText: Bool
        var shownDiscussion: String?
        var shownResults: String?
    }
    struct VoteRow {
        var index: Int
        var text: String
    }
    struct VersionRow {
        var number: Int
        var text: String
    }
    var offices: [Choice] = []
    /// What was typed into the forms of the actions, kept on an error.
    var typed: [String: String] = [:]
    /// Warnings about the new time of a move, to be confirmed (a second step of the form).
    var warnings: [String] = []
    var confirmMove = false

    struct ActionRow {
        var id: Int
        var text, office, due, state: String
        var open: Bool
        /// The number of the agenda item it was agreed under.
        var item: Int?
    }
}

/// The lines of the attendance form: per expected office one line per stored entry and an empty
/// one for one more person; then the guests (offices without a seat) likewise, with an office
/// to choose on the empty line. Numbered in that order; what was typed and the problems are by
/// that number.
func attendanceGroups(
    _ found: ResolvedSession, entries: [AttendanceEntry], typed: [Int: TypedRow], messages: [Int: [String: String]],
    sheet: AttendanceSheet? = nil
) -> [SessionView.Group] {
    let day = found.session.start.local.date
    let expected = found.body.expectedOffices(on: day)
    var index = 0
    func row(
        _ office: String, _ entry: AttendanceEntry?, guest: Bool = false, choices: [String] = [], expecting: String = ""
    )
        -> SessionView.Row
    {
        defer { index += 1 }
        let sent = typed[index]
        let said = messages[index] ?? [:]
        // An Absage to the invitation fills in "entschuldigt" for a person not yet recorded.
        let declined = entry == nil && !expecting.isEmpty && sheet?.replies[expecting] == .declined
        let chosen =
            sent.map(\.status) ?? entry?.status.rawValue ?? (declined ? AttendanceEntry.Status.excused.rawValue : "")
        return .init(
            index: index, office: office, person: sent?.person ?? entry?.person ?? expecting,
            deputy: sent?.deputy ?? entry?.deputy ?? "", arrival: sent?.arrival ?? entry?.arrival?.clock ?? "",
            departure: sent?.departure ?? entry?.departure?.clock ?? "", stored: entry != nil,
            original: entry?.person ?? "", removeChecked: sent?.remove ?? false, guest: guest,
            guestOffices: choices.map {
                .init(
                    value: $0, label: found.district.office($0)?.name ?? $0,
                    selected: sent?.guestOffice == $0)
            },
            options: AttendanceEntry.Status.allCases.map {
                .init(value: $0.rawValue, label: $0.german, selected: chosen == $0.rawValue)
            }, statusError: said["status"] ?? said["office"], personError: said["person"],
            deputyError: said["deputy"], arrivalError: said["arrival"], departureError: said["departure"])
    }
    func current(_ recorded: [AttendanceEntry]) -> String {
        recorded.isEmpty
            ? "nicht erfasst"
            : recorded.map { e in
                var text = (e.person.map { "\($0): " } ?? "") + e.status.german
                if let d = e.deputy { text += " (vertreten durch \(d))" }
                if let a = e.arrival { text += ", ab \(a.clock)" }
                if let d = e.departure { text += ", bis \(d.clock)" }
                return text
            }.joined(separator: "; ")
    }
    var groups: [SessionView.Group] = []
    for m in expected {
        let recorded = entries.filter { $0.office == m.office }
        var rows = recorded.map { row(m.office, $0) }
        // The regular holders not yet recorded: a line each, their name filled in.
        let expected = sheet?.expectedPeople(m.office) ?? []
        for name in expected where !recorded.contains(where: { $0.person == name }) {
            rows.append(row(m.office, nil, expecting: name))
        }
        rows.append(row(m.office, nil))
        let deputies = sheet?.deputies(m.office) ?? []
        var seated: [String] = []
        if !expected.isEmpty {
            seated.append(
                "Sitz: "
                    + expected.map { name in
                        name
                            + (sheet?.replies[name].map { answer in
                                " (\(answer.german)\(sheet?.replyComments[name].map { ": „\($0)“" } ?? ""))"
                            } ?? "")
                    }.joined(separator: ", "))
        }
        if !deputies.isEmpty {
            seated.append(
                "Vertretung: " + deputies.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: ", ")
            )
        }
        groups.append(
            .init(
                officeName: found.district.office(m.office)?.name ?? m.office, role: m.role.german,
                current: current(recorded), rows: rows, seated: seated.isEmpty ? nil : seated.joined(separator: " · ")))
    }
    let seated = Set(expected.map(\.office))
    let guests = entries.filter { !seated.contains($0.office) }
    var rows = guests.map { row($0.office, $0) }
    let others = found.district.offices.map(\.id).filter { !seated.contains($0) }
    if !others.isEmpty { rows.append(row("", nil, guest: true, choices: others)) }
    if !rows.isEmpty {
        groups.append(.init(officeName: "Gäste", role: "ohne Sitz", current: current(guests), rows: rows))
    }
    return groups
}

/// The quorum statement: `beschlussfähig: 5 von 8 stimmberechtigten Mitgliedern anwesend (nötig: 5)`.
func quorumText(_ q: QuorumResult) -> String {
    (q.reached ? "beschlussfähig" : "nicht beschlussfähig")
        + ": \(q.present) von \(q.votingMembers) stimmberechtigten Mitgliedern anwesend oder vertreten (nötig: \(q.required))"
}

/// A row of the attendance form as it was sent.
struct TypedRow: Sendable {
    var status, person, deputy: String
    var arrival = ""
    var departure = ""
    var remove = false
    var guestOffice = ""
}

/// A workflow's refusal in German, for the top of a page; `nil` for `invalid`, whose problems
/// are shown next to their fields.
func germanRefusal(_ error: WorkflowError) -> String? {
    switch error {
    case .invalid: return nil
    case .locked:
        return
            "Die Niederschrift dieser Sitzung ist genehmigt; Anwesenheit, Tagesordnung, Inhalt und Aufgaben lassen sich erst nach dem Wiedereröffnen ändern."
    case .forbidden: return "Für die Sitzungen dieses Gremiums fehlt Ihnen die Berechtigung."
    case .conflict(let code, _) where code == "cancelled":
        return "Die Sitzung fällt aus; es gibt keine Anwesenheit zu erfassen."
    case .conflict(let code, _) where code == "not_begun":
        return
            "Die Sitzung hat noch nicht begonnen. Anwesenheit, Genehmigung der Niederschrift und erledigte Aufgaben werden ab ihrem Beginn erfasst."
    case .conflict(let code, _) where code == "already_added":
        return "Zu dieser Zeit ist schon eine zusätzliche Sitzung eingetragen; bitte diese verlegen oder absagen."
    case .conflict(let code, _) where code == "has_records":
        return
            "Zu dieser Sitzung ist schon etwas erfasst (Anwesenheit, Tagesordnung, Aufgaben oder Niederschrift); sie bleibt an ihrem Tag. Bitte absagen statt entfernen."
    case .conflict(let code, _) where code == "not_changed" || code == "not_cancelled":
        return "Die Sitzung findet wie geplant statt; es gibt nichts zurückzunehmen."
    case .conflict(let code, _) where code == "holiday":
        return "Diese Sitzung entfällt oder verschiebt sich wegen eines Feiertags; bitte verlegen statt zurücknehmen."
    case .conflict(let code, _) where code == "planned_session":
        return "Eine Sitzung der Reihe wird abgesagt, nicht entfernt."
    case .conflict(let code, _) where code == "no_recipients":
        return
            "Niemand mit Sitz in diesem Gremium hat an diesem Tag eine E-Mail-Adresse; die Ladung wurde nicht versandt. Bitte zuerst die Sitze vergeben (Seite des Gremiums)."
    case .conflict(let code, _) where code == "already_sent":
        return "Die Ladung zu dieser Sitzung ist schon versandt; sie geht nicht ein zweites Mal hinaus."
    case .conflict(let code, _) where code == "past":
        return "Die Sitzung hat begonnen; eine Ladung geht vor der Sitzung hinaus."
    case .conflict(let code, _) where code == "standing_item":
        return "Ein fester Punkt der Reihe bleibt auf der Tagesordnung; er lässt sich verschieben."
    case .conflict(let code, let m) where code == "rejected" && m.contains("approved and locked"):
        return "Die Niederschrift dieser Sitzung ist inzwischen genehmigt; es wurde nichts geändert."
    case .conflict: return "Die Änderung passt nicht zum aktuellen Stand der Sitzung."
    case .stale(let m) where m.hasPrefix("the minutes"):
        return
            "Jemand anderes hat die Niederschrift inzwischen geändert. Bitte prüfen Sie den Stand und tragen Sie Ihre Änderung erneut ein."
    case .stale:
        return
            "Jemand anderes hat die Anwesenheit inzwischen geändert. Bitte prüfen Sie die Angaben und speichern Sie erneut."
    case .notFound: return "Diese Sitzung gibt es nicht."
    case .unauthenticated(let problem):
        return problem.german ?? "Ihre Anmeldung gilt nicht mehr. Bitte melden Sie sich erneut an."
    case .unavailable: return "Gremien ist gerade beschäftigt. Bitte versuchen Sie es in einigen Sekunden erneut."
    case .corrupt: return "In den gespeicherten Daten ist ein Fehler. Bitte melden Sie ihn der Administration."
    case .tooManyAttempts(let seconds):
        return
            "Zu viele fehlgeschlagene Anmeldungen nacheinander. Bitte versuchen Sie es in \(seconds) Sekunden erneut."
    case .unconfirmed(let warnings):
        return "Bitte prüfen und bestätigen: " + warnings.map(\.german).joined(separator: " ")
    }
}

func sessionView(
    _ state: ServerState, _ user: WebUser, _ found: ResolvedSession, saved: Bool, error: String?,
    typed: [Int: TypedRow] = [:], messages: [Int: [String: String]] = [:]
) async throws -> SessionView {
    let key = found.key
    let sheet = try await state.run {
        try await state.workflows.attendance(of: found, for: user.principal)
    }
    let entries = sheet.entries
    let day = found.session.start.local.date
    let groups = attendanceGroups(found, entries: entries, typed: typed, messages: messages, sheet: sheet)
    let links = feedLinks(state, "bodies/\(found.body.id).ics")
    let series = found.body.series.count > 1 ? "?series=\(found.series.id)" : ""
    let writable = sheet.readOnly == nil
    let readOnly: String
    switch sheet.readOnly {
    case .minutesApproved?: readOnly = "Die Niederschrift ist genehmigt; die Anwesenheit ist gesperrt."
    case .cancelled?: readOnly = "Die Sitzung fällt aus."
    case .notBegun?: readOnly = "Die Sitzung hat noch nicht begonnen; die Anwesenheit wird ab ihrem Beginn erfasst."
    default: readOnly = "Nur Lesen."
    }
    let mayChange = user.principal.mayWrite(body: found.body.id)
    let actions = try await state.run { try await state.workflows.actionItems(of: found.body.id) }
        .filter { $0.session == key }
    var view = SessionView(
        title: found.body.name, district: found.district.name, user: user.person, csrf: user.csrf,
        menu: menu(user, current: ""),
        body: found.body.name,
        when:
            "\(found.session.start.local.date.german), \(found.session.start.local.clock)–\(found.session.end.local.clock) Uhr",
        location: found.session.location, status: german(found.session.status), saved: saved, error: error,
        canWrite: writable, readOnly: readOnly,
        action: "/sitzungen/\(found.body.id)/\(key.date)/anwesenheit\(series)", groups: groups,
        reasonError: messages[-1]?["grund"], quorum: sheet.quorum.map(quorumText),
        minutes: "/sitzungen/\(found.body.id)/\(key.date)/niederschrift", webcal: links.webcal, https: links.plain,
        scheme: links.scheme)
    view.base = "/sitzungen/\(found.body.id)/\(key.date)"
    view.query = series
    view.canChange = mayChange
    view.canCancel = mayChange && found.session.status != .cancelled
    view.canReinstate = mayChange && found.session.status != .scheduled
    view.canRemove = mayChange && !found.isPlanned
    if found.session.status != .cancelled && found.session.start.utc > state.workflows.clock.now().localSeconds {
        let sent = try await state.run { try await state.workflows.ladung(of: found) }
        let due = state.workflows.ladungDue(of: found)
        if let sent {
            view.ladung =
                "Versandt am \(sent.queued.date.german) "
                + (sent.recipients == 0
                    ? "an niemanden (niemand mit Sitz hatte eine E-Mail-Adresse)"
                    : "an \(sent.recipients) " + (sent.recipients == 1 ? "Person" : "Personen"))
                + (sent.actor == "automatisch" ? " (von selbst)" : "")
                + (sent.late ? "; fällig war sie am \(due.german) (Ladungsfrist \(found.body.ladungDays) Tage)." : ".")
        } else if due <= state.workflows.clock.now().date {
            view.ladung =
                "Fällig seit dem \(due.german) (Ladungsfrist \(found.body.ladungDays) Tage); sie geht mit dem nächsten "
                + "Versand an alle mit Sitz in diesem Gremium, mit der Tagesordnung, wie sie dann steht."
            view.canSendLadung = mayChange
        } else {
            view.ladung =
                "Geht am \(due.german) von selbst an alle mit Sitz in diesem Gremium "
                + "(Ladungsfrist \(found.body.ladungDays) Tage), mit der Tagesordnung, wie sie dann steht."
            view.canSendLadung = mayChange
        }
    }
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
    let record = try await state.run { try await state.workflows.minutesRecord(of: found) }
    let p = user.principal
    view.canReadDraft = p.mayReadDrafts(of: found.body.id)
    // A seat holder reads this session's minutes once they are approved.
    var approvedHere = false
    if !view.canReadDraft && view.approved {
        approvedHere = try await state.run { try await state.workflows.holdsSeat(p, in: found.body.id, on: key.date) }
    }
    let versions =
        view.canReadDraft || approvedHere
        ? try await state.run { try await state.workflows.minutesVersions(target(of: found)).versions } : []
    view.fill(record, found: found, versions: versions, agreed: actions)
    view.showContent = view.canReadDraft || approvedHere
    view.versionQuery = series.isEmpty ? "?" : series + "&"
    view.canEditAgenda = mayChange && !view.approved && found.session.status != .cancelled
    view.canWriteMinutes =
        view.canEditAgenda && found.session.start.utc <= state.workflows.clock.now().localSeconds
    let reason = found.session.reason.map { " Grund: \($0)" } ?? ""
    switch found.session.status {
    case .moved: view.change = "Verlegt; ursprünglich geplant am \(key.date.german).\(reason)"
    case .cancelled: view.change = "Abgesagt.\(reason)"
    case .scheduled: break
    }
    view.offices = found.body.members(on: day).map {
        .init(value: $0.office, label: found.district.office($0.office)?.shortName ?? $0.office, selected: false)
    }
    return view
}

/// A minutes document for download: Markdown, HTML or ODT made from one view.
func minutesDocument(_ state: ServerState, _ view: MinutesView, _ kind: MinutesRenderer.Format, name: String)
    async throws -> Response
{
    let renderer = try await MinutesRenderer(folder: state.settings.templates)
    var headers: HTTPFields = [.contentDisposition: "attachment; filename=\"\(name).\(kind.rawValue)\""]
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

func target(of found: ResolvedSession) -> SessionTarget {
    SessionTarget(body: found.body.id, date: found.key.date, series: found.series.id)
}

extension SessionView {
    /// The agenda, the minutes' content and the approved versions of a session.
    mutating func fill(
        _ record: MinutesRecord, found: ResolvedSession, versions: [MinutesVersion], agreed: [ActionItem]
    ) {
        revision = record.revision
        began = record.began ?? ""
        ended = record.ended ?? ""
        minuteTaker = record.minuteTaker ?? ""
        shownTimes = record.began.map { b in "\(b)" + (record.ended.map { " bis \($0)" } ?? "") + " Uhr" }
        shownTaker = record.minuteTaker
        caseDiscussion = found.session.kind == .fallbesprechung
        hasQuorumRule = found.body.quorum != nil
        let count = record.items.count
        agenda = .init(
            record.items.enumerated().map { i, item in
                AgendaRow(
                    position: i, number: i + 1, id: item.id, text: item.text, first: i == 0, last: i == count - 1,
                    standing: item.standing, discussion: item.discussion, results: item.results,
                    isPublic: item.isPublic,
                    votes: item.votes.enumerated().map { n, v in
                        VoteRow(index: n, text: Self.voteText(v, quorumRule: found.body.quorum != nil))
                    }, hasVotes: !item.votes.isEmpty,
                    hasText: !item.discussion.isEmpty || !item.results.isEmpty || !item.votes.isEmpty,
                    shownDiscussion: item.discussion.isEmpty ? nil : item.discussion,
                    shownResults: item.results.isEmpty ? nil : item.results)
            })
        if var rows = actions?.items {
            for i in rows.indices {
                let under = agreed.first { $0.id == rows[i].id }?.agendaItem
                rows[i].item = under.flatMap { id in record.items.firstIndex { $0.id == id }.map { $0 + 1 } }
            }
            actions = .init(rows)
        }
        itemChoices =
            [Choice(value: "", label: "– ohne –", selected: true)]
            + record.items.enumerated().map {
                Choice(value: "\($1.id)", label: "TOP \($0 + 1): \($1.text)", selected: false)
            }
        self.versions = .init(
            versions.map { v in
                VersionRow(
                    number: v.number, text: "Fassung \(v.number), genehmigt am \(v.approved.date.german) von \(v.actor)"
                )
            })
    }

    static func voteText(_ v: MinutesRecord.Vote, quorumRule: Bool) -> String {
        var text = "\(v.subject): \(v.yes) ja, \(v.no) nein, \(v.abstentions) Enthaltungen – \(v.outcome)"
        if quorumRule {
            text +=
                v.quorumHeld.map { $0 ? " (beschlussfähig)" : " (nicht beschlussfähig)" }
                ?? " (Beschlussfähigkeit nicht festgestellt)"
        }
        return text
    }

    /// What was typed into the minutes forms, and the problems next to their fields, after a refusal.
    mutating func keep(_ typed: [String: String], errors: [String: String]) {
        self.typed = typed
        if let v = typed["beginn"] { began = v }
        if let v = typed["ende"] { ended = v }
        if let v = typed["protokoll"] { minuteTaker = v }
        (beganError, endedError, takerError) = (errors["beginn"], errors["ende"], errors["protokoll"])
        guard var rows = agenda?.items else { return }
        for i in rows.indices {
            let id = rows[i].id
            if let v = typed["diskussion_\(id)"] { rows[i].discussion = v }
            if let v = typed["ergebnis_\(id)"] { rows[i].results = v }
            if typed["diskussion_\(id)"] != nil { rows[i].isPublic = typed["oeffentlich_\(id)"] != nil }
            rows[i].discussionError = errors["diskussion_\(id)"]
            rows[i].resultsError = errors["ergebnis_\(id)"]
            if typed["abstimmung_top"] == "\(id)" {
                rows[i].voteSubject = typed["gegenstand"] ?? ""
                rows[i].voteYes = typed["ja"] ?? ""
                rows[i].voteNo = typed["nein"] ?? ""
                rows[i].voteAbstentions = typed["enthaltung"] ?? ""
                rows[i].voteError =
                    ["gegenstand", "ja", "nein", "enthaltung"].compactMap { errors[$0] }.first
                    ?? errors["abstimmung"]
            }
        }
        agenda = .init(rows)
    }
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

/// One entry of a select or a group of checkboxes on a page.
struct Choice {
    var value, label: String
    var selected: Bool
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
