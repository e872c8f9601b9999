import Coordination
import Foundation

/// A row of the `person` table, as every backend keeps it;
/// `domain()` reads it back, refusing what cannot be read.
public struct PersonRow: Codable, Sendable {
    public var id: String
    public var name: String
    public var office: String
    public var level: String
    public var email: String?
    public var until: String?
    public var showsDeputySeats: Bool

    public init(_ p: Person) {
        (id, name, office, level, email) = (p.id, p.name, p.office, p.level.rawValue, p.email)
        (until, showsDeputySeats) = (p.until?.description, p.showsDeputySeats)
    }

    public func domain() throws(StorageError) -> Person {
        let what = "person \(id)"
        return Person(
            id: id, name: name, office: office, level: try value(level, "level", of: what), email: email,
            until: try date(until, what),
            showsDeputySeats: showsDeputySeats)
    }
}

/// A row of the `seat` table.
public struct SeatRow: Codable, Sendable {
    public var id: Int64?
    public var bodyId: String
    public var office: String
    public var person: String
    public var role: String
    public var rank: Int
    public var validFrom: String?
    public var validUntil: String?

    public init(_ s: Seat) {
        id = s.id == 0 ? nil : Int64(s.id)
        (bodyId, office, person, role, rank) = (s.body, s.office, s.person, s.role.rawValue, s.rank)
        (validFrom, validUntil) = (s.validFrom?.description, s.validUntil?.description)
    }

    public func domain() throws(StorageError) -> Seat {
        let what = "seat \(id ?? 0)"
        return Seat(
            id: Int(id ?? 0), body: bodyId, office: office, person: person, role: try value(role, "role", of: what),
            rank: rank, from: try date(validFrom, what), until: try date(validUntil, what))
    }
}
