/// A recurring body ("Gremium") in which offices work together.
public struct Body: Sendable, Hashable, Codable, Identifiable, ValidityPeriod {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case arbeitsgemeinschaft = "Arbeitsgemeinschaft"
        case arbeitsgruppe = "Arbeitsgruppe"
        case arbeitskreis = "Arbeitskreis"
        case beirat = "Beirat"
        case dienstbesprechung = "Dienstbesprechung"
        case konferenz = "Konferenz"
        case lenkungsgruppe = "Lenkungsgruppe"
        case runde = "Runde"
        case runderTisch = "Runder Tisch"
        case team = "Team"
    }

    public var id: String
    public var name: String
    public var kind: Kind
    /// The rules the body rests on, as written (`§ 78 SGB VIII`); empty when none is cited.
    public var legalBasis: [String]
    /// Agreements and rules of procedure (`Kooperationsvereinbarung`, `Geschäftsordnung`).
    public var agreements: [String]
    /// The office that chairs the body (Vorsitz).
    public var chair: String
    public var members: [Membership]
    /// The first day the body exists; `nil` when it has always existed.
    public var validFrom: CivilDate?
    /// The last day the body exists; `nil` while it goes on.
    public var validUntil: CivilDate?
    public var series: [Series]
    /// When the body's rules make decisions depend on attendance (Beschlussfähigkeit).
    public var quorum: QuorumRule?
    /// How many days before a session its Ladung (agenda, place, documents) goes out, from the
    /// rules of procedure (`invitation_days:`); `nil`: the default, 7.
    public var invitationDays: Int?

    /// Whether its sessions, agendas and approved minutes are published (OParl, `public: true`);
    /// non-public bodies never appear there.
    public var isPublic: Bool

    /// The Ladungsfrist in days.
    public var ladungDays: Int { invitationDays ?? 7 }

    /// The day the Ladung of a session on `date` is due: the Ladungsfrist before it.
    public func ladungDue(before date: CivilDate) -> CivilDate { CivilDate(dayNumber: date.dayNumber - ladungDays) }

    public init(
        id: String, name: String, kind: Kind, legalBasis: [String] = [], agreements: [String] = [], chair: String,
        members: [Membership] = [], validFrom: CivilDate? = nil, validUntil: CivilDate? = nil, series: [Series] = [],
        quorum: QuorumRule? = nil, invitationDays: Int? = nil, isPublic: Bool = false
    ) {
        self.quorum = quorum
        self.isPublic = isPublic
        self.invitationDays = invitationDays
        self.id = id
        self.name = name
        self.kind = kind
        self.legalBasis = legalBasis
        self.agreements = agreements
        self.chair = chair
        self.members = members
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.series = series
    }

    /// The memberships in force on `date`.
    public func members(on date: CivilDate) -> [Membership] {
        members.filter { $0.isValid(on: date) }
    }
}

/// An office's seat in a body: its role, the level it sends, and for how long.
public struct Membership: Sendable, Hashable, Codable, ValidityPeriod {
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case chair
        case member
        /// Beratendes Mitglied: takes part, has no vote.
        case advisory
        case guest

        /// The German word used in feeds and minutes.
        public var german: String {
            switch self {
            case .chair: return "Vorsitz"
            case .member: return "Mitglied"
            case .advisory: return "beratendes Mitglied"
            case .guest: return "Gast"
            }
        }
    }

    /// The staff level an office sends (Amtsleitung, Sachgebietsleitung, Teamleitung, Fachkräfte).
    public enum Level: String, Sendable, Hashable, Codable, CaseIterable {
        case al = "AL"
        case sgl = "SGL"
        case tl = "TL"
        case staff
    }

    public var office: String
    public var role: Role
    public var levels: [Level]
    public var validFrom: CivilDate?
    public var validUntil: CivilDate?

    public init(
        office: String, role: Role, levels: [Level] = [], validFrom: CivilDate? = nil, validUntil: CivilDate? = nil
    ) {
        self.office = office
        self.role = role
        self.levels = levels
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
}

/// Something that holds from a first day to a last day (either open): a body, a membership.
public protocol ValidityPeriod {
    var validFrom: CivilDate? { get }
    var validUntil: CivilDate? { get }
}

extension ValidityPeriod {
    /// Whether `date` lies within the period (both ends inclusive).
    public func isValid(on date: CivilDate) -> Bool {
        if let validFrom, date < validFrom { return false }
        if let validUntil, date > validUntil { return false }
        return true
    }
}
