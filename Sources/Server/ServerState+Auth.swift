import Coordination
import Foundation
import Hummingbird
import Storage

extension ServerState {
    /// The API token of a request (`Authorization: Bearer …`): unknown, revoked, expired or
    /// feed tokens are refused with 401. The secret itself is never logged or kept.
    func apiToken(_ request: Request) async throws -> AccessToken {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("this needs an API token: Authorization: Bearer <token>")
        }
        guard header.hasPrefix("Bearer ") else {
            throw APIError.unauthorized("the Authorization header must be: Bearer <token>")
        }
        return try await activeToken(secret: String(header.dropFirst("Bearer ".count)), kind: .api)
    }

    /// The token a secret names, if it is of `kind` and in force now; else 401.
    func activeToken(secret: String, kind: AccessToken.Kind) async throws -> AccessToken {
        guard TokenSecret.isWellFormed(secret) else { throw APIError.unauthorized("the token is not valid") }
        let hash = TokenSecret.hash(secret)
        let found = try await storeCall { () async throws(StorageError) in try await self.store.token(hash: hash) }
        guard let token = found, token.kind == kind else { throw APIError.unauthorized("the token is not valid") }
        let now = now()
        if token.revoked != nil { throw APIError.unauthorized("the token has been revoked") }
        if !token.isActive(at: now) { throw APIError.unauthorized("the token has expired") }
        // Last use is kept to the minute: not a write for every request.
        if token.lastUsed.map({ now.localSeconds - $0.localSeconds >= 60 }) ?? true {
            try? await store.markUsed(tokenID: token.id, at: now)
        }
        return token
    }

    /// 403 unless the token may write records of `body`.
    func requireWrite(_ token: AccessToken, body: String) throws {
        guard !token.mayWrite(body: body) else { return }
        switch token.role {
        case .coordinator?:
            throw APIError.forbidden(
                "this token is for \(token.bodies.joined(separator: ", ")), not for \(body)")
        case .auditor?: throw APIError.forbidden("auditors read, they do not write")
        default: throw APIError.forbidden("only a coordinator of \(body) writes its records")
        }
    }

    func requireAdmin(_ token: AccessToken) throws {
        guard token.role == .admin else { throw APIError.forbidden("only an admin token manages tokens") }
    }

    /// A store call whose `StorageError` becomes a 500 with the store's message, or 409/422 for
    /// a refused change.
    func storeCall<T: Sendable>(_ work: @Sendable () async throws(StorageError) -> T) async throws -> T {
        do {
            return try await work()
        } catch {
            switch error {
            case .rejected(let reason): throw APIError(.conflict, "rejected", reason)
            default: throw APIError(.internalServerError, "store_error", error.description)
            }
        }
    }

    /// The current district and planner, as the feeds were last built (the watcher and the
    /// server's own writes keep them current); 503 before the first sync.
    func planning() async throws -> (District, SessionPlanner) {
        if await feeds.district == nil { try await feeds.refresh() }
        guard let district = await feeds.district, let planner = await feeds.planner else {
            throw APIError(
                .serviceUnavailable, "no_definitions", "the store holds no definitions yet: gremien sync --apply")
        }
        return (district, planner)
    }

    /// The body and session a path names: `{body}/{date}` with `?series=` when needed.
    func session(body bodyID: String, date text: String, series: String?) async throws -> ResolvedSession {
        let id = try validID(bodyID, "body")
        let day = try validDate(text, "date")
        let seriesID = try series.map { try validID($0, "series") }
        let (district, planner) = try await planning()
        guard let body = district.body(id) else { throw APIError.notFound("there is no body \(id)") }
        do {
            let found = try planner.session(of: body, plannedOn: day, series: seriesID)
            return ResolvedSession(
                district: district, body: body, series: found.series, session: found.session,
                key: SessionKey(body: body.id, series: found.series.id, date: day))
        } catch {
            throw APIError.notFound(error.description)
        }
    }
}

/// A session found by body and planned date, with what is needed to show or change it.
struct ResolvedSession: Sendable {
    var district: District
    var body: Body
    var series: Series
    var session: Session
    var key: SessionKey
}
