import Coordination
import Foundation
import HTTPTypes
import Hummingbird
import Workflows

/// Signing in and out, one-time links and the person's own account (password). Sessions live
/// in the store: a restart or a second server keeps people signed in.
func addAccountPageRoutes(_ table: RouteTable, _ state: ServerState) {
    table.add(.post, "/anmelden") { request, context in
        // Login CSRF: a form of another site must not sign a browser in with the attacker's account.
        guard isSameOrigin(request, publicURL: state.settings.publicURL) else {
            throw HTTPError(.forbidden, message: "Die Anmeldung kam von einer fremden Seite und wurde abgelehnt.")
        }
        let form = try await formFields(request, context)
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let previous = request.cookies[WebCookie.name]?.value
        let signIn: WebSignIn
        do {
            if !token.isEmpty {
                signIn = try await state.workflows.signIn(token: token, replacing: previous)
            } else {
                signIn = try await state.workflows.signIn(
                    email: email, password: form["passwort"] ?? "",
                    address: state.clientAddress(forwardedFor(request), peer: context.remoteAddress),
                    replacing: previous)
            }
        } catch let error as WorkflowError {
            var view = LoginView(
                title: "Anmelden", district: districtName(state), back: safeReturnPath(form["zurueck"]))
            view.email = email
            if case .invalid(let problems) = error {
                view.error = problems.first?.german ?? "Bitte E-Mail-Adresse und Passwort angeben."
            } else {
                view.error = "Anmeldung abgelehnt: " + (germanRefusal(error) ?? "Die Anmeldung ist nicht möglich.")
            }
            var response = try await page(state, "login", view)
            response.status = APIError(error).status
            if case .tooManyAttempts(let seconds) = error, let field = HTTPField.Name("Retry-After") {
                response.headers[field] = String(seconds)
            }
            return response
        }
        var response = Response(status: .seeOther, headers: [.location: safeReturnPath(form["zurueck"]) ?? "/"])
        WebCookie.set(signIn.secret, on: &response, secure: state.settings.publicURL.hasPrefix("https:"))
        return response
    }
    // A link from an e-mail is opened with GET, which must not use it up (mail scanners open
    // links too): the page asks to confirm with a button.
    table.add(.get, "/anmelden/link/{secret}") { _, context in
        let secret = context.parameters.get("secret") ?? ""
        return try await page(state, "link", LinkView(district: districtName(state), link: secret))
    }
    // An answer link: GET asks to confirm (mail scanners open links), POST records the answer.
    table.add(.get, "/antwort/{secret}") { _, context in
        let secret = context.parameters.get("secret") ?? ""
        var view = ReplyView(district: districtName(state), secret: secret)
        do {
            let (link, found, name) = try await state.workflows.replyLink(secret)
            view.ask = true
            view.name = name
            view.question =
                link.answer == .accepted
                ? "möchten Sie zu dieser Sitzung zusagen?" : "möchten Sie für diese Sitzung absagen?"
            view.session = replyText(found)
            view.button = link.answer == .accepted ? "Zusagen" : "Absagen"
            return try await page(state, "reply", view)
        } catch let error as WorkflowError {
            return try await replyRefused(state, view, error)
        }
    }
    table.add(.post, "/antwort/{secret}") { request, context in
        guard isSameOrigin(request, publicURL: state.settings.publicURL) else {
            throw HTTPError(.forbidden, message: "Die Antwort kam von einer fremden Seite und wurde abgelehnt.")
        }
        let secret = context.parameters.get("secret") ?? ""
        var view = ReplyView(district: districtName(state))
        do {
            let reply = try await state.workflows.answer(secret)
            let (_, found, name) = try await state.workflows.replyLink(secret)
            view.done =
                "\(name): Ihre \(reply.answer.german) ist gespeichert – \(replyText(found)). Die Koordination sieht sie bei der Anwesenheit."
            return try await page(state, "reply", view)
        } catch let error as WorkflowError {
            return try await replyRefused(state, view, error)
        }
    }
    table.add(.post, "/anmelden/link") { request, context in
        guard isSameOrigin(request, publicURL: state.settings.publicURL) else {
            throw HTTPError(.forbidden, message: "Die Anmeldung kam von einer fremden Seite und wurde abgelehnt.")
        }
        let form = try await formFields(request, context)
        let signIn: WebSignIn
        do {
            signIn = try await state.workflows.signIn(
                link: form["link"] ?? "", replacing: request.cookies[WebCookie.name]?.value)
        } catch let error as WorkflowError {
            var view = LinkView(district: districtName(state), link: "")
            view.error = germanRefusal(error) ?? "Die Anmeldung ist nicht möglich."
            var response = try await page(state, "link", view)
            response.status = APIError(error).status
            return response
        }
        let next = signIn.session.account?.passwordHash == nil ? "/konto?hinweis=passwort-setzen" : "/"
        var response = Response(status: .seeOther, headers: [.location: next])
        WebCookie.set(signIn.secret, on: &response, secure: state.settings.publicURL.hasPrefix("https:"))
        return response
    }
    table.add(.post, "/abmelden") { request, context in
        if let user = try await webUser(state, request) {
            let form = try await formFields(request, context)
            guard form["csrf"] == user.csrf else {
                throw HTTPError(.forbidden, message: "CSRF-Token fehlt oder ist falsch")
            }
            try await state.run { try await state.workflows.signOut(secret: user.secret) }
        }
        var response = Response(status: .seeOther, headers: [.location: "/"])
        WebCookie.clear(on: &response)
        return response
    }
    table.add(.get, "/konto") { request, _ in
        let user = try await requireUser(state, request)
        var view = AccountView(user, district: districtName(state))
        switch request.uri.queryParameters.get("hinweis") {
        case "passwort-setzen": view.notice = "Sie sind angemeldet. Bitte legen Sie jetzt Ihr Passwort fest."
        case "gespeichert": view.notice = "Das neue Passwort ist gespeichert."
        default: break
        }
        return try await page(state, "account", view)
    }
    table.add(.post, "/konto/passwort") { request, context in
        let (user, form) = try await signedInForm(state, request, context)
        do {
            try await state.workflows.changePassword(
                current: form["bisher"] ?? "", new: form["neu"] ?? "", repeated: form["wiederholung"] ?? "",
                of: user.session)
        } catch let error as WorkflowError {
            var view = AccountView(user, district: districtName(state))
            if let problems = invalidProblems(error) {
                for p in problems {
                    switch p.field {
                    case "bisher": view.currentError = p.german
                    case "neu": view.newError = p.german
                    default: view.repeatError = p.german
                    }
                }
            } else {
                view.error = germanRefusal(error)
            }
            var response = try await page(state, "account", view)
            response.status = APIError(error).status
            return response
        }
        return Response(status: .seeOther, headers: [.location: "/konto?hinweis=gespeichert"])
    }
}

/// The signed-in user, or 401 (the error page leads to the sign-in page and back).
func requireUser(_ state: ServerState, _ request: Request) async throws -> WebUser {
    guard let user = try await webUser(state, request) else {
        throw HTTPError(.unauthorized, message: "Bitte melden Sie sich an.")
    }
    return user
}

struct LoginView {
    var title: String
    var district: String
    var error: String?
    /// Where to go after signing in (a path of this server).
    var back: String?
    var email = ""

    init(title: String, district: String, error: String? = nil, back: String?) {
        (self.title, self.district, self.error, self.back) = (title, district, error, back)
    }
}

/// The page of an answer link from an invitation (no sign-in: the link is the credential).
struct ReplyView {
    var title = "Antwort auf die Einladung"
    var district: String
    var secret = ""
    var name = ""
    var question = ""
    var session = ""
    var button = ""
    /// Whether the page asks to confirm (GET) rather than saying what was recorded.
    var ask = false
    var done: String?
    var error: String?
}

struct LinkView {
    var title = "Anmelden mit Link"
    var district: String
    var link: String
    var error: String?
}

/// A navigation entry of the layout.
struct MenuItem {
    var label, href: String
    var current: Bool
}

/// The layout's navigation for what the user may do.
func menu(_ principal: Principal, account: Bool, current: String) -> [MenuItem] {
    var items: [(String, String)] = [("Übersicht", "/"), ("Mein Kalender", "/kalender")]
    if principal.roles.contains(.coordinator) || principal.mayAdminister { items.append(("Personen", "/personen")) }
    if principal.mayAdminister { items.append(("Zugänge", "/zugaenge")) }
    if principal.roles.contains(.auditor) || principal.roles.contains(.localOperator) {
        items.append(("Prüfung", "/pruefung"))
    }
    if account { items.append(("Konto", "/konto")) }
    return items.map { MenuItem(label: $0.0, href: $0.1, current: $0.1 == current) }
}

func menu(_ user: WebUser, current: String) -> [MenuItem] {
    menu(user.principal, account: user.session.account != nil, current: current)
}

/// The words for the roles a person holds (`Koordination, Prüfung`; staff when none).
func rolesText(_ principal: Principal) -> String {
    var names: [String] = []
    if principal.roles.contains(.coordinator) { names.append("Koordination") }
    if principal.roles.contains(.auditor) { names.append("Prüfung") }
    if principal.roles.contains(.admin) { names.append("Verwaltung") }
    return names.isEmpty ? "Mitarbeitende" : names.joined(separator: ", ")
}

struct AccountView {
    var title = "Konto"
    var district: String
    var user: String
    var csrf: String
    var menu: [MenuItem]
    var email: String
    var roles: String
    var hasPassword: Bool
    var notice: String?
    var error: String?
    var currentError, newError, repeatError: String?
    var shortest = Workflows.passwordShortest

    init(_ user: WebUser, district: String) {
        self.district = district
        self.user = user.person
        csrf = user.csrf
        menu = Server.menu(user, current: "/konto")
        email = user.session.account?.email ?? ""
        roles = rolesText(user.principal)
        hasPassword = user.session.account?.passwordHash != nil
    }
}

/// The session an answer link is for, in a line.
func replyText(_ found: ResolvedSession) -> String {
    "„\(found.body.name)“, \(found.session.start.local.date.german), \(found.session.start.local.clock) Uhr"
        + (found.session.location.map { ", \($0)" } ?? "")
}

/// The answer page saying in German why the link did not work, with the error's status.
func replyRefused(_ state: ServerState, _ view: ReplyView, _ error: WorkflowError) async throws -> Response {
    var view = view
    view.ask = false
    view.error = replyRefusal(error)
    var response = try await page(state, "reply", view)
    response.status = APIError(error).status
    return response
}

/// Why an answer link does not work, in German.
func replyRefusal(_ error: WorkflowError) -> String {
    switch error {
    case .notFound: return "Dieser Antwort-Link ist nicht bekannt. Bitte prüfen Sie, ob er vollständig kopiert wurde."
    case .conflict(let code, _) where code == "reply_late":
        return "Die Sitzung hat schon begonnen; Antworten sind bis zu ihrem Beginn möglich."
    case .conflict(let code, _) where code == "cancelled": return "Die Sitzung fällt aus; eine Antwort ist nicht nötig."
    default: return germanRefusal(error) ?? "Die Antwort konnte nicht gespeichert werden."
    }
}

private let forwardedForName = HTTPField.Name("X-Forwarded-For")

/// The request's `X-Forwarded-For`, if any.
func forwardedFor(_ request: Request) -> String? {
    forwardedForName.flatMap { request.headers[$0] }
}
