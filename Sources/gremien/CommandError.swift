import Coordination
import Workflows

/// A failure while running a command (bad input value, unreadable file, a workflow's refusal):
/// printed as `Error: message` without the usage text, exit status 1.
struct CommandError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }

    /// The one mapping of a workflow's refusal to what the command line says: every problem of
    /// invalid input on its own line, exit status 1 for every refusal.
    init(_ error: WorkflowError) {
        switch error {
        case .invalid(let problems): description = problems.map(\.text).joined(separator: "\n")
        case .unconfirmed(let warnings):
            description =
                warnings.map { "warning: \($0.text)" }.joined(separator: "\n")
                + "\nnothing was changed; repeat with --force to go ahead"
        default: description = error.description
        }
    }
}

/// Runs a workflow; its refusal becomes a `CommandError`.
func call<T>(_ work: () async throws -> T) async throws -> T {
    do { return try await work() } catch let error as WorkflowError { throw CommandError(error) }
}
