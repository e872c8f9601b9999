import Coordination
import Foundation

/// A row of the `changeLog` table (the readable history), as every backend keeps it;
/// `domain()` reads it back, refusing what cannot be read.
public struct ChangeLogRow: Codable, Sendable {
    public var id: Int64?
    public var time: String
    public var actor: String
    public var subject: String
    public var action: String
    public var detail: String

    public init(_ r: ChangeRecord) {
        (time, actor, subject, action, detail) = (r.time.description, r.actor, r.subject, r.action, r.detail)
    }

    public func domain() throws(StorageError) -> ChangeRecord {
        guard let t = LocalDateTime(iso: time) else {
            throw .unreadable(what: "change log entry \(id ?? 0)", reason: "time '\(time)'")
        }
        return ChangeRecord(time: t, actor: actor, subject: subject, action: action, detail: detail)
    }

    /// The entry with its number (the row's id).
    public func numbered() throws(StorageError) -> NumberedChange {
        guard let id else { throw .unreadable(what: "a change log entry", reason: "it has no id") }
        return NumberedChange(number: id, entry: try domain())
    }
}

extension Array where Element == ChangeLogRow {
    /// The entries of the rows with their numbers, in order.
    public func numbered() throws(StorageError) -> [NumberedChange] {
        var numbered: [NumberedChange] = []
        numbered.reserveCapacity(count)
        for row in self { numbered.append(try row.numbered()) }
        return numbered
    }
}
