/// An office ("Amt") or partner organisation that sends people to bodies.
public struct Office: Sendable, Hashable, Codable, Identifiable {
    /// Where the office stands: inside the district administration (an Amt of the Kreis) or a
    /// partner outside it (the city's Jugendamt, the Agentur für Arbeit, a provider).
    public enum Administration: String, Sendable, Hashable, Codable, CaseIterable {
        case district
        case external
    }

    /// Stable identifier used in files, feeds and records (`jc`, `ja-k`, `soza`).
    public var id: String
    public var name: String
    public var shortName: String
    public var administration: Administration
    /// The office's functional mailbox (`jobcenter-gremien@kreis.example`, never a person's):
    /// the ORGANIZER and Reply-To of the invitations of the bodies it chairs; `nil`: the
    /// district's sender mailbox stands in.
    public var mailbox: String?

    public init(id: String, name: String, shortName: String, administration: Administration, mailbox: String? = nil) {
        self.id = id
        self.name = name
        self.shortName = shortName
        self.administration = administration
        self.mailbox = mailbox
    }
}
