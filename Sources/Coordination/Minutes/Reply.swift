/// A member's answer to an invitation for one session: Zusage or Absage. Not attendance: the
/// attendance form shows it beside the person and an Absage fills in "entschuldigt".
public struct Reply: Sendable, Hashable, Codable {
    public enum Answer: String, Sendable, Hashable, Codable {
        case accepted, declined
        /// "Mit Vorbehalt" (PARTSTAT=TENTATIVE): counted neither way.
        case tentative

        public var german: String {
            switch self {
            case .accepted: "Zusage"
            case .declined: "Absage"
            case .tentative: "Zusage unter Vorbehalt"
            }
        }
    }

    public var session: SessionKey
    /// The person's id.
    public var person: String
    public var answer: Answer
    /// UTC.
    public var time: LocalDateTime
    /// How it came: `link` (the link in the invitation) or `mail` (an iTIP REPLY).
    public var via: String
    /// What the person wrote with the answer (COMMENT, X-RESPONSE-COMMENT), if anything.
    public var comment: String?

    public init(
        session: SessionKey, person: String, answer: Answer, time: LocalDateTime, via: String, comment: String? = nil
    ) {
        self.session = session
        self.person = person
        self.answer = answer
        self.time = time
        self.via = via
        self.comment = comment
    }
}

/// An answer by mail that was not applied, kept in the event log: who sent it, about which
/// UID, and why it was refused (a sender who is not the attendee, an unknown UID, a delegation).
public struct RefusedReply: Sendable, Hashable, Codable {
    /// UTC.
    public var time: LocalDateTime
    /// The From address of the message.
    public var sender: String
    public var messageID: String?
    public var uid: String?
    public var reason: String
    /// Why, as a word: `forged`, `not_genuine`, `on_behalf`, `delegated`, `unknown_sender`,
    /// `unknown_uid`, `no_session`, `begun`, `no_seat`.
    public var code: String?

    public init(
        time: LocalDateTime, sender: String, messageID: String?, uid: String?, reason: String, code: String? = nil
    ) {
        self.time = time
        self.sender = sender
        self.messageID = messageID
        self.uid = uid
        self.reason = reason
        self.code = code
    }

    /// The reason in German, for the pages.
    public var german: String {
        switch code {
        case "forged": "Absender ist nicht die eingeladene Person"
        case "not_genuine": "der Mailserver hat den Absender als gefälscht erkannt"
        case "on_behalf": "für eine andere Person beantwortet"
        case "delegated": "weitergeleitet (Delegation)"
        case "unknown_sender": "Absender steht nicht in den Personalangaben"
        case "unknown_uid": "keine Sitzung mit dieser Kennung"
        case "no_session": "an diesem Tag keine Sitzung dieser Reihe"
        case "begun": "Sitzung hat begonnen oder fällt aus"
        case "no_seat": "kein Sitz in diesem Gremium"
        default: "abgelehnt"
        }
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
