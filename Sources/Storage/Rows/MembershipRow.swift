import Coordination
import Foundation

/// A row of the `membership` table (current and past ones), as every backend keeps it;
/// `domain()` reads it back, refusing what cannot be read.
public struct MembershipRow: Codable, Sendable {
    public var bodyId: String
    public var position: Int
    public var office: String
    public var role: String
    public var levels: [String]
    public var validFrom: String?
    public var validUntil: String?
    /// Removed from the body by a sync (ended the day before it); kept for reports.
    public var past: Bool

    public init(_ m: Membership, body: String, position: Int, past: Bool = false) {
        bodyId = body
        self.position = position
        self.past = past
        office = m.office
        role = m.role.rawValue
        levels = m.levels.map(\.rawValue)
        validFrom = m.validFrom?.description
        validUntil = m.validUntil?.description
    }

    public func domain() throws(StorageError) -> Membership {
        let what = "membership of \(office) in \(bodyId)"
        let role: Membership.Role = try value(role, "role", of: what)
        var parsed: [Membership.Level] = []
        for level in levels { parsed.append(try value(level, "level", of: what)) }
        return Membership(
            office: office, role: role, levels: parsed, validFrom: try date(validFrom, what),
            validUntil: try date(validUntil, what))
    }
}
