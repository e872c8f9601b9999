import Coordination
import Foundation

/// A row of the `person` table, as every backend keeps it;
/// `domain()` reads it back, refusing what cannot be read.
public struct PersonRow: Codable, Sendable {
    public var name: String
    public var office: String
    public var level: String
    public var email: String?

    public init(_ p: Person) { (name, office, level, email) = (p.name, p.office, p.level.rawValue, p.email) }

    public func domain() throws(StorageError) -> Person {
        Person(name: name, office: office, level: try value(level, "level", of: "person \(name)"), email: email)
    }
}
