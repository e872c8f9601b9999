import Coordination
import Foundation

/// A row of the `office` table, as every backend keeps it;
/// `domain()` reads it back, refusing what cannot be read.
public struct OfficeRow: Codable, Sendable {
    public var id: String
    public var name: String
    public var shortName: String
    public var administration: String
    public var mailbox: String?
    public var archived: Bool

    public init(_ o: Office, archived: Bool) {
        (id, name, shortName, administration, mailbox, self.archived) = (
            o.id, o.name, o.shortName, o.administration.rawValue, o.mailbox, archived
        )
    }

    public func domain() throws(StorageError) -> Office {
        let administration: Office.Administration = try value(administration, "administration", of: "office \(id)")
        return Office(
            id: id, name: name, shortName: shortName, administration: administration, mailbox: mailbox)
    }
}
