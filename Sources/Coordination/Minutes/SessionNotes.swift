/// An agenda item added to one session, besides the standing items of its series.
public struct AgendaItem: Sendable, Hashable, Codable {
    public var session: SessionKey
    public var text: String

    public init(session: SessionKey, text: String) {
        self.session = session
        self.text = text
    }
}

/// An action item agreed in a session (who does what by when); open until marked done. Open
/// items are carried over into the minutes of the body's later sessions.
public struct ActionItem: Sendable, Hashable, Codable {
    /// Assigned by the store; `nil` before it is stored.
    public var id: Int?
    /// The session in which it was agreed.
    public var session: SessionKey
    public var text: String
    /// The office responsible (no names of people in agreements between offices).
    public var office: String
    public var due: CivilDate?
    /// When it was marked done (UTC), `nil` while open.
    public var done: LocalDateTime?
    /// The agenda item it was agreed under (`MinutesRecord.Item.id`), when named.
    public var agendaItem: Int?

    public init(
        id: Int? = nil, session: SessionKey, text: String, office: String, due: CivilDate? = nil,
        done: LocalDateTime? = nil, agendaItem: Int? = nil
    ) {
        self.agendaItem = agendaItem
        self.id = id
        self.session = session
        self.text = text
        self.office = office
        self.due = due
        self.done = done
    }

    /// Whether the item is still open at a session on `date`: agreed before it and not done by then.
    public func isOpen(before date: CivilDate) -> Bool {
        guard session.date < date else { return false }
        guard let done else { return true }
        return done.date >= date
    }
}
