/// A member's answer to an invitation for one session: Zusage or Absage. Not attendance: the
/// attendance form shows it beside the person and an Absage fills in "entschuldigt".
public struct Reply: Sendable, Hashable, Codable {
    public enum Answer: String, Sendable, Hashable, Codable {
        case accepted, declined

        public var german: String { self == .accepted ? "Zusage" : "Absage" }
    }

    public var session: SessionKey
    /// The person's id.
    public var person: String
    public var answer: Answer
    /// UTC.
    public var time: LocalDateTime
    /// How it came: `link` (the link in the invitation).
    public var via: String

    public init(session: SessionKey, person: String, answer: Answer, time: LocalDateTime, via: String) {
        self.session = session
        self.person = person
        self.answer = answer
        self.time = time
        self.via = via
    }
}

/// A link in an invitation that answers it without a mail server: its secret is in the link
/// only, the store keeps its SHA-256. It can be used until the session begins; using it again
/// changes nothing.
public struct ReplyLink: Sendable, Hashable, Codable {
    public var hash: String
    public var session: SessionKey
    public var person: String
    public var answer: Reply.Answer
    /// UTC: the session's begin.
    public var expires: LocalDateTime

    public init(hash: String, session: SessionKey, person: String, answer: Reply.Answer, expires: LocalDateTime) {
        self.hash = hash
        self.session = session
        self.person = person
        self.answer = answer
        self.expires = expires
    }
}
