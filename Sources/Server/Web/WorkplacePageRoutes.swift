import Coordination
import Foundation
import HTTPTypes
import Hummingbird
import Platform
import Publishing
import Storage
import Workflows

/// The pages beside the overview and the session: a body (Gremium), the person's own calendar
/// (Mein Kalender), the staff records (Personen), accounts and tokens (Zugänge) and the
/// auditors' page (Prüfung). Each reads or writes through one workflow.
func addWorkplacePageRoutes(_ table: RouteTable, _ state: ServerState) {
    table.add(.get, "/gremien/{body}") { request, context in
        let user = try await requireUser(state, request)
        var view = try await bodyView(state, user, context.parameters.get("body") ?? "")
        switch request.uri.queryParameters.get("hinweis") {
        case "entfernt": view.notice = SessionNotice.removed.text
        case "sitz-vergeben": view.notice = "Der Sitz ist vergeben."
        case "sitz-beendet": view.notice = "Der Sitz ist beendet (letzter Tag: gestern)."
        default: break
        }
        return try await page(state, "body", view)
    }
    table.add(.post, "/gremien/{body}/sitzungen") { request, context in
        let (user, form) = try await signedInForm(state, request, context)
        let id = context.parameters.get("body") ?? ""
        var errors: [String: String] = [:]
        let day = CivilDate(iso: form["datum"] ?? "")
        if day == nil { errors["datum"] = "Bitte das Datum angeben, z. B. 2027-03-15." }
        let clock = (form["zeit"] ?? "").prefix(5)
        let start = day.flatMap { LocalDateTime(iso: "\($0)T\(clock)") }
        if day != nil && (clock.count != 5 || start == nil) {
            errors["zeit"] = "Bitte den Beginn als Uhrzeit angeben, z. B. 14:00."
        }
        var minutes: Int?
        if let given = form["dauer"], !given.isEmpty {
            minutes = Int(given)
            if minutes == nil { errors["dauer"] = "Bitte die Dauer in Minuten angeben, z. B. 90." }
        }
        if errors.isEmpty, let start {
            let title = (form["titel"] ?? "").trimmingCharacters(in: .whitespaces)
            let place = (form["ort"] ?? "").trimmingCharacters(in: .whitespaces)
            do {
                _ = try await state.workflows.add(
                    .init(
                        body: id, start: start, durationMinutes: minutes, title: title.isEmpty ? nil : title,
                        location: place.isEmpty ? nil : place, confirmed: form["bestaetigt"] == "ja"),
                    by: user.principal)
                try await state.feeds.refresh()
                let date = start.date
                return Response(
                    status: .seeOther, headers: [.location: "/sitzungen/\(id)/\(date)?hinweis=hinzugefuegt"])
            } catch let error as WorkflowError {
                if case .unconfirmed(let warnings) = error {
                    var view = try await bodyView(state, user, id)
                    view.typed = form
                    (view.warnings, view.confirmAdd) = (warnings.map(\.german), true)
                    var response = try await page(state, "body", view)
                    response.status = .conflict
                    return response
                }
                if case .invalid(let problems) = error {
                    errors["datum"] = problems.map { $0.german ?? $0.text }.joined(separator: " ")
                } else if let text = germanRefusal(error) {
                    errors["datum"] = text
                }
                if case .forbidden = error { throw APIError(error) }
            }
        }
        var view = try await bodyView(state, user, id)
        view.typed = form
        (view.dateError, view.timeError, view.durationError) = (errors["datum"], errors["zeit"], errors["dauer"])
        var response = try await page(state, "body", view)
        response.status = .unprocessableContent
        return response
    }
    table.add(.post, "/gremien/{body}/sitze") { request, context in
        let (user, form) = try await signedInForm(state, request, context)
        let id = context.parameters.get("body") ?? ""
        var errors: [String: String] = [:]
        let from = (form["von"] ?? "").isEmpty ? nil : CivilDate(iso: form["von"] ?? "")
        if !(form["von"] ?? "").isEmpty && from == nil { errors["von"] = "Bitte ein Datum angeben, z. B. 2027-01-01." }
        let until = (form["bis"] ?? "").isEmpty ? nil : CivilDate(iso: form["bis"] ?? "")
        if !(form["bis"] ?? "").isEmpty && until == nil { errors["bis"] = "Bitte ein Datum angeben, z. B. 2027-12-31." }
        if errors.isEmpty {
            let request = SeatRequest(
                body: id, office: form["amt"] ?? "", person: form["person"] ?? "",
                deputy: form["rolle"] == "vertretung",
                from: from, until: until)
            do {
                _ = try await state.workflows.assignSeat(request, by: user.principal)
                try await state.feeds.refresh()
                return Response(status: .seeOther, headers: [.location: "/gremien/\(id)?hinweis=sitz-vergeben"])
            } catch let error as WorkflowError {
                if case .forbidden = error { throw APIError(error) }
                if case .invalid(let problems) = error {
                    for problem in problems {
                        let field =
                            ["person": "person", "office": "amt", "bis": "bis", "von": "von"][problem.field ?? ""]
                            ?? "person"
                        errors[field] = [errors[field], problem.german ?? problem.text].compactMap { $0 }.joined(
                            separator: " ")
                    }
                } else {
                    errors["sitz"] = germanRefusal(error) ?? "Der Sitz ließ sich nicht vergeben."
                }
            }
        }
        var view = try await bodyView(state, user, id)
        view.typed = form
        view.typedDeputy = form["rolle"] == "vertretung"
        view.seatOffices = view.seatOffices.map {
            Choice(value: $0.value, label: $0.label, selected: $0.value == form["amt"])
        }
        view.seatPeople = view.seatPeople.map {
            Choice(value: $0.value, label: $0.label, selected: $0.value == form["person"])
        }
        (view.officeError, view.personError, view.fromError, view.untilError) = (
            errors["amt"], errors["person"], errors["von"], errors["bis"]
        )
        view.seatError = errors["sitz"] ?? "Der Sitz ist nicht vergeben: bitte die markierten Angaben prüfen."
        var response = try await page(state, "body", view)
        response.status = .unprocessableContent
        return response
    }
    table.add(.post, "/gremien/{body}/sitze/{seat}/beenden") { request, context in
        let (user, _) = try await signedInForm(state, request, context)
        let id = context.parameters.get("body") ?? ""
        guard let seat = Int(context.parameters.get("seat") ?? "") else {
            throw HTTPError(.notFound, message: "Diesen Sitz gibt es nicht.")
        }
        _ = try await state.run { try await state.workflows.endSeat(seat, by: user.principal) }
        try await state.feeds.refresh()
        return Response(status: .seeOther, headers: [.location: "/gremien/\(id)?hinweis=sitz-beendet"])
    }
    addOwnCalendarRoutes(table, state)
    addPeoplePageRoutes(table, state)
    addAccessPageRoutes(table, state)
    addAuditPageRoutes(table, state)
}

struct BodyView {
    struct Member {
        var office, role, levels: String
    }
    /// An approved minutes the user may download.
    struct MinutesRow {
        var date, version, approved, link, query: String
    }
    var minutes: Listing<MinutesRow>? = nil
    struct SeriesRow {
        var title, start, duration, location: String
    }
    var title: String
    var district: String
    var user: String
    var csrf: String
    var menu: [MenuItem]
    var name: String
    var kind: String
    var legalBasis: String
    var chair: String
    var members: [Member]
    var series: [SeriesRow]
    var coming: Listing<OverviewView.Row>?
    var webcal, https, scheme: String
    var canAdd: Bool
    var action: String
    var typed: [String: String] = [:]
    var dateError, timeError, durationError: String?
    /// Warnings about the new session's time, to be confirmed (a second step of the form).
    var warnings: [String] = []
    var confirmAdd = false
    var notice: String?
    struct SeatRowView {
        var office, person, role, from, until: String
        var canEnd: Bool
        var endAction: String?
    }
    /// Seats name people: shown to coordinators, auditors and admins.
    var showSeats = false
    var seats: Listing<SeatRowView>?
    var canAssign = false
    var seatAction = ""
    var seatOffices: [Choice] = []
    var seatPeople: [Choice] = []
    var typedDeputy = false
    var seatError, officeError, personError, fromError, untilError: String?
}

func bodyView(_ state: ServerState, _ user: WebUser, _ id: String) async throws -> BodyView {
    let planning = try await state.run { try await state.workflows.planning() }
    guard let b = planning.district.body(id) else {
        throw HTTPError(.notFound, message: "Dieses Gremium gibt es nicht.")
    }
    let district = planning.district
    let listing = try await state.run { try await state.workflows.sessions(SessionQuery(bodies: [id])) }
    let links = feedLinks(state, "bodies/\(b.id).ics")
    let today = listing.from
    var view = BodyView(
        title: b.name, district: district.name, user: user.person, csrf: user.csrf, menu: menu(user, current: ""),
        name: b.name, kind: b.kind.rawValue, legalBasis: b.legalBasis.joined(separator: ", "),
        chair: district.office(b.chair)?.name ?? b.chair,
        members: b.members(on: today).map { m in
            .init(
                office: district.office(m.office)?.name ?? m.office, role: m.role.german,
                levels: m.levels.map(german).joined(separator: ", "))
        },
        series: b.series.map { s in
            .init(
                title: s.title ?? b.name, start: "\(s.start.date.german), \(s.start.clock) Uhr",
                duration: "\(s.durationMinutes) Minuten", location: s.location ?? "–")
        },
        coming: .init(
            listing.sessions.map { key, s in
                .init(
                    date: s.start.local.date.german, time: s.start.local.clock, body: s.title, status: german(s.status),
                    link: "/sitzungen/\(b.id)/\(key.date)" + (b.series.count > 1 ? "?series=\(key.series)" : ""))
            }), webcal: links.webcal, https: links.plain, scheme: links.scheme,
        canAdd: user.principal.mayWrite(body: b.id), action: "/gremien/\(b.id)/sitzungen")
    let approved = try await state.run { try await state.workflows.approvedMinutes(of: b.id, by: user.principal) }
    view.minutes = .init(
        approved.map { m in
            let query = b.series.count > 1 ? "?series=\(m.session.series)&" : "?"
            return .init(
                date: m.session.date.german, version: m.version.map { "Fassung \($0)" } ?? "genehmigt",
                approved: m.time.date.german,
                link: "/sitzungen/\(b.id)/\(m.session.date)/niederschrift", query: query + "fassung=\(m.version ?? 1)")
        })
    let p = user.principal
    guard p.mayAdminister || p.roles.contains(.coordinator) || p.roles.contains(.auditor) else { return view }
    let seats = try await state.run { try await state.workflows.seats(body: b.id, by: p) }
    let people = try await state.run { try await state.workflows.people() }
    view.showSeats = true
    view.canAssign = p.mayAdminister || p.mayWrite(body: b.id)
    view.seatAction = "/gremien/\(b.id)/sitze"
    view.seats = .init(
        seats.map { l in
            .init(
                office: district.office(l.seat.office)?.shortName ?? l.seat.office,
                person: l.person?.name ?? l.seat.person,
                role: l.seat.role == .regular ? "Mitglied" : "\(l.seat.rank). Vertretung",
                from: l.seat.validFrom?.german ?? "–", until: l.seat.validUntil?.german ?? "offen",
                canEnd: view.canAssign,
                endAction: (l.seat.validUntil.map { $0 >= today } ?? true)
                    ? "/gremien/\(b.id)/sitze/\(l.seat.id)/beenden" : nil)
        })
    let offices = Set(b.members.map(\.office))
    view.seatOffices = b.members(on: today).map { m in
        Choice(value: m.office, label: district.office(m.office)?.name ?? m.office, selected: false)
    }
    view.seatPeople = people.filter { offices.contains($0.office) && $0.isActive(on: today) }.map { person in
        Choice(
            value: person.id,
            label: "\(person.name) (\(district.office(person.office)?.shortName ?? person.office))", selected: false)
    }
    return view
}

// MARK: - Mein Kalender

struct CalendarView {
    struct TokenRow {
        var id, created, lastUsed, state: String
    }
    var title = "Mein Kalender"
    var district: String
    var user: String
    var csrf: String
    var menu: [MenuItem]
    var tokens: Listing<TokenRow>?
    var hasActive: Bool
    struct OwnSeat {
        var body, office, role, from, until: String
    }
    var ownSeats: Listing<OwnSeat>?
    var showsDeputies: Bool
    /// Shown once, right after issuing.
    var webcal: String?
    var https: String?
    var notice: String?
}

func addOwnCalendarRoutes(_ table: RouteTable, _ state: ServerState) {
    @Sendable func view(_ user: WebUser) async throws -> CalendarView {
        let tokens = try await state.run { try await state.workflows.ownFeedTokens(by: user.principal) }
        let (person, seats) = try await state.run { try await state.workflows.ownSeats(by: user.principal) }
        let now = state.clock.now()
        let district = try await state.run { try await state.workflows.planning() }.district
        return CalendarView(
            district: districtName(state), user: user.person, csrf: user.csrf, menu: menu(user, current: "/kalender"),
            tokens: .init(
                tokens.map { t in
                    .init(
                        id: t.id, created: t.created.germanUTC, lastUsed: t.lastUsed?.germanUTC ?? "noch nie",
                        state: t.revoked != nil ? "widerrufen" : (t.isActive(at: now) ? "gültig" : "abgelaufen"))
                }), hasActive: tokens.contains { $0.isActive(at: now) },
            ownSeats: .init(
                seats.map { l in
                    .init(
                        body: l.bodyName, office: district.office(l.seat.office)?.shortName ?? l.seat.office,
                        role: l.seat.role == .regular ? "Mitglied" : "\(l.seat.rank). Vertretung",
                        from: l.seat.validFrom?.german ?? "–", until: l.seat.validUntil?.german ?? "offen")
                }), showsDeputies: person.showsDeputySeats)
    }
    table.add(.post, "/kalender/vertretungen") { request, context in
        let (user, form) = try await signedInForm(state, request, context)
        try await state.run {
            try await state.workflows.showDeputySeats(form["vertretungen"] != "weglassen", by: user.principal)
        }
        return Response(status: .seeOther, headers: [.location: "/kalender?hinweis=gespeichert"])
    }
    table.add(.get, "/kalender") { request, _ in
        let user = try await requireUser(state, request)
        var v = try await view(user)
        switch request.uri.queryParameters.get("hinweis") {
        case "widerrufen":
            v.notice = "Ihr Abonnement-Link ist widerrufen; Kalender, die ihn nutzen, erhalten keine Termine mehr."
        case "gespeichert":
            v.notice = "Ihre Auswahl ist gespeichert; Ihr Kalender zeigt sie beim nächsten Abruf."
        default: break
        }
        return try await page(state, "calendar", v)
    }
    table.add(.post, "/kalender/link") { request, context in
        let (user, _) = try await signedInForm(state, request, context)
        let issued = try await state.run { try await state.workflows.renewOwnFeed(by: user.principal) }
        var v = try await view(user)
        let links = feedLinks(state, "personal/\(issued.secret).ics")
        (v.webcal, v.https) = (links.webcal, links.plain)
        v.notice =
            "Ihr neuer Abonnement-Link ist erstellt. Er wird nur jetzt angezeigt; frühere Links gelten nicht mehr."
        return try await page(state, "calendar", v)
    }
    table.add(.post, "/kalender/widerrufen") { request, context in
        let (user, _) = try await signedInForm(state, request, context)
        try await state.run { try await state.workflows.revokeOwnFeeds(by: user.principal) }
        return Response(status: .seeOther, headers: [.location: "/kalender?hinweis=widerrufen"])
    }
}

extension LocalDateTime {
    /// `03.12.2026, 16:52 Uhr (UTC)`.
    var germanUTC: String { "\(date.german), \(clock) Uhr (UTC)" }
}

// MARK: - Personen

struct PeopleView {
    struct Row {
        var id, name, office, level, email, until: String
    }
    var title = "Personen"
    var district: String
    var user: String
    var csrf: String
    var menu: [MenuItem]
    var people: Listing<Row>?
    var offices: [Choice]
    var levels: [Choice]
    var typed: [String: String] = [:]
    var notice: String?
    var nameError, officeError, emailError: String?
    /// The change form: the people to choose, and its problems.
    var choosable: [Choice] = []
    var changeOffices: [Choice] = []
    var changeError, changeEmailError, changeUntilError: String?
}

func addPeoplePageRoutes(_ table: RouteTable, _ state: ServerState) {
    @Sendable func view(_ user: WebUser, typed: [String: String]) async throws -> PeopleView {
        guard user.principal.mayAdminister || user.principal.roles.contains(.coordinator) else {
            throw HTTPError(.forbidden, message: "Personen pflegen die Koordination und die Verwaltung.")
        }
        let planning = try await state.run { try await state.workflows.planning() }
        let people = try await state.run { try await state.workflows.people() }
        let district = planning.district
        return PeopleView(
            district: district.name, user: user.person, csrf: user.csrf, menu: menu(user, current: "/personen"),
            people: .init(
                people.map { p in
                    .init(
                        id: p.id, name: p.name, office: district.office(p.office)?.shortName ?? p.office,
                        level: german(p.level), email: p.email ?? "–", until: p.until?.german ?? "–")
                }),
            offices: district.offices.map {
                .init(value: $0.id, label: $0.name, selected: typed["dienststelle"] == $0.id)
            },
            levels: Membership.Level.allCases.map {
                .init(value: $0.rawValue, label: german($0), selected: typed["ebene"] == $0.rawValue)
            }, typed: typed,
            choosable: people.map {
                .init(
                    value: $0.id, label: "\($0.name) (\(district.office($0.office)?.shortName ?? $0.office), \($0.id))",
                    selected: typed["aendern_person"] == $0.id)
            },
            changeOffices: [
                Choice(value: "", label: "unverändert", selected: (typed["aendern_dienststelle"] ?? "").isEmpty)
            ]
                + district.offices.map {
                    .init(value: $0.id, label: $0.name, selected: typed["aendern_dienststelle"] == $0.id)
                })
    }
    table.add(.post, "/personen/aendern") { request, context in
        let (user, form) = try await signedInForm(state, request, context)
        var v = try await view(user, typed: form)
        let untilText = form["aendern_bis"] ?? ""
        let until = untilText.isEmpty ? nil : CivilDate(iso: untilText)
        if !untilText.isEmpty && until == nil {
            v.changeUntilError = "Bitte ein Datum angeben, z. B. 2027-03-31."
        } else {
            let office = form["aendern_dienststelle"] ?? ""
            let email = form["aendern_email"] ?? ""
            let change = PersonChange(
                office: office.isEmpty ? nil : office, email: email.isEmpty ? nil : email, until: until)
            do {
                let person = try await state.workflows.updatePerson(
                    form["aendern_person"] ?? "", change, by: user.principal)
                try await state.feeds.refresh()
                let encoded = person.name.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ""
                return Response(status: .seeOther, headers: [.location: "/personen?gespeichert=\(encoded)"])
            } catch let error as WorkflowError {
                if case .forbidden = error { throw APIError(error) }
                if case .invalid(let problems) = error, problems.contains(where: { $0.field == "email" }) {
                    v.changeEmailError = problems.compactMap(\.german).joined(separator: " ")
                } else {
                    v.changeError =
                        (invalidProblems(error)?.compactMap(\.german).first) ?? germanRefusal(error)
                        ?? "Die Angaben passen nicht; es wurde nichts geändert."
                    if case .notFound = error { v.changeError = "Diese Person gibt es nicht." }
                }
            }
        }
        var response = try await page(state, "people", v)
        response.status = .unprocessableContent
        return response
    }
    table.add(.get, "/personen") { request, _ in
        let user = try await requireUser(state, request)
        var v = try await view(user, typed: [:])
        if let saved = request.uri.queryParameters.get("gespeichert") { v.notice = "\(saved) ist gespeichert." }
        return try await page(state, "people", v)
    }
    table.add(.post, "/personen") { request, context in
        let (user, form) = try await signedInForm(state, request, context)
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        var v = try await view(user, typed: form)
        guard let level = Membership.Level(rawValue: form["ebene"] ?? "") else {
            v.officeError = "Bitte die Ebene wählen."
            var response = try await page(state, "people", v)
            response.status = .unprocessableContent
            return response
        }
        do {
            try await state.workflows.savePerson(
                name: name, office: form["dienststelle"] ?? "", level: level, email: email.isEmpty ? nil : email,
                by: user.principal)
        } catch let error as WorkflowError {
            if case .forbidden = error { throw APIError(error) }
            switch error {
            case .invalid(let problems):
                for p in problems {
                    if p.field == "email" { v.emailError = p.german } else { v.nameError = p.german ?? p.text }
                }
            case .notFound: v.officeError = "Bitte eine Dienststelle wählen."
            default: v.nameError = germanRefusal(error)
            }
            var response = try await page(state, "people", v)
            response.status = .unprocessableContent
            return response
        }
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ""
        return Response(status: .seeOther, headers: [.location: "/personen?gespeichert=\(encoded)"])
    }
}

/// A level as the pages name it (`staff`: Sachbearbeitung).
func german(_ level: Membership.Level) -> String {
    level == .staff ? "Sachbearbeitung" : level.rawValue
}
