import Coordination
import Foundation
import Hummingbird
import Workflows

/// An error of the JSON API: an HTTP status, a stable code and a message, written as
/// `{"error": {"code": "…", "message": "…"}}`. The status is chosen here and nowhere else.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// The `Allow` header of a 405.
    public var allow: String?
    /// Why a change needs confirming (409 `confirmation_required`), written as `warnings`.
    public var warnings: [SessionWarning] = []

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"gremien\"" }
        if status == .serviceUnavailable { headers[.retryAfter] = "2" }
        if let allow { headers[.allow] = allow }
        var body: [String: Any] = ["error": ["code": code, "message": message]]
        if !warnings.isEmpty {
            body["warnings"] = warnings.map { ["code": $0.code, "message": $0.text] }
        }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func badRequest(_ code: String, _ message: String) -> APIError { APIError(.badRequest, code, message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    static func unauthorized(_ message: String) -> APIError { APIError(.unauthorized, "unauthorized", message) }
    static func forbidden(_ message: String) -> APIError { APIError(.forbidden, "forbidden", message) }
    static func unprocessable(_ message: String) -> APIError {
        APIError(.unprocessableContent, "invalid_content", message)
    }
}

/// Identifiers in paths and queries: lowercase letters, digits and hyphens, as in `calendars/`.
func validID(_ text: String, _ what: String) throws -> String {
    let ok =
        !text.isEmpty && text.utf8.count <= 64
        && text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    guard ok else {
        throw APIError.badRequest("invalid_id", "\(what) '\(text.prefix(64))' is not an id (a-z, 0-9 and -)")
    }
    return text
}

func validDate(_ text: String, _ what: String) throws -> CivilDate {
    guard let day = CivilDate(iso: text) else {
        throw APIError.badRequest("invalid_date", "\(what) '\(text.prefix(32))' is not a date (YYYY-MM-DD)")
    }
    return day
}

extension APIError {
    /// The one mapping of a workflow's refusal to an HTTP status and a stable code.
    init(_ error: WorkflowError) {
        switch error {
        case .notFound(let m): self = .notFound(m)
        case .conflict(let code, let m): self.init(.conflict, code, m)
        case .forbidden(let m): self = .forbidden(m)
        case .unauthenticated(let problem): self = .unauthorized(problem.text)
        case .invalid: self = .unprocessable(error.description)
        case .locked(let m): self.init(.conflict, "minutes_approved", m)
        case .stale(let m): self.init(.preconditionFailed, "stale", "\(m); read it again")
        case .unavailable(let m): self.init(.serviceUnavailable, "no_definitions", m)
        case .corrupt(let m): self.init(.internalServerError, "store_error", m)
        case .tooManyAttempts: self.init(.tooManyRequests, "too_many_attempts", error.description)
        case .unconfirmed(let warnings):
            self.init(.conflict, "confirmation_required", error.description + "; send \"confirm\": true to go ahead")
            self.warnings = warnings
        }
    }
}
