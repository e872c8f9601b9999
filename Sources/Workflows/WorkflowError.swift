import Coordination
import Storage

/// Why a workflow did not do what was asked; in every case nothing was stored. The server maps
/// it to an HTTP status in one place (`APIError`), the command line to a message and an exit
/// status in one place.
public enum WorkflowError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Something named does not exist: a body, a session, a token.
    case notFound(String)
    /// The request is well-formed but the thing is not in a state that allows it
    /// (`code`: a stable word for programs, e.g. `already_cancelled`).
    case conflict(code: String, String)
    /// The acting principal may not do this.
    case forbidden(String)
    /// No valid credentials (unknown, revoked or expired token).
    case unauthenticated(Problem)
    /// What was given is wrong: one problem each, naming where and what.
    case invalid([Problem])
    /// The session's minutes are approved: its records are frozen until they are reopened.
    case locked(String)
    /// What the writer read has changed since (another write came first): read it again.
    case stale(String)
    /// The store holds no definitions yet, or cannot be reached.
    case unavailable(String)
    /// The store holds data that cannot be read.
    case corrupt(String)
    /// Too many failed sign-ins in a row (for the account or the address): the next attempt is
    /// taken after `retryAfter` seconds.
    case tooManyAttempts(retryAfter: Int)
    /// The change needs confirming first (`--force`, `"confirm": true`, the page's second step):
    /// the warnings say why (an overlap, a holiday, a weekend, a day after `plan_until` or past).
    case unconfirmed([SessionWarning])

    public var description: String {
        switch self {
        case .notFound(let m), .conflict(_, let m), .forbidden(let m), .locked(let m), .stale(let m),
            .unavailable(let m), .corrupt(let m):
            return m
        case .unauthenticated(let problem): return problem.text
        case .invalid(let problems): return problems.map(\.text).joined(separator: "; ")
        case .tooManyAttempts(let seconds):
            return "too many failed sign-ins; try again in \(seconds) seconds"
        case .unconfirmed(let warnings):
            return "not recorded without confirmation: " + warnings.map(\.text).joined(separator: "; ")
        }
    }

    /// The store's refusal as the workflow's: a reference to something missing is invalid input.
    public init(_ error: StorageError) {
        switch error {
        case .notFound: self = .notFound(error.description)
        case .conflict: self = .conflict(code: "rejected", error.description)
        case .constraint: self = .invalid([Problem(error.description)])
        case .unavailable: self = .unavailable(error.description)
        case .corrupt: self = .corrupt(error.description)
        }
    }

    /// One problem of input.
    static func invalid(_ problem: String, german: String? = nil) -> WorkflowError {
        .invalid([Problem(problem, german: german)])
    }

    /// `invalid` when a text holds a control character (`ControlCharacters`); `field` names it
    /// in the message ("the reason"). Line breaks and tabs pass only where `multiline`.
    static func requireText(_ text: String?, _ field: String, multiline: Bool = false) throws(WorkflowError) {
        guard let text, let problem = ControlCharacters.problem(in: text, field: field, multiline: multiline) else {
            return
        }
        throw .invalid(problem)
    }
}

/// One thing wrong with what was given: the text the command line and the API show, and for the
/// pages, where they can say it next to a field, the field, the line and the German text.
/// Problems are compared by their text.
public struct Problem: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// Names where and what, in the wording of the command line (`anwesenheit.csv:7: status …`).
    public var text: String
    /// The same for a page, in German; `nil` when the page says it in general terms.
    public var german: String?
    /// The field it concerns (`office`, `person`, `status`, `deputy`, `arrival`, `departure`).
    public var field: String?
    /// The index of the line it concerns, among the lines given.
    public var line: Int?

    public init(_ text: String, german: String? = nil, field: String? = nil, line: Int? = nil) {
        self.text = text
        self.german = german
        self.field = field
        self.line = line
    }

    public init(stringLiteral text: String) { self.init(text) }

    public var description: String { text }

    public static func == (a: Problem, b: Problem) -> Bool { a.text == b.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}
