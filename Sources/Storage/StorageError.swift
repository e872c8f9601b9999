import Coordination

/// Why the store could not do what was asked. Driver errors (SQLite, later PostgreSQL) are
/// translated into these once, at the store's boundary, and every backend answers the same
/// case for the same situation (the contract suite holds them to it). In every case nothing of
/// the change was stored.
public enum StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The row the change is about does not exist (an action item, a token).
    case notFound(String)
    /// The row is not in the state the change needs (already done, already revoked, a duplicate).
    case conflict(String)
    /// The change refers to something the store does not hold (an unknown office, series or person).
    case constraint(String)
    /// The store cannot be reached or opened, or is busy (`location`: where, and what the system said).
    case unavailable(String)
    /// The store holds something the program cannot read back (a newer schema, a damaged row).
    case corrupt(String)

    public var description: String {
        switch self {
        case .notFound(let what): return "not in the store: \(what)"
        case .conflict(let what): return "the store refused the change: \(what)"
        case .constraint(let what): return "the store refused the change: \(what)"
        case .unavailable(let what): return what
        case .corrupt(let what): return "cannot read \(what)"
        }
    }
}

extension StorageError {
    /// The refusals every backend words alike.
    public static func unknownSeries(_ body: String, _ series: String) -> StorageError {
        .constraint("series \(body)/\(series) is not in the store")
    }

    public static func unknownOffice(_ id: String) -> StorageError { .constraint("office \(id) is not in the store") }

    public static func unknownBody(_ id: String) -> StorageError { .constraint("body \(id) is not in the store") }

    public static func noSeat(_ id: Int) -> StorageError { .notFound("there is no seat \(id)") }

    public static func unknownPerson(_ name: String) -> StorageError {
        .constraint("\(name) is not in the staff records")
    }

    public static func noActionItem(_ id: Int) -> StorageError { .notFound("there is no action item \(id)") }

    public static func actionItemDone(_ id: Int) -> StorageError { .conflict("there is no open action item \(id)") }

    /// Revoking a token that is missing or revoked already: there is no active token of that id.
    public static func noActiveToken(_ id: String) -> StorageError { .notFound("there is no active token \(id)") }

    public static func emailTaken(_ email: String) -> StorageError {
        .conflict("another person's account has the e-mail address \(email)")
    }

    public static func tokenTaken(_ id: String) -> StorageError {
        .conflict("a token with the id \(id) or the same secret exists")
    }
}

extension SyncPlan {
    /// The refusal of a plan whose series belongs to a body neither in `stored` nor added by the
    /// plan itself; `nil` when the plan can be applied. Both backends check it before they write.
    public func unknownBody(stored: Set<String>) -> StorageError? {
        for change in changes {
            if case .series(let body, _, _) = change.value, !stored.contains(body),
                !changes.contains(where: { $0.subject == .body(body) && $0.action != .archived })
            {
                return .constraint("\(change.subject) belongs to an unknown body")
            }
        }
        return nil
    }
}

extension StorageError {
    /// A stored value that cannot be read back: `what` names the row, `reason` the field.
    public static func unreadable(what: String, reason: String) -> StorageError {
        .corrupt("\(what) from the store: \(reason)")
    }
}

extension AttendanceEntry {
    /// The refusal of attendance entries naming a series or an office the store does not hold
    /// (`series` as `body/series`); `nil` when all are known. Every backend checks it first.
    public static func unknown(in entries: [AttendanceEntry], offices: Set<String>, series: Set<String>)
        -> StorageError?
    {
        // An import names each session's series many times in a row: each is looked up once.
        var checked: SessionKey?
        for entry in entries {
            let key = entry.session
            if checked?.series != key.series || checked?.body != key.body {
                guard series.contains("\(key.body)/\(key.series)") else { return .unknownSeries(key.body, key.series) }
                checked = key
            }
            guard offices.contains(entry.office) else { return .unknownOffice(entry.office) }
        }
        return nil
    }
}

extension AttendanceEntry {
    /// The first session of `entries` whose minutes are approved (`approved` as `body/series/date`).
    public static func locked(in entries: [AttendanceEntry], approved: Set<String>) -> SessionKey? {
        guard !approved.isEmpty else { return nil }
        var checked: SessionKey?
        for entry in entries where entry.session != checked {
            let key = entry.session
            if approved.contains("\(key.body)/\(key.series)/\(key.date)") { return key }
            checked = key
        }
        return nil
    }
}
