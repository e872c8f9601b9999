import GRDB
import Storage

extension SQLiteStore: DumpableStore {
    public func dump() async throws(StorageError) -> StoreDump {
        try await read { db in
            var d = StoreDump()
            d.district = try DistrictRow.fetchAll(db)
            d.offices = try OfficeRow.order(Column("id")).fetchAll(db)
            d.bodies = try BodyRow.order(Column("id")).fetchAll(db)
            d.memberships = try MembershipRow.order(Column("bodyId"), Column("position")).fetchAll(db)
            d.series = try SeriesRow.order(Column("bodyId"), Column("id")).fetchAll(db)
            d.people = try PersonRow.order(Column("id")).fetchAll(db)
            d.sessionChanges = try SessionChangeRow.order(Column("id")).fetchAll(db)
            d.attendance = try AttendanceRow.order(
                Column("bodyId"), Column("seriesId"), Column("date"), Column("office"), Column("person")
            ).fetchAll(db)
            d.minutesStates = try MinutesStateRow.fetchAll(db)
            d.minutesRecords = try MinutesRecordRow.fetchAll(db)
            d.minutesVersions = try MinutesVersionRow.fetchAll(db)
            d.agendaItems = try AgendaItemRow.order(Column("id")).fetchAll(db)
            d.actionItems = try ActionItemRow.order(Column("id")).fetchAll(db)
            d.seats = try SeatRow.order(Column("id")).fetchAll(db)
            d.tokens = try TokenRow.fetchAll(db)
            d.accounts = try AccountRow.fetchAll(db)
            d.signInLinks = try SignInLinkRow.fetchAll(db)
            d.webSessions = try WebSessionRow.order(sql: "rowid").fetchAll(db)
            d.signInFailures = try SignInFailureRow.fetchAll(db)
            d.outbox = try OutboxRow.order(Column("id")).fetchAll(db)
            d.replies = try ReplyRow.fetchAll(db)
            d.replyLinks = try ReplyLinkRow.fetchAll(db)
            d.ladungen = try LadungRow.fetchAll(db)
            d.changeLog = try ChangeLogRow.order(Column("id")).fetchAll(db)
            d.events = try EventRow.order(Column("seq")).fetchAll(db)
            return d
        }
    }

    public func load(_ dump: StoreDump) async throws(StorageError) {
        let location = "sqlite:\(path)"
        try await write { db in
            let events = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event") ?? 0
            guard events == 0, try DistrictRow.fetchOne(db) == nil else {
                throw StorageError.notEmpty(location, events: events)
            }
            try Self.put(dump.district, db)
            try Self.put(dump.offices, db)
            try Self.put(dump.bodies, db)
            try Self.put(dump.memberships, db)
            try Self.put(dump.series, db)
            try Self.put(dump.people, db)
            try Self.put(dump.sessionChanges, db)
            try Self.put(dump.attendance, db)
            try Self.put(dump.minutesStates, db)
            try Self.put(dump.minutesRecords, db)
            try Self.put(dump.minutesVersions, db)
            try Self.put(dump.agendaItems, db)
            try Self.put(dump.actionItems, db)
            try Self.put(dump.seats, db)
            try Self.put(dump.tokens, db)
            try Self.put(dump.accounts, db)
            try Self.put(dump.signInLinks, db)
            try Self.put(dump.webSessions, db)
            try Self.put(dump.signInFailures, db)
            try Self.put(dump.outbox, db)
            try Self.put(dump.replies, db)
            try Self.put(dump.replyLinks, db)
            try Self.put(dump.ladungen, db)
            try Self.put(dump.changeLog, db)
            for e in dump.events {
                try db.execute(
                    sql:
                        "INSERT INTO event (seq, time, actor, kind, subject, payload, previous, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [e.seq, e.time, e.actor, e.kind, e.subject, e.payload, e.previous, e.hash])
            }
        }
    }

    private static func put<R: MutablePersistableRecord>(_ rows: [R], _ db: Database) throws {
        for row in rows {
            var row = row
            try row.insert(db)
        }
    }
}
