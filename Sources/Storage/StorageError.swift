import Coordination

/// Why the store could not do what was asked. Driver errors (SQLite, later PostgreSQL) are
/// translated into these once, at the store's boundary.
public enum StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The store cannot be opened or created (`path`: where, `reason`: what the system said).
    case cannotOpen(location: String, reason: String)
    /// The store holds something the program cannot read back (a newer schema, a damaged row).
    case unreadable(what: String, reason: String)
    /// The change was refused; nothing of it was stored.
    case rejected(reason: String)
    /// Any other failure of the backend, with its message.
    case backend(String)

    public var description: String {
        switch self {
        case .cannotOpen(let location, let reason): return "cannot open the store \(location): \(reason)"
        case .unreadable(let what, let reason): return "cannot read \(what) from the store: \(reason)"
        case .rejected(let reason): return "the store refused the change: \(reason)"
        case .backend(let message): return "store error: \(message)"
        }
    }
}
