import Coordination
import Foundation
import Hummingbird
import Workflows

extension ServerState {
    /// The API token of a request (`Authorization: Bearer …`): unknown, revoked, expired or
    /// feed tokens are refused with 401. The secret itself is never logged or kept.
    func apiToken(_ request: Request) async throws -> AccessToken {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("this needs an API token: Authorization: Bearer <token>")
        }
        // The scheme is case-insensitive (RFC 9110 11.1): `bearer` is `Bearer`.
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw APIError.unauthorized("the Authorization header must be: Bearer <token>")
        }
        return try await run {
            try await workflows.authenticate(
                secret: String(header.dropFirst(7).trimmingCharacters(in: .whitespaces)), kind: .api)
        }
    }

    /// The principal of a request's API token.
    func principal(_ request: Request) async throws -> Principal {
        let token = try await apiToken(request)
        return try await run { try await workflows.principal(token: token) }
    }

    /// A workflow call; its `WorkflowError` becomes the API's error (status chosen in `APIError`).
    func run<T>(_ work: () async throws -> T) async throws -> T {
        do { return try await work() } catch let error as WorkflowError { throw APIError(error) }
    }

    /// The target a path names, its parts checked for shape (400 when malformed).
    func target(body: String, date: String, series: String?) throws -> SessionTarget {
        SessionTarget(
            body: try validID(body, "body"), date: try validDate(date, "date"),
            series: try series.map { try validID($0, "series") })
    }
}
