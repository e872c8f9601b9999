/// A person holding an office's place in a body: as the regular holder, or as a deputy (asked in
/// `rank` order) for a period. The membership says which offices sit in a body; seats say who.
public struct Seat: Sendable, Hashable, Codable, ValidityPeriod {
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case regular
        case deputy

        public var german: String { self == .regular ? "Mitglied" : "Vertretung" }
    }

    /// Given by the store; 0 before it is stored.
    public var id: Int
    public var body: String
    public var office: String
    /// The person's id.
    public var person: String
    public var role: Role
    /// Among the deputies of an office in a body: 1 is asked first (regular holders: 0).
    public var rank: Int
    public var validFrom: CivilDate?
    public var validUntil: CivilDate?

    public init(
        id: Int = 0, body: String, office: String, person: String, role: Role, rank: Int = 0,
        from: CivilDate? = nil, until: CivilDate? = nil
    ) {
        self.id = id
        self.body = body
        self.office = office
        self.person = person
        self.role = role
        self.rank = rank
        self.validFrom = from
        self.validUntil = until
    }
}

/// The seats of a district, with the questions the calendars, the attendance form and the
/// minutes ask of them.
public struct SeatPlan: Sendable, Hashable {
    public var seats: [Seat]

    public init(_ seats: [Seat]) { self.seats = seats }

    /// The seats of a person, in order of body.
    public func seats(of person: String) -> [Seat] {
        seats.filter { $0.person == person }.sorted { ($0.body, $0.id) < ($1.body, $1.id) }
    }

    /// Who holds an office's place in a body on a day: the regular holders, then the deputies
    /// by rank.
    public func holders(body: String, office: String, on day: CivilDate) -> (regular: [Seat], deputies: [Seat]) {
        let valid = seats.filter { $0.body == body && $0.office == office && $0.isValid(on: day) }
        return (
            valid.filter { $0.role == .regular }.sorted { $0.id < $1.id },
            valid.filter { $0.role == .deputy }.sorted { ($0.rank, $0.id) < ($1.rank, $1.id) }
        )
    }
}
