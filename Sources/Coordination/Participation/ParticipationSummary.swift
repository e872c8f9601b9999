/// The answer to the auditors' questions for a period (DOMAIN.md, "What the auditors asked"):
/// how each office takes part, how each pair of offices works together, and how each body meets.
///
/// Computed from records alone (`ParticipationSummary.init(records:)`); rendered as CSV, JSON and
/// HTML by `Publishing`.
public struct ParticipationSummary: Sendable, Hashable, Codable {
    /// The first and last day of the period (both included).
    public var from: CivilDate
    public var through: CivilDate
    /// When the summary was made (UTC): sessions that had begun by then count as held.
    public var madeAt: LocalDateTime
    public var offices: [OfficeParticipation]
    /// The short name of every office the summary mentions, by id (`jc` → `JC`).
    public var shortNames: [String: String]
    public var pairs: [PairParticipation]
    public var bodies: [BodyParticipation]
}

/// How often an office's people came when the office was expected.
public struct AttendanceCounts: Sendable, Hashable, Codable {
    /// Sessions held in the period at which the office had a seat.
    public var expected = 0
    /// … at which at least one of its people was present (or a deputy for them).
    public var attended = 0
    /// … at which nobody came and someone was excused.
    public var excused = 0
    /// … at which nobody came and nobody was excused.
    public var absent = 0
    /// … for which nothing is recorded for the office.
    public var unrecorded = 0

    public init() {}

    /// `attended / expected`, `nil` when nothing was expected (report v1: "nicht erfasst" counts
    /// as not attended).
    public var rate: Double? { expected == 0 ? nil : Double(attended) / Double(expected) }

    /// Sessions with something recorded for the office.
    public var recorded: Int { expected - unrecorded }

    /// `attended / recorded`, `nil` when nothing was recorded (report v2: what is not recorded
    /// is shown apart, not counted as absence).
    public var recordedRate: Double? { recorded == 0 ? nil : Double(attended) / Double(recorded) }
}

/// What an office did at one held session where it had a seat (the sessions behind a figure).
public struct SessionOutcome: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        case attended, excused, absent, unrecorded

        public var german: String {
            switch self {
            case .attended: return "anwesend"
            case .excused: return "entschuldigt"
            case .absent: return "unentschuldigt"
            case .unrecorded: return "nicht erfasst"
            }
        }
    }

    public var body: String
    /// The session's day (where it takes place).
    public var date: CivilDate
    public var outcome: Outcome
}

/// One session of a body in the period and what became of it (the sessions behind a figure).
public struct BodySession: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable {
        case held, cancelled, upcoming

        public var german: String {
            switch self {
            case .held: return "gehalten"
            case .cancelled: return "abgesagt"
            case .upcoming: return "anstehend"
            }
        }
    }

    /// The session's day (where it takes place).
    public var date: CivilDate
    public var state: State
    public var moved: Bool
    /// For held sessions: offices with something recorded, of those expected.
    public var recordedOffices: Int
    public var expectedOffices: Int
}

/// One office over the period.
public struct OfficeParticipation: Sendable, Hashable, Codable {
    public struct Seat: Sendable, Hashable, Codable {
        public var body: String
        public var bodyName: String
        public var role: Membership.Role
        /// The people who held the office's place in the body during the period (report v3):
        /// regular holders first, then deputies by rank.
        public var holders: [Holder] = []
    }

    /// A person's seat for the office in a body, as far as it falls into the period.
    public struct Holder: Sendable, Hashable, Codable {
        public var person: String
        public var name: String
        public var role: Coordination.Seat.Role
        public var rank: Int
        /// The seat's own first and last day (`nil`: open).
        public var from: CivilDate?
        public var until: CivilDate?
    }

    public var office: String
    public var name: String
    public var shortName: String
    /// The bodies the office had a seat in during the period, with its role there.
    public var seats: [Seat]
    public var counts: AttendanceCounts
    /// Time its people spent in held sessions, in minutes (arrival to departure when noted,
    /// else the session's length; a person or deputy counts once).
    public var personMinutes: Int
    /// The held sessions behind `counts`, by date.
    public var sessions: [SessionOutcome] = []
}

/// An ordered pair of offices: what `office` shares with `partner`.
public struct PairParticipation: Sendable, Hashable, Codable {
    public var office: String
    public var partner: String
    /// Bodies in which both had a seat at the same time within the period.
    public var sharedBodies: [String]
    /// Held sessions at which both were expected.
    public var jointSessions: Int
    /// … at which `office` was there, `partner` was there, both were there.
    public var officeAttended: Int
    public var partnerAttended: Int
    public var bothAttended: Int
    /// The kinds of meeting of the joint sessions (Austausch, Fallbesprechung, …).
    public var kinds: [Series.MeetingKind]
    /// The legal bases and agreements of the shared bodies.
    public var legalBases: [String]
    public var agreements: [String]
}

/// One body over the period.
public struct BodyParticipation: Sendable, Hashable, Codable {
    public struct OfficeAttendance: Sendable, Hashable, Codable {
        public var office: String
        public var role: Membership.Role
        public var counts: AttendanceCounts
    }

    public var body: String
    public var name: String
    public var kind: Body.Kind
    public var archived: Bool
    /// Sessions in the period: all of them, cancelled ones included.
    public var planned: Int
    /// Not cancelled and begun by the time the summary was made.
    public var held: Int
    public var cancelled: Int
    /// Held or coming sessions that take place at another time or place than the rule says.
    public var moved: Int
    /// Not cancelled and still to come when the summary was made.
    public var upcoming: Int
    public var attendance: [OfficeAttendance]
    /// For bodies with a quorum rule: held sessions that reached it, did not, or have no attendance recorded.
    public var quorumReached: Int?
    public var quorumMissed: Int?
    public var quorumUnrecorded: Int?
    /// Held sessions whose minutes are approved, and the days from session to approval.
    public var minutesApproved: Int
    public var approvalDays: [Int]
    /// The sessions behind the figures, by date.
    public var sessions: [BodySession] = []
}
