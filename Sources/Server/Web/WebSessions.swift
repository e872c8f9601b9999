import Coordination
import Hummingbird
import Workflows

/// A signed-in browser: the secret of its cookie and its session (kept in the store, see
/// `Workflows.webSession(secret:)`).
struct WebUser: Sendable {
    var secret: String
    var session: SignedIn

    var principal: Principal { session.principal }
    var csrf: String { session.record.csrf }
    /// The person's name, as the pages greet them.
    var person: String { session.name }
    /// The person's id.
    var personID: String { session.record.person }
}

/// The cookie of a signed-in browser: HttpOnly, SameSite=Strict, Secure behind https.
enum WebCookie {
    static let name = "gremien_sitzung"

    static func set(_ secret: String, on response: inout Response, secure: Bool) {
        response.setCookie(
            Cookie(
                name: name, value: secret, maxAge: Int(Workflows.sessionLongest), path: "/", secure: secure,
                httpOnly: true, sameSite: .strict))
    }

    static func clear(on response: inout Response) {
        response.setCookie(Cookie(name: name, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
    }
}

func webUser(_ state: ServerState, _ request: Request) async throws -> WebUser? {
    guard let secret = request.cookies[WebCookie.name]?.value, !secret.isEmpty else { return nil }
    guard let session = try await state.run({ try await state.workflows.webSession(secret: secret) }) else {
        return nil
    }
    return WebUser(secret: secret, session: session)
}
