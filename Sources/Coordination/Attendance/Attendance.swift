/// A member of staff (personal data: only in the store and the records, never in `calendars/`
/// or public feeds).
public struct Person: Sendable, Hashable, Codable {
    /// Stable and never reused: made from the name when the person is added (`anna-beispiel`,
    /// a second Anna Beispiel `anna-beispiel-2`); it stays when the name changes.
    public var id: String
    public var name: String
    public var office: String
    public var level: Membership.Level
    /// The functional mailbox (checked to be an address).
    public var email: String?
    /// The last day the person works here; `nil` while they do. Their seats end with it.
    public var until: CivilDate?
    /// Whether their own calendar shows the sessions of their deputy seats (as free, "Vertretung").
    public var showsDeputySeats: Bool

    public init(
        id: String? = nil, name: String, office: String, level: Membership.Level, email: String? = nil,
        until: CivilDate? = nil, showsDeputySeats: Bool = true
    ) {
        self.id = id ?? Person.id(from: name)
        self.name = name
        self.office = office
        self.level = level
        self.email = email
        self.until = until
        self.showsDeputySeats = showsDeputySeats
    }

    /// Whether the person works here on `day`.
    public func isActive(on day: CivilDate) -> Bool { until.map { day <= $0 } ?? true }

    /// An id made from a name: lower-case letters and digits, umlauts and ß spelled out, other
    /// characters as single hyphens, at most 48 characters; `person` for a name without letters.
    public static func id(from name: String) -> String {
        var out = ""
        for scalar in name.lowercased().unicodeScalars {
            switch scalar {
            case "ä": out += "ae"
            case "ö": out += "oe"
            case "ü": out += "ue"
            case "ß": out += "ss"
            case "é", "è", "ê": out += "e"
            case "á", "à", "â": out += "a"
            case "ó", "ò", "ô": out += "o"
            case "í", "ì", "î": out += "i"
            case "ú", "ù", "û": out += "u"
            case "ç": out += "c"
            case "ñ": out += "n"
            case "a"..."z", "0"..."9": out.unicodeScalars.append(scalar)
            default: if !out.isEmpty && !out.hasSuffix("-") { out += "-" }
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        if out.count > 48 {
            out = String(out.prefix(48))
            while out.hasSuffix("-") { out.removeLast() }
        }
        return out.isEmpty ? "person" : out
    }

    /// A fresh id for `name` that none of `taken` has: the name's id, else with `-2`, `-3`, ….
    public static func freshID(for name: String, taken: Set<String>) -> String {
        let base = id(from: name)
        guard taken.contains(base) else { return base }
        var n = 2
        while taken.contains("\(base)-\(n)") { n += 1 }
        return "\(base)-\(n)"
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
