import Coordination

/// One entry of the tamper-evident event log: a change to sessions, attendance, minutes state
/// or definitions, with its place in the chain.
///
/// `payload` is the changed value as canonical JSON (`AuditPayload`); `hash` is SHA-256 over
/// the entry's fields and the previous entry's hash (`EventChain`), so changing, removing or
/// inserting any entry breaks the chain from there on.
public struct AuditEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A sync of `calendars/`: an office, body or series added, changed, archived or restored.
        case definitions
        /// A session cancelled, moved or added (`SessionChange`).
        case session
        /// One attendance entry recorded or replaced (`AttendanceEntry`).
        case attendance
        /// Minutes approved or reopened (`MinutesState`).
        case minutes
        /// One attendance entry removed, with the reason (`RemovedAttendance`).
        case attendanceRemoved = "attendance-removed"
        /// A seat assigned or ended (`Seat`, as it stands after the change).
        case seat
        /// A member of staff added or changed (`Person`, as stored after the change): the names
        /// a report lists as seat holders are those of the log at its head.
        case person
        /// What is written into a session's minutes (`MinutesRecord`, as stored after the change).
        case minutesContent = "minutes-content"
        /// An answer to an invitation (`Reply`).
        case reply
        /// An answer by mail that was refused (`RefusedReply`): forged sender, unknown UID,
        /// delegation.
        case replyRefused = "reply-refused"
    }

    /// 1, 2, 3, … without gaps.
    public var seq: Int
    /// UTC.
    public var time: LocalDateTime
    public var actor: String
    public var kind: Kind
    /// What the entry is about, and for attendance and minutes the key of the row it sets:
    /// `attendance runde/sitzung 2026-03-10 jc Anna Beispiel`.
    public var subject: String
    public var payload: String
    /// The previous entry's hash (64 zeros for the first entry).
    public var previous: String
    public var hash: String

    public init(
        seq: Int, time: LocalDateTime, actor: String, kind: Kind, subject: String, payload: String,
        previous: String, hash: String
    ) {
        self.seq = seq
        self.time = time
        self.actor = actor
        self.kind = kind
        self.subject = subject
        self.payload = payload
        self.previous = previous
        self.hash = hash
    }

    /// An entry before it takes its place in the chain.
    public struct Draft: Sendable, Hashable {
        public var time: LocalDateTime
        public var actor: String
        public var kind: Kind
        public var subject: String
        public var payload: String

        public init(time: LocalDateTime, actor: String, kind: Kind, subject: String, payload: String) {
            self.time = time
            self.actor = actor
            self.kind = kind
            self.subject = subject
            self.payload = payload
        }
    }
}

/// The last entry of the chain: its number and hash. A report names the head it was made from.
public struct ChainHead: Sendable, Hashable, Codable, CustomStringConvertible {
    public var seq: Int
    public var hash: String

    public init(seq: Int, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// The head of an empty log.
    public static let genesis = ChainHead(seq: 0, hash: String(repeating: "0", count: 64))

    /// `123:9f86d0…` (the full hash).
    public var description: String { "\(seq):\(hash)" }

    /// Reads `123:9f86d0…` back.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let seq = Int(parts[0]), seq >= 0, parts[1].utf8.count == 64,
            parts[1].allSatisfy({ $0.isHexDigit })
        else { return nil }
        self.init(seq: seq, hash: String(parts[1]))
    }
}
