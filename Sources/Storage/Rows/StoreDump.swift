import Coordination

/// Everything a store holds, row by row, table by table: what `gremien store copy` moves from
/// one backend to another. The numbered rows keep their numbers, so that the change log, the
/// event log and the references between rows (an action item's id in the log) stay as they were.
public struct StoreDump: Sendable, Codable {
    public var district: [DistrictRow] = []
    public var offices: [OfficeRow] = []
    public var bodies: [BodyRow] = []
    public var memberships: [MembershipRow] = []
    public var series: [SeriesRow] = []
    public var people: [PersonRow] = []
    public var sessionChanges: [SessionChangeRow] = []
    public var attendance: [AttendanceRow] = []
    public var minutesStates: [MinutesStateRow] = []
    public var minutesRecords: [MinutesRecordRow] = []
    public var minutesVersions: [MinutesVersionRow] = []
    public var agendaItems: [AgendaItemRow] = []
    public var actionItems: [ActionItemRow] = []
    public var seats: [SeatRow] = []
    public var tokens: [TokenRow] = []
    public var accounts: [AccountRow] = []
    public var signInLinks: [SignInLinkRow] = []
    public var webSessions: [WebSessionRow] = []
    public var signInFailures: [SignInFailureRow] = []
    public var outbox: [OutboxRow] = []
    public var replies: [ReplyRow] = []
    public var replyLinks: [ReplyLinkRow] = []
    public var ladungen: [LadungRow] = []
    public var changeLog: [ChangeLogRow] = []
    public var events: [EventRow] = []

    public init() {}

    /// Rows per table, by table name, for the report of a copy.
    public var counts: [(table: String, rows: Int)] {
        [
            ("district", district.count), ("office", offices.count), ("body", bodies.count),
            ("membership", memberships.count), ("series", series.count), ("person", people.count),
            ("sessionChange", sessionChanges.count), ("attendance", attendance.count),
            ("minutesState", minutesStates.count), ("minutesRecord", minutesRecords.count),
            ("minutesVersion", minutesVersions.count), ("agendaItem", agendaItems.count),
            ("actionItem", actionItems.count), ("seat", seats.count), ("token", tokens.count),
            ("account", accounts.count), ("signInLink", signInLinks.count), ("webSession", webSessions.count),
            ("signInFailure", signInFailures.count), ("outbox", outbox.count), ("reply", replies.count),
            ("replyLink", replyLinks.count), ("ladung", ladungen.count), ("changeLog", changeLog.count),
            ("event", events.count),
        ]
    }
}

/// A store whose rows can be read out whole and written into an empty store of another kind.
public protocol DumpableStore: Sendable {
    /// Every row, read at one moment.
    func dump() async throws(StorageError) -> StoreDump

    /// Writes the rows into this store in one transaction; `conflict` unless it is empty (no
    /// definitions, no event log).
    func load(_ dump: StoreDump) async throws(StorageError)
}

/// A row of the `ladung` table.
public struct LadungRow: Codable, Sendable {
    public var bodyId: String
    public var seriesId: String
    public var date: String
    public var due: String
    public var queued: String
    public var actor: String
    public var recipients: Int

    public init(_ r: LadungRecord) {
        (bodyId, seriesId, date) = (r.session.body, r.session.series, r.session.date.description)
        (due, queued, actor, recipients) = (r.due.description, r.queued.description, r.actor, r.recipients)
    }

    public func domain() throws(StorageError) -> LadungRecord {
        guard let day = CivilDate(iso: date), let due = CivilDate(iso: due), let queued = LocalDateTime(iso: queued)
        else { throw .unreadable(what: "Ladung of \(bodyId)/\(seriesId)/\(date)", reason: "date or time") }
        return LadungRecord(
            session: SessionKey(body: bodyId, series: seriesId, date: day), due: due, queued: queued, actor: actor,
            recipients: recipients)
    }
}

extension StorageError {
    /// A copy goes only into an empty store.
    public static func notEmpty(_ location: String, events: Int) -> StorageError {
        .conflict(
            "the store \(location) is not empty (it holds definitions and \(events) event log entries); "
                + "copy into a new, empty one")
    }
}
