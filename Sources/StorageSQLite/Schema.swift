import Coordination
import GRDB

/// The store's schema as named migrations. A migration that has shipped is never edited:
/// changes come as new migrations appended below (GRDB `Migrations.md`).
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 definitions and change log") { db in
            try db.create(table: "district") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }  // a single row
                t.column("name", .text).notNull()
                t.column("uidDomain", .text).notNull()
                t.column("defaultTimeZone", .text).notNull()
                t.column("planUntil", .text).notNull()
                t.column("refreshMinutes", .integer).notNull()
                t.column("closingDays", .jsonText).notNull()
            }
            try db.create(table: "office") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("shortName", .text).notNull()
                t.column("administration", .text).notNull()
                t.column("archived", .boolean).notNull()
            }
            try db.create(table: "body") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("legalBasis", .jsonText).notNull()
                t.column("agreements", .jsonText).notNull()
                t.column("chair", .text).notNull()
                t.column("validFrom", .text)
                t.column("validUntil", .text)
                t.column("quorum", .text)
                t.column("archived", .boolean).notNull()
            }
            try db.create(table: "membership") { t in
                t.column("bodyId", .text).notNull().references("body", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("office", .text).notNull()
                t.column("role", .text).notNull()
                t.column("levels", .jsonText).notNull()
                t.column("validFrom", .text)
                t.column("validUntil", .text)
                t.primaryKey(["bodyId", "position"])
            }
            try db.create(table: "series") { t in
                t.column("bodyId", .text).notNull().references("body", onDelete: .cascade)
                t.column("id", .text).notNull()
                t.column("position", .integer).notNull()
                t.column("title", .text)
                t.column("start", .text).notNull()
                t.column("durationMinutes", .integer).notNull()
                t.column("timeZone", .text).notNull()
                t.column("rule", .text)
                t.column("location", .text)
                t.column("kind", .text).notNull()
                t.column("holidayPolicy", .text).notNull()
                t.column("exceptions", .jsonText).notNull()
                t.column("agenda", .jsonText).notNull()
                t.column("updated", .text).notNull()
                t.column("sequence", .integer).notNull()
                t.column("archived", .boolean).notNull()
                t.primaryKey(["bodyId", "id"])
            }
            try db.create(table: "sessionChange") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("bodyId", .text).notNull()
                t.column("seriesId", .text).notNull()
                t.column("exception", .jsonText).notNull()
                t.column("time", .text).notNull()
                t.column("actor", .text).notNull()
                t.foreignKey(["bodyId", "seriesId"], references: "series")
            }
            try db.create(table: "person") { t in
                t.primaryKey("name", .text)
                t.column("office", .text).notNull().references("office")
                t.column("level", .text).notNull()
                t.column("email", .text)
            }
            try db.create(table: "attendance") { t in
                t.column("bodyId", .text).notNull()
                t.column("seriesId", .text).notNull()
                t.column("date", .text).notNull()
                t.column("office", .text).notNull().references("office")
                t.column("person", .text).notNull()  // "" for the office as a whole
                t.column("status", .text).notNull()
                t.column("deputy", .text)
                t.column("arrival", .text)
                t.column("departure", .text)
                t.primaryKey(["bodyId", "seriesId", "date", "office", "person"])
                t.foreignKey(["bodyId", "seriesId"], references: "series")
            }
            try db.create(table: "minutesState") { t in
                t.column("bodyId", .text).notNull()
                t.column("seriesId", .text).notNull()
                t.column("date", .text).notNull()
                t.column("status", .text).notNull()
                t.column("time", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("reason", .text)
                t.primaryKey(["bodyId", "seriesId", "date"])
                t.foreignKey(["bodyId", "seriesId"], references: "series")
            }
            try db.create(table: "agendaItem") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("bodyId", .text).notNull()
                t.column("seriesId", .text).notNull()
                t.column("date", .text).notNull()
                t.column("text", .text).notNull()
                t.foreignKey(["bodyId", "seriesId"], references: "series")
            }
            try db.create(table: "actionItem") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("bodyId", .text).notNull()
                t.column("seriesId", .text).notNull()
                t.column("date", .text).notNull()
                t.column("text", .text).notNull()
                t.column("office", .text).notNull().references("office")
                t.column("due", .text)
                t.column("done", .text)
                t.foreignKey(["bodyId", "seriesId"], references: "series")
            }
            try db.create(table: "changeLog") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("time", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("action", .text).notNull()
                t.column("detail", .text).notNull()
            }
        }
        migrator.registerMigration("v2 event log and past memberships") { db in
            try db.create(table: "event") { t in
                t.primaryKey("seq", .integer)
                t.column("time", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("payload", .text).notNull()
                t.column("previous", .text).notNull()
                t.column("hash", .text).notNull()
            }
            // A membership a sync removed stays, marked past, with its end (negative positions).
            try db.alter(table: "membership") { t in t.add(column: "past", .boolean).notNull().defaults(to: false) }
            try EventLog.backfill(db)
        }
        migrator.registerMigration("v3 access tokens") { db in
            try db.create(table: "token") { t in
                t.primaryKey("id", .text)
                t.column("hash", .text).notNull().unique()
                t.column("person", .text).notNull().references("person")
                t.column("kind", .text).notNull()
                t.column("role", .text)
                t.column("bodies", .jsonText).notNull()
                t.column("created", .text).notNull()
                t.column("expires", .text)
                t.column("revoked", .text)
                t.column("lastUsed", .text)
            }
        }
        migrator.registerMigration("v4 accounts and web sessions") { db in
            try db.create(table: "account") { t in
                t.primaryKey("person", .text).references("person")
                t.column("email", .text).notNull().unique()
                t.column("passwordHash", .text)
                t.column("roles", .jsonText).notNull()
                t.column("bodies", .jsonText).notNull()
                t.column("created", .text).notNull()
            }
            try db.create(table: "signInLink") { t in
                t.primaryKey("hash", .text)
                t.column("person", .text).notNull().references("person")
                t.column("expires", .text).notNull()
            }
            try db.create(table: "webSession") { t in
                t.primaryKey("hash", .text)
                t.column("person", .text).notNull()
                t.column("tokenHash", .text)
                t.column("csrf", .text).notNull()
                t.column("created", .text).notNull()
                t.column("lastSeen", .text).notNull().indexed()
            }
            try db.create(table: "signInFailure") { t in
                t.primaryKey("key", .text)
                t.column("count", .integer).notNull()
                t.column("last", .text).notNull()
            }
        }
        migrator.registerMigration("v5 cancelled sessions shown and series history") { db in
            try db.alter(table: "district") { t in
                t.add(column: "cancelledSessions", .text).notNull().defaults(to: "show")
            }
            try db.alter(table: "series") { t in
                t.add(column: "earlier", .jsonText).notNull().defaults(to: "[]")
                t.add(column: "versionFrom", .text)
            }
        }
        migrator.registerMigration("v6 people by id and seats") { db in
            // People get a stable id made from their record (name); what referred to them by
            // name (tokens, accounts, sign-in links, web sessions) refers to the id. Attendance
            // keeps the names as they were written on the lists.
            let rows = try Row.fetchAll(db, sql: "SELECT name, office, level, email FROM person ORDER BY name")
            try db.create(table: "personById") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull().indexed()
                t.column("office", .text).notNull().references("office")
                t.column("level", .text).notNull()
                t.column("email", .text)
                t.column("until", .text)
                t.column("showsDeputySeats", .boolean).notNull().defaults(to: true)
            }
            var taken = Set<String>()
            for row in rows {
                let name: String = row["name"]
                let id = Person.freshID(for: name, taken: taken)
                taken.insert(id)
                try db.execute(
                    sql: "INSERT INTO personById (id, name, office, level, email) VALUES (?, ?, ?, ?, ?)",
                    arguments: [id, name, row["office"] as String, row["level"] as String, row["email"] as String?])
                for table in ["token", "account", "signInLink", "webSession"] {
                    try db.execute(sql: "UPDATE \(table) SET person = ? WHERE person = ?", arguments: [id, name])
                }
            }
            // The tables that referred to person(name) are made anew referring to the id
            // (SQLite cannot change a foreign key in place).
            try db.create(table: "tokenById") { t in
                t.primaryKey("id", .text)
                t.column("hash", .text).notNull().unique()
                t.column("person", .text).notNull().references("personById")
                t.column("kind", .text).notNull()
                t.column("role", .text)
                t.column("bodies", .jsonText).notNull()
                t.column("created", .text).notNull()
                t.column("expires", .text)
                t.column("revoked", .text)
                t.column("lastUsed", .text)
            }
            try db.create(table: "accountById") { t in
                t.primaryKey("person", .text).references("personById")
                t.column("email", .text).notNull().unique()
                t.column("passwordHash", .text)
                t.column("roles", .jsonText).notNull()
                t.column("bodies", .jsonText).notNull()
                t.column("created", .text).notNull()
            }
            try db.create(table: "signInLinkById") { t in
                t.primaryKey("hash", .text)
                t.column("person", .text).notNull().references("personById")
                t.column("expires", .text).notNull()
            }
            for table in ["token", "account", "signInLink"] {
                try db.execute(sql: "INSERT INTO \(table)ById SELECT * FROM \(table)")
                try db.drop(table: table)
            }
            try db.drop(table: "person")
            try db.rename(table: "personById", to: "person")
            for table in ["token", "account", "signInLink"] { try db.rename(table: "\(table)ById", to: table) }
            try db.create(table: "seat") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("bodyId", .text).notNull().references("body")
                t.column("office", .text).notNull().references("office")
                t.column("person", .text).notNull().references("person").indexed()
                t.column("role", .text).notNull()
                t.column("rank", .integer).notNull()
                t.column("validFrom", .text)
                t.column("validUntil", .text)
            }
        }
        migrator.registerMigration("v7 minutes as records") { db in
            // What is written into the minutes, one JSON document per session; approved
            // versions as frozen, with the hash the event log holds; the version an approval
            // froze; the agenda item an action item was agreed under.
            try db.create(table: "minutesRecord") { t in
                t.column("bodyId", .text).notNull()
                t.column("seriesId", .text).notNull()
                t.column("date", .text).notNull()
                t.column("revision", .integer).notNull()
                t.column("content", .jsonText).notNull()
                t.primaryKey(["bodyId", "seriesId", "date"])
                t.foreignKey(["bodyId", "seriesId"], references: "series")
            }
            try db.create(table: "minutesVersion") { t in
                t.column("bodyId", .text).notNull()
                t.column("seriesId", .text).notNull()
                t.column("date", .text).notNull()
                t.column("number", .integer).notNull()
                t.column("approved", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("content", .text).notNull()
                t.column("hash", .text).notNull()
                t.primaryKey(["bodyId", "seriesId", "date", "number"])
                t.foreignKey(["bodyId", "seriesId"], references: "series")
            }
            try db.alter(table: "minutesState") { t in
                t.add(column: "version", .integer)
                t.add(column: "contentHash", .text)
            }
            try db.alter(table: "actionItem") { t in t.add(column: "agendaItem", .integer) }
        }
        migrator.registerMigration("v8 mail outbox") { db in
            // Messages to be sent, written with the change that causes them; a sender claims
            // entries for a while (claimedBy, claimedUntil) so that no two send one twice.
            try db.create(table: "outbox") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.column("person", .text).notNull()
                t.column("bodyId", .text).notNull()
                t.column("seriesId", .text)
                t.column("date", .text)
                t.column("created", .text).notNull()
                t.column("state", .text).notNull().indexed()
                t.column("attempts", .integer).notNull()
                t.column("nextAttempt", .text).notNull()
                t.column("lastError", .text)
                t.column("sentAt", .text)
                t.column("claimedBy", .text)
                t.column("claimedUntil", .text)
            }
        }
        migrator.registerMigration("v9 replies") { db in
            // Answers to invitations (Zusage, Absage), one per person and session, and the links
            // in the messages that give them (their SHA-256 only).
            try db.create(table: "reply") { t in
                t.column("bodyId", .text).notNull()
                t.column("seriesId", .text).notNull()
                t.column("date", .text).notNull()
                t.column("person", .text).notNull()
                t.column("answer", .text).notNull()
                t.column("time", .text).notNull()
                t.column("via", .text).notNull()
                t.primaryKey(["bodyId", "seriesId", "date", "person"])
            }
            try db.create(table: "replyLink") { t in
                t.primaryKey("hash", .text)
                t.column("bodyId", .text).notNull()
                t.column("seriesId", .text).notNull()
                t.column("date", .text).notNull()
                t.column("person", .text).notNull()
                t.column("answer", .text).notNull()
                t.column("expires", .text).notNull()
            }
        }
        migrator.registerMigration("v10 reply comments") { db in
            // What a member wrote with an answer by mail (COMMENT, X-RESPONSE-COMMENT).
            try db.alter(table: "reply") { t in t.add(column: "comment", .text) }
        }
        migrator.registerMigration("v11 ladung") { db in
            // That a session's Ladung went out (one row per session: never twice).
            try db.create(table: "ladung") { t in
                t.column("bodyId", .text).notNull()
                t.column("seriesId", .text).notNull()
                t.column("date", .text).notNull()
                t.column("due", .text).notNull()
                t.column("queued", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("recipients", .integer).notNull()
                t.primaryKey(["bodyId", "seriesId", "date"])
            }
            // A body's Ladungsfrist (`invitation_days:`), when its rules of procedure set one.
            try db.alter(table: "body") { t in t.add(column: "invitationDays", .integer) }
            // An office's functional mailbox: organizer and Reply-To of the invitations it sends.
            try db.alter(table: "office") { t in t.add(column: "mailbox", .text) }
        }
        migrator.registerMigration("v12 public bodies") { db in
            // Whether a body's sessions are published (OParl).
            try db.alter(table: "body") { t in t.add(column: "isPublic", .boolean).notNull().defaults(to: false) }
            // Whether the district publishes attendance per office there (`oparl_attendance:`).
            try db.alter(table: "district") { t in
                t.add(column: "publicAttendance", .boolean).notNull().defaults(to: false)
            }
        }
        migrator.registerMigration("v13 outbox uid") { db in
            // The UID of an added session that was removed: its CANCEL cannot be made from the
            // plan any more.
            try db.alter(table: "outbox") { t in t.add(column: "uid", .text) }
        }
        migrator.registerMigration("v14 archived changes indexed") { db in
            // `definitions()` asks for the day each office and body was archived; without this
            // (small) index that scans the whole change log, which has a line per attendance entry.
            try db.execute(
                sql: "CREATE INDEX changeLog_archived ON changeLog(subject, time) WHERE action = 'archived'")
        }
        migrator.registerMigration("v15 attendance kept by its key") { db in
            // Reports and `audit verify` read attendance in the order of its key, an import
            // writes hundreds of thousands of rows: one B-tree ordered by the key (WITHOUT
            // ROWID) instead of a table and an index on the key, each read or written per row.
            try db.create(table: "attendanceByKey", options: .withoutRowID) { t in
                t.column("bodyId", .text).notNull()
                t.column("seriesId", .text).notNull()
                t.column("date", .text).notNull()
                t.column("office", .text).notNull().references("office")
                t.column("person", .text).notNull()  // "" for the office as a whole
                t.column("status", .text).notNull()
                t.column("deputy", .text)
                t.column("arrival", .text)
                t.column("departure", .text)
                t.primaryKey(["bodyId", "seriesId", "date", "office", "person"])
                t.foreignKey(["bodyId", "seriesId"], references: "series")
            }
            try db.execute(
                sql: """
                    INSERT INTO attendanceByKey
                    SELECT bodyId, seriesId, date, office, person, status, deputy, arrival, departure FROM attendance
                    """)
            try db.drop(table: "attendance")
            try db.rename(table: "attendanceByKey", to: "attendance")
        }
        migrator.registerMigration("v16 change log numbered without AUTOINCREMENT") { db in
            // AUTOINCREMENT updates `sqlite_sequence` after every INSERT, and an import writes a
            // line per attendance row. The change log is only ever appended to, so the next id
            // (the largest plus one) is the same without it.
            try db.create(table: "changeLogByID") { t in
                t.primaryKey("id", .integer)
                t.column("time", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("action", .text).notNull()
                t.column("detail", .text).notNull()
            }
            try db.execute(
                sql: """
                    INSERT INTO changeLogByID SELECT id, time, actor, subject, action, detail FROM changeLog ORDER BY id
                    """)
            try db.drop(table: "changeLog")
            try db.rename(table: "changeLogByID", to: "changeLog")
            try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = 'changeLog'")
            try db.execute(
                sql: "CREATE INDEX changeLog_archived ON changeLog(subject, time) WHERE action = 'archived'")
        }
        return migrator
    }
}
