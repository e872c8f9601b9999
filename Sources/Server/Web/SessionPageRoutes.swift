import Coordination
import Foundation
import Hummingbird
import Workflows

/// The actions of the session page (issue 13): cancel, move, approve and reopen the minutes, add
/// an action item and mark it done. Each posts a form with the CSRF token, calls one workflow
/// and leads back to the session page with a German notice; a refusal shows the page again with
/// the message and what was typed.
func addSessionPageRoutes(_ table: RouteTable, _ state: ServerState) {
    sessionAction(table, state, "absagen") { user, found, form in
        _ = try await state.workflows.cancel(
            target(found), reason: form["grund_absage"] ?? "", by: user.principal)
        return .done(.cancelled)
    }
    sessionAction(table, state, "verlegen") { user, found, form in
        // The page reads date and time; the workflow checks the rest.
        guard let day = CivilDate(iso: form["datum"] ?? "") else { return .refused("Bitte das neue Datum angeben.") }
        let clock = (form["zeit"] ?? "").prefix(5)
        guard clock.count == 5, let start = LocalDateTime(iso: "\(day)T\(clock)") else {
            return .refused("Bitte den neuen Beginn als Uhrzeit angeben, z. B. 14:00.")
        }
        let reason = (form["grund_verlegung"] ?? "").trimmingCharacters(in: .whitespaces)
        let move = Workflows.Move(
            to: start, reason: reason.isEmpty ? nil : reason, confirmed: form["bestaetigt"] == "ja")
        let (change, reinstated) = try await state.workflows.move(target(found), move, by: user.principal)
        let notice: SessionNotice = reinstated ? .movedAndReinstated : .moved
        if let added = change.exception.addition { return .doneAt(notice, added.start.date) }
        return .done(notice)
    }
    sessionAction(table, state, "wieder-ansetzen") { user, found, form in
        _ = try await state.workflows.reinstate(target(found), reason: form["grund_zurueck"] ?? "", by: user.principal)
        return .done(.reinstated)
    }
    sessionAction(table, state, "entfernen") { user, found, form in
        _ = try await state.workflows.remove(target(found), reason: form["grund_entfernen"] ?? "", by: user.principal)
        return .doneAt(.removed, found.key.date)
    }
    sessionAction(table, state, "ladung") { user, found, _ in
        _ = try await state.workflows.sendLadung(target(found), by: user.principal)
        return .done(.ladungSent)
    }
    sessionAction(table, state, "niederschrift/genehmigen") { user, found, _ in
        _ = try await state.workflows.approveMinutes(target(found), by: user.principal)
        return .done(.approved)
    }
    sessionAction(table, state, "niederschrift/wiedereroeffnen") { user, found, form in
        _ = try await state.workflows.reopenMinutes(
            target(found), reason: form["grund_wieder"] ?? "", by: user.principal)
        return .done(.reopened)
    }
    sessionAction(table, state, "aufgaben") { user, found, form in
        var due: CivilDate?
        if let given = form["frist"], !given.isEmpty {
            guard let day = CivilDate(iso: given) else { return .refused("Die Frist ist kein Datum.") }
            due = day
        }
        _ = try await state.workflows.addActionItem(
            target(found), text: form["aufgabe"] ?? "", office: form["zustaendig"] ?? "", due: due,
            agendaItem: Int(form["top"] ?? ""), by: user.principal)
        return .done(.actionAdded)
    }
    sessionAction(table, state, "niederschrift/inhalt") { user, found, form in
        let record = try await state.workflows.minutesRecord(of: found)
        var edits: [Workflows.MinutesEdit] = [
            .times(began: form["beginn"] ?? "", ended: form["ende"] ?? ""), .minuteTaker(form["protokoll"] ?? ""),
        ]
        for item in record.items where form["diskussion_\(item.id)"] != nil || form["ergebnis_\(item.id)"] != nil {
            edits.append(
                .item(
                    id: item.id, discussion: form["diskussion_\(item.id)"] ?? "",
                    results: form["ergebnis_\(item.id)"] ?? "",
                    isPublic: form["oeffentlich_\(item.id)"] != nil))
        }
        try await state.workflows.editMinutes(
            target(found), .batch(edits), revision: Int(form["stand"] ?? ""), by: user.principal)
        return .done(.minutesWritten)
    }
    table.add(.post, "/sitzungen/{body}/{date}/niederschrift/punkte/{id}/abstimmungen") { request, context in
        try await runSessionAction(state, request, context) { user, found, form in
            guard let id = Int(context.parameters.get("id") ?? "") else {
                return .refused("Diesen Tagesordnungspunkt gibt es nicht.")
            }
            var counts: [Int] = []
            for (field, word) in [("ja", "Ja"), ("nein", "Nein"), ("enthaltung", "Enthaltungen")] {
                let text = (form[field] ?? "").trimmingCharacters(in: .whitespaces)
                guard let n = Int(text.isEmpty ? "0" : text) else {
                    throw WorkflowError.invalid([
                        Problem("\(field) is not a number", german: "\(word): bitte eine Zahl angeben.", field: field)
                    ])
                }
                counts.append(n)
            }
            let quorum: Bool? = form["beschlussfaehig"] == "ja" ? true : form["beschlussfaehig"] == "nein" ? false : nil
            let vote = MinutesRecord.Vote(
                subject: form["gegenstand"] ?? "", yes: counts[0], no: counts[1], abstentions: counts[2],
                quorumHeld: quorum)
            try await state.workflows.editMinutes(
                target(found), .addVote(item: id, vote), revision: Int(form["stand"] ?? ""), by: user.principal)
            return .done(.voteAdded)
        }
    }
    table.add(.post, "/sitzungen/{body}/{date}/niederschrift/punkte/{id}/abstimmungen/{index}/entfernen") {
        request, context in
        try await runSessionAction(state, request, context) { user, found, form in
            guard let id = Int(context.parameters.get("id") ?? ""),
                let index = Int(context.parameters.get("index") ?? "")
            else { return .refused("Diese Abstimmung gibt es nicht.") }
            try await state.workflows.editMinutes(
                target(found), .removeVote(item: id, index: index), revision: Int(form["stand"] ?? ""),
                by: user.principal)
            return .done(.voteRemoved)
        }
    }
    sessionAction(table, state, "tagesordnung") { user, found, form in
        try await state.workflows.editAgenda(target(found), .add(form["punkt"] ?? ""), by: user.principal)
        return .done(.agenda)
    }
    table.add(.post, "/sitzungen/{body}/{date}/tagesordnung/{position}/{change}") { request, context in
        try await runSessionAction(state, request, context) { user, found, _ in
            guard let i = Int(context.parameters.get("position") ?? "") else {
                return .refused("Diesen Tagesordnungspunkt gibt es nicht.")
            }
            let edit: Workflows.AgendaEdit
            switch context.parameters.get("change") {
            case "hoch": edit = .moveUp(i)
            case "runter": edit = .moveDown(i)
            case "entfernen": edit = .remove(i)
            default: throw HTTPError(.notFound, message: "Diese Seite gibt es nicht.")
            }
            try await state.workflows.editAgenda(target(found), edit, by: user.principal)
            return .done(.agenda)
        }
    }
    table.add(.post, "/sitzungen/{body}/{date}/aufgaben/{id}/erledigt") { request, context in
        try await runSessionAction(state, request, context) { user, _, _ in
            guard let id = Int(context.parameters.get("id") ?? "") else {
                return .refused("Diese Aufgabe gibt es nicht.")
            }
            try await state.workflows.closeActionItem(id, by: user.principal)
            return .done(.actionDone)
        }
    }
}

/// What an action of the session page came to.
enum SessionActionResult {
    /// Done, with the notice to show on the session page.
    case done(SessionNotice)
    /// Done; the session is now found under another date (an added session moved to another day).
    case doneAt(SessionNotice, CivilDate)
    /// Refused before a workflow was asked (the page could not read a date or time): the German message.
    case refused(String)
}

private func target(_ found: ResolvedSession) -> SessionTarget {
    SessionTarget(body: found.body.id, date: found.key.date, series: found.series.id)
}

private func sessionAction(
    _ table: RouteTable, _ state: ServerState, _ path: String,
    _ perform: @escaping @Sendable (WebUser, ResolvedSession, [String: String]) async throws -> SessionActionResult
) {
    table.add(.post, "/sitzungen/{body}/{date}/\(path)") { request, context in
        try await runSessionAction(state, request, context, perform)
    }
}

/// Signed in, CSRF checked, the session resolved; then the action, and the page again.
private func runSessionAction(
    _ state: ServerState, _ request: Request, _ context: GremienContext,
    _ perform: @Sendable (WebUser, ResolvedSession, [String: String]) async throws -> SessionActionResult
) async throws -> Response {
    let (user, form) = try await signedInForm(state, request, context)
    let found = try await resolve(state, request, context)
    let series = found.body.series.count > 1 ? "series=\(found.series.id)&" : ""
    let back = "/sitzungen/\(found.body.id)/\(found.key.date)?\(series)hinweis="
    // What was typed comes back into the forms on a refusal (their fields have distinct names).
    let typed = form.filter { $0.key != "csrf" }
    do {
        switch try await perform(user, found, form) {
        case .done(let notice):
            // The feeds and the district the pages read show the change at once.
            try await state.feeds.refresh()
            return Response(status: .seeOther, headers: [.location: back + notice.rawValue])
        case .doneAt(let notice, let date):
            try await state.feeds.refresh()
            // A removed session has no page any more: back to its body.
            let place =
                notice == .removed
                ? "/gremien/\(found.body.id)?hinweis=entfernt"
                : "/sitzungen/\(found.body.id)/\(date)?\(series)hinweis=\(notice.rawValue)"
            return Response(status: .seeOther, headers: [.location: place])
        case .refused(let message):
            return try await refusedPage(state, user, found, message, typed, status: .unprocessableContent)
        }
    } catch let error as WorkflowError {
        if case .unconfirmed(let warnings) = error {
            var view = try await sessionView(
                state, user, found, saved: false,
                error: "Die Verlegung ist noch nicht eingetragen: bitte die Hinweise beim Formular prüfen.")
            view.typed = typed
            (view.warnings, view.confirmMove) = (warnings.map(\.german), true)
            var response = try await page(state, "session", view)
            response.status = .conflict
            return response
        }
        let problems = invalidProblems(error) ?? []
        let message =
            germanRefusal(error) ?? (problems.contains { $0.field != nil } ? nil : problems.compactMap(\.german).first)
            ?? "Das ging nicht: die Angaben passen nicht. Es wurde nichts geändert; die Fehler stehen bei den Feldern."
        var errors: [String: String] = [:]
        for p in problems {
            if let field = p.field, let german = p.german, errors[field] == nil { errors[field] = german }
        }
        if case .stale = error {
            errors["abstimmung"] = "Die Niederschrift wurde inzwischen geändert; bitte erneut eintragen."
        }
        return try await refusedPage(state, user, found, message, typed, errors: errors, status: APIError(error).status)
    }
}

private func refusedPage(
    _ state: ServerState, _ user: WebUser, _ found: ResolvedSession, _ message: String, _ keep: [String: String],
    errors: [String: String] = [:], status: HTTPResponse.Status
) async throws -> Response {
    var view = try await sessionView(state, user, found, saved: false, error: message)
    view.keep(keep, errors: errors)
    var response = try await page(state, "session", view)
    response.status = status
    return response
}

/// The notices of the session page, named in its address (`?hinweis=abgesagt`): only these
/// fixed texts are ever shown, so a link cannot put words into the page.
enum SessionNotice: String, CaseIterable {
    case cancelled = "abgesagt"
    case moved = "verlegt"
    case movedAndReinstated = "verlegt-und-wieder-angesetzt"
    case approved = "genehmigt"
    case reopened = "wiedereroeffnet"
    case actionAdded = "aufgabe"
    case actionDone = "erledigt"
    case added = "hinzugefuegt"
    case unchanged = "unveraendert"
    case reinstated = "wieder-angesetzt"
    case removed = "entfernt"
    case agenda = "tagesordnung"
    case minutesWritten = "niederschrift"
    case voteAdded = "abstimmung"
    case voteRemoved = "abstimmung-entfernt"
    case ladungSent = "ladung"

    var text: String {
        switch self {
        case .ladungSent:
            return
                "Die Ladung ist im Postausgang; sie geht mit dem nächsten Versand an alle mit Sitz in diesem Gremium."
        case .cancelled: return "Die Sitzung ist abgesagt."
        case .moved: return "Die Sitzung ist verlegt."
        case .movedAndReinstated: return "Die Sitzung ist verlegt und findet wieder statt."
        case .approved: return "Die Niederschrift ist genehmigt; die Anwesenheit ist nun gesperrt."
        case .reopened: return "Die Niederschrift ist wieder ein Entwurf; die Anwesenheit kann geändert werden."
        case .actionAdded: return "Die Aufgabe ist eingetragen."
        case .actionDone: return "Die Aufgabe ist als erledigt vermerkt."
        case .added: return "Die zusätzliche Sitzung ist eingetragen."
        case .unchanged: return "Es gab keine Änderung an der Anwesenheit."
        case .reinstated: return "Die Sitzung findet wieder wie geplant statt."
        case .removed: return "Die zusätzliche Sitzung ist entfernt."
        case .agenda: return "Die Tagesordnung ist gespeichert."
        case .minutesWritten: return "Die Niederschrift ist gespeichert (Entwurf)."
        case .voteAdded: return "Die Abstimmung ist eingetragen."
        case .voteRemoved: return "Die Abstimmung ist entfernt."
        }
    }
}
