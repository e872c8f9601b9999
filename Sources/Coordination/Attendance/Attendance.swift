/// A member of staff: personal data, kept in the store and in records only, never in public feeds.
public struct Person: Sendable, Hashable, Codable {
    public var name: String
    public var office: String
    public var level: Membership.Level
    public var email: String?

    public init(name: String, office: String, level: Membership.Level, email: String? = nil) {
        self.name = name
        self.office = office
        self.level = level
        self.email = email
    }
}

/// Names one session: its body, its series and its planned date (the rule's date, or the start
/// date of an added session).
public struct SessionKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public var body: String
    public var series: String
    public var date: CivilDate

    public init(body: String, series: String, date: CivilDate) {
        self.body = body
        self.series = series
        self.date = date
    }

    public var description: String { "\(body)/\(series) \(date)" }
}

/// Who took part in a session for which office (Anwesenheitsliste).
public struct AttendanceEntry: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// anwesend
        case present
        /// entschuldigt
        case excused
        /// unentschuldigt
        case absent
        /// vertreten durch a deputy of the same office
        case represented

        public var german: String {
            switch self {
            case .present: return "anwesend"
            case .excused: return "entschuldigt"
            case .absent: return "unentschuldigt"
            case .represented: return "vertreten"
            }
        }
    }

    public var session: SessionKey
    public var office: String
    /// The member of staff, when recorded by name; `nil` records the office as a whole.
    public var person: String?
    public var status: Status
    /// The deputy (same office) when `status` is `represented`.
    public var deputy: String?
    /// Local wall-clock arrival and departure, when noted.
    public var arrival: LocalDateTime?
    public var departure: LocalDateTime?

    public init(
        session: SessionKey, office: String, person: String? = nil, status: Status, deputy: String? = nil,
        arrival: LocalDateTime? = nil, departure: LocalDateTime? = nil
    ) {
        self.session = session
        self.office = office
        self.person = person
        self.status = status
        self.deputy = deputy
        self.arrival = arrival
        self.departure = departure
    }
}

/// When a body can decide: its rules of procedure set a quorum.
public enum QuorumRule: String, Sendable, Hashable, Codable, CaseIterable {
    /// More than half of the voting members (chair and members; advisory members and guests do
    /// not count) are present or represented.
    case majorityOfVotingMembers = "majority-of-voting-members"
}

/// Whether a session reached its body's quorum, and the figures behind it.
public struct QuorumResult: Sendable, Hashable, Codable {
    public var rule: QuorumRule
    public var votingMembers: Int
    public var present: Int
    public var required: Int
    public var reached: Bool { present >= required }
}

extension Body {
    /// The offices expected at a session on `date`: the memberships valid that day.
    public func expectedOffices(on date: CivilDate) -> [Membership] { members(on: date) }

    /// The quorum of a session on `date` from the attendance recorded for it; `nil` when the
    /// body's rules set none.
    public func quorum(on date: CivilDate, attendance: [AttendanceEntry]) -> QuorumResult? {
        guard let quorum else { return nil }
        switch quorum {
        case .majorityOfVotingMembers:
            let voting = Set(members(on: date).filter { $0.role == .chair || $0.role == .member }.map(\.office))
            let attending = Set(
                attendance.filter { $0.status == .present || $0.status == .represented }.map(\.office))
            return QuorumResult(
                rule: quorum, votingMembers: voting.count, present: voting.intersection(attending).count,
                required: voting.count / 2 + 1)
        }
    }
}
