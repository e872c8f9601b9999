import GRDB
import Storage

// The rows of `Storage` as GRDB records: the table each is kept in; columns are their fields.

extension DistrictRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "district"
}

extension OfficeRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "office"
}

extension BodyRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "body"
}

extension MembershipRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "membership"
}

extension SeriesRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "series"
}

extension ChangeLogRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "changeLog"
}

extension SubjectTimesRow: FetchableRecord {}

extension SessionChangeRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "sessionChange"
}

extension PersonRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "person"
}

extension AttendanceRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "attendance"

    /// Every request selects the columns in this order, so that `init(row:)` reads them by place.
    public static var databaseSelection: [any SQLSelectable] {
        [
            Column("bodyId"), Column("seriesId"), Column("date"), Column("office"), Column("person"), Column("status"),
            Column("deputy"), Column("arrival"), Column("departure"),
        ]
    }

    /// Read column by column, by place, rather than through `Decodable` or by name: reports and
    /// `audit verify` read hundreds of thousands of rows, and the generic decoder was a quarter
    /// of their time, the lookup of each column by its name another tenth.
    public init(row: Row) throws {
        self.init(
            bodyId: try row.decode(atIndex: 0), seriesId: try row.decode(atIndex: 1), date: try row.decode(atIndex: 2),
            office: try row.decode(atIndex: 3), person: try row.decode(atIndex: 4), status: try row.decode(atIndex: 5),
            deputy: try row.decode(atIndex: 6), arrival: try row.decode(atIndex: 7),
            departure: try row.decode(atIndex: 8))
    }
}

extension MinutesStateRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "minutesState"
}

extension MinutesRecordRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "minutesRecord"
}

extension MinutesVersionRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "minutesVersion"
}

extension AgendaItemRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "agendaItem"
}

extension ActionItemRow: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "actionItem"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension SeatRow: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "seat"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension TokenRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "token"
}

extension AccountRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "account"
}

extension SignInLinkRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "signInLink"
}

extension WebSessionRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "webSession"
}

extension SignInFailureRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "signInFailure"
}

extension OutboxRow: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "outbox"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension EventRow: FetchableRecord, TableRecord {
    public static let databaseTableName = "event"

    /// Every request selects the columns in this order, so that `init(row:)` reads them by place.
    public static var databaseSelection: [any SQLSelectable] {
        [
            Column("seq"), Column("time"), Column("actor"), Column("kind"), Column("subject"), Column("payload"),
            Column("previous"), Column("hash"),
        ]
    }

    /// Read column by column, by place, rather than through `Decodable` or by name (`audit
    /// verify` reads every entry; the lookup by name was a tenth of its time).
    public init(row: Row) throws {
        self.init(
            seq: try row.decode(atIndex: 0), time: try row.decode(atIndex: 1), actor: try row.decode(atIndex: 2),
            kind: try row.decode(atIndex: 3), subject: try row.decode(atIndex: 4), payload: try row.decode(atIndex: 5),
            previous: try row.decode(atIndex: 6), hash: try row.decode(atIndex: 7))
    }
}

extension ReplyRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "reply"
}

extension ReplyLinkRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "replyLink"
}

extension LadungRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "ladung"
}
