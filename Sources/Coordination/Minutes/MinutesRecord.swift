/// What is written into the minutes (Niederschrift) of one session: the agenda in the order the
/// coordinator set, per item the discussion, the results and decisions and the votes, whether an
/// item is public, the actual begin and end and who took the minutes.
///
/// A session without a stored record has the default one (`MinutesRecord(session:standing:added:)`);
/// the first change stores it. Approved minutes freeze it (`MinutesVersion`).
public struct MinutesRecord: Sendable, Hashable, Codable {
    /// A vote taken under an agenda item.
    public struct Vote: Sendable, Hashable, Codable {
        /// What was voted on (the motion).
        public var subject: String
        public var yes: Int
        public var no: Int
        public var abstentions: Int
        /// For bodies with a quorum rule: whether the body had its quorum at the vote.
        public var quorumHeld: Bool?

        public init(subject: String, yes: Int, no: Int, abstentions: Int, quorumHeld: Bool? = nil) {
            self.subject = subject
            self.yes = yes
            self.no = no
            self.abstentions = abstentions
            self.quorumHeld = quorumHeld
        }

        /// `angenommen` when more yes than no votes, else `abgelehnt`.
        public var outcome: String { yes > no ? "angenommen" : "abgelehnt" }
    }

    /// One agenda item with what was recorded under it.
    public struct Item: Sendable, Hashable, Codable {
        /// Stable within the session: content and action items stay with the item when it moves.
        public var id: Int
        public var text: String
        /// A standing item of the series (not added for this session).
        public var standing: Bool
        public var isPublic: Bool
        /// A short record of the discussion.
        public var discussion: String
        /// Results and decisions.
        public var results: String
        public var votes: [Vote]

        public init(
            id: Int, text: String, standing: Bool, isPublic: Bool = true, discussion: String = "",
            results: String = "", votes: [Vote] = []
        ) {
            self.id = id
            self.text = text
            self.standing = standing
            self.isPublic = isPublic
            self.discussion = discussion
            self.results = results
            self.votes = votes
        }
    }

    public var session: SessionKey
    /// In agenda order.
    public var items: [Item]
    /// Actual begin and end (local wall time `HH:MM`), when recorded.
    public var began: String?
    public var ended: String?
    /// Who took the minutes (a name, as it is to stand in the minutes).
    public var minuteTaker: String?
    /// Raised by every stored change (0: never stored); a write expects the one it read.
    public var revision: Int

    public init(
        session: SessionKey, items: [Item], began: String? = nil, ended: String? = nil, minuteTaker: String? = nil,
        revision: Int = 0
    ) {
        self.session = session
        self.items = items
        self.began = began
        self.ended = ended
        self.minuteTaker = minuteTaker
        self.revision = revision
    }

    /// The default record: the series' standing items, then the items added for the session,
    /// with "Verschiedenes" (and any standing item starting with it) last.
    public init(session: SessionKey, standing: [String], added: [String]) {
        let isMisc = { (text: String) in text.lowercased().hasPrefix("verschiedenes") }
        let texts =
            standing.filter { !isMisc($0) }.map { ($0, true) } + added.map { ($0, false) }
            + standing.filter(isMisc).map { ($0, true) }
        self.init(
            session: session,
            items: texts.enumerated().map { Item(id: $0.offset + 1, text: $0.element.0, standing: $0.element.1) })
    }

    /// The item with `id`.
    public func item(_ id: Int) -> Item? { items.first { $0.id == id } }

    /// The id a new item gets.
    public var nextItemID: Int { (items.map(\.id).max() ?? 0) + 1 }

    /// The texts of the items added for the session, in agenda order (what feeds list besides
    /// the standing items).
    public var addedTexts: [String] { items.filter { !$0.standing }.map(\.text) }
}

/// Approved minutes as frozen: the content every document of this version is made from, and its
/// SHA-256, which the approval's entry in the event log carries.
public struct MinutesVersion: Sendable, Hashable, Codable {
    public var session: SessionKey
    /// 1 for the first approval, 2 after a reopening and a second approval, …
    public var number: Int
    /// UTC.
    public var approved: LocalDateTime
    public var actor: String
    /// Canonical JSON of the minutes view as approved (`MinutesView`).
    public var content: String
    /// SHA-256 of `content`, hex.
    public var hash: String

    public init(
        session: SessionKey, number: Int, approved: LocalDateTime, actor: String, content: String, hash: String
    ) {
        self.session = session
        self.number = number
        self.approved = approved
        self.actor = actor
        self.content = content
        self.hash = hash
    }
}
