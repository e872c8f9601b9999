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

/// A row of the change log's subjects with their first and latest time (`subjectTimes`), as
/// every backend reads it.
public struct SubjectTimesRow: Codable, Sendable {
    public var subject: String
    public var first: String
    public var last: String

    public func domain() throws(StorageError) -> SubjectTimes {
        guard let f = LocalDateTime(iso: first), let l = LocalDateTime(iso: last) else {
            throw .unreadable(what: "change log of '\(subject)'", reason: "time '\(first)' or '\(last)'")
        }
        return SubjectTimes(subject: subject, first: f, last: l)
    }

    /// The query of both SQL stores: per subject, the time of its first entry (the smallest
    /// number) and the latest time, in the order of first entries. Times are ISO text of one
    /// width, so the largest text is the latest time.
    public static let sql = """
        SELECT c.subject AS subject, c.time AS first, g.last AS last
        FROM (SELECT subject, MIN(id) AS firstid, MAX(time) AS last FROM changeLog GROUP BY subject) g
        JOIN changeLog c ON c.id = g.firstid
        ORDER BY g.firstid
        """
}
