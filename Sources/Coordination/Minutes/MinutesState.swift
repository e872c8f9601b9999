/// Where the minutes (Niederschrift) of a session stand: a draft until approved; approved
/// minutes are locked (attendance cannot change) until reopened with a reason.
public struct MinutesState: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case draft, approved
    }

    public var session: SessionKey
    public var status: Status
    /// When it was approved or reopened (UTC).
    public var time: LocalDateTime
    public var actor: String
    /// Why it was reopened.
    public var reason: String?
    /// Approved: the number of the version frozen (`MinutesVersion`) and the SHA-256 of its
    /// content; `nil` for approvals made before versions were kept.
    public var version: Int?
    public var contentHash: String?

    public init(
        session: SessionKey, status: Status, time: LocalDateTime, actor: String, reason: String? = nil,
        version: Int? = nil, contentHash: String? = nil
    ) {
        self.version = version
        self.contentHash = contentHash
        self.session = session
        self.status = status
        self.time = time
        self.actor = actor
        self.reason = reason
    }
}
