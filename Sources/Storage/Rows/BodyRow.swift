import Coordination
import Foundation

/// A row of the `body` table, as every backend keeps it;
/// `domain()` reads it back, refusing what cannot be read.
public struct BodyRow: Codable, Sendable {
    public var id: String
    public var name: String
    public var kind: String
    public var legalBasis: [String]
    public var agreements: [String]
    public var chair: String
    public var validFrom: String?
    public var validUntil: String?
    public var quorum: String?
    /// `invitation_days:`; `nil` for the default.
    public var invitationDays: Int?
    /// `public:` (OParl).
    public var isPublic: Bool
    public var archived: Bool

    public init(_ b: Body, archived: Bool) {
        id = b.id
        name = b.name
        kind = b.kind.rawValue
        legalBasis = b.legalBasis
        agreements = b.agreements
        chair = b.chair
        validFrom = b.validFrom?.description
        validUntil = b.validUntil?.description
        quorum = b.quorum?.rawValue
        invitationDays = b.invitationDays
        isPublic = b.isPublic
        self.archived = archived
    }

    public func domain(members: [Membership], series: [Series]) throws(StorageError) -> Body {
        let kind: Body.Kind = try value(kind, "kind", of: "body \(id)")
        var rule: QuorumRule?
        if let quorum { rule = try value(quorum, "quorum", of: "body \(id)") }
        return Body(
            id: id, name: name, kind: kind, legalBasis: legalBasis, agreements: agreements, chair: chair,
            members: members, validFrom: try date(validFrom, "body \(id)"),
            validUntil: try date(validUntil, "body \(id)"), series: series, quorum: rule,
            invitationDays: invitationDays, isPublic: isPublic)
    }
}
