import Foundation
import Hummingbird

/// Errors on the pages become German HTML pages: never JSON, never English. A GET that needs a
/// sign-in leads to the sign-in page, which leads back after it. The API (`/api/`), the feeds,
/// `/healthz` and `/metrics` keep their own answers.
struct WebErrorMiddleware: RouterMiddleware {
    typealias Context = GremienContext
    let state: ServerState

    static func isPage(_ path: String) -> Bool {
        !(path.hasPrefix("/api/") || path.hasPrefix("/feeds/") || path.hasPrefix("/oparl/") || path == "/healthz"
            || path == "/metrics")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard Self.isPage(request.uri.path) else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            if error.status == .unauthorized, request.method == .get || request.method == .head {
                let back = request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
                let encoded = back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
                return Response(status: .seeOther, headers: [.location: "/?zurueck=\(encoded)"])
            }
            var headers: HTTPFields = [:]
            if let allowed = error as? HTTPError, let allow = allowed.headers[.allow] { headers[.allow] = allow }
            if let refusal = error as? APIError, let allow = refusal.allow { headers[.allow] = allow }
            return try await Self.page(state, status: error.status, detail: Self.german(error), headers: headers)
        } catch {
            // Logged with its cause by the observability middleware inside this one.
            return try await Self.page(state, status: .internalServerError, detail: nil, headers: [:])
        }
    }

    /// What went wrong, in German: the route's own German message, else one for the error's code
    /// or status. API messages are English and never shown here.
    static func german(_ error: any HTTPResponseError) -> String? {
        if let http = error as? HTTPError { return http.body }
        guard let api = error as? APIError else { return nil }
        switch api.code {
        case "invalid_date": return "Dieses Datum gibt es nicht. Schreiben Sie es als JJJJ-MM-TT, z. B. 2026-03-10."
        case "invalid_id":
            return "Die Adresse nennt kein Gremium: erlaubt sind Kleinbuchstaben, Ziffern und Bindestriche."
        case "minutes_approved": return "Die Niederschrift ist freigegeben; die Sitzung ist gesperrt."
        default: return nil
        }
    }

    struct ErrorView {
        var title: String
        var district: String
        var status: Int
        var heading: String
        var detail: String
    }

    static func page(_ state: ServerState, status: HTTPResponse.Status, detail: String?, headers: HTTPFields)
        async throws -> Response
    {
        let (heading, general) = texts(status.code)
        var response = try await Server.page(
            state, "error",
            ErrorView(
                title: heading, district: districtName(state), status: status.code, heading: heading,
                detail: detail ?? general))
        response.status = status
        for field in headers { response.headers.append(field) }
        return response
    }

    /// The heading and the general explanation of a status.
    static func texts(_ code: Int) -> (String, String) {
        switch code {
        case 400: return ("Fehlerhafte Anfrage", "Die Anfrage enthält Angaben, die Gremien nicht lesen kann.")
        case 401: return ("Anmeldung erforderlich", "Bitte melden Sie sich an.")
        case 403: return ("Keine Berechtigung", "Für diese Seite oder Änderung fehlt Ihnen die Berechtigung.")
        case 404:
            return (
                "Seite nicht gefunden",
                "Diese Seite gibt es nicht. Vielleicht ist der Link veraltet, oder an diesem Tag findet keine Sitzung statt."
            )
        case 405: return ("Nicht erlaubt", "Diese Adresse lässt sich so nicht aufrufen.")
        case 409: return ("Nicht möglich", "Die Änderung passt nicht zum aktuellen Stand der Sitzung.")
        case 412:
            return (
                "Inzwischen geändert",
                "Jemand anderes hat die Angaben inzwischen geändert. Bitte laden Sie die Seite neu."
            )
        case 413: return ("Zu umfangreich", "Die gesendeten Angaben sind zu umfangreich.")
        case 503:
            return (
                "Vorübergehend nicht verfügbar",
                "Gremien ist gerade beschäftigt oder noch nicht eingerichtet. Bitte versuchen Sie es in einigen Sekunden erneut."
            )
        case 500..<600:
            return (
                "Interner Fehler",
                "In Gremien ist ein Fehler aufgetreten. Er wurde protokolliert; bitte melden Sie ihn der Administration mit der Uhrzeit."
            )
        default: return ("Fehler \(code)", "Die Anfrage konnte nicht ausgeführt werden.")
        }
    }
}
