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

extension SessionChangeRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "sessionChange"
}

extension PersonRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "person"
}

extension AttendanceRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "attendance"
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
