import Coordination

/// One entry of the change log: who changed what, when, and why.
public struct ChangeRecord: Sendable, Hashable, Codable {
    /// UTC.
    public var time: LocalDateTime
    public var actor: String
    /// `office jc`, `body ag-78`, `series ag-78/sitzung`.
    public var subject: String
    /// `added`, `changed`, `archived`, `restored`.
    public var action: String
    /// The fields changed, one `field: old → new` per line.
    public var detail: String

    public init(time: LocalDateTime, actor: String, subject: String, action: String, detail: String) {
        self.time = time
        self.actor = actor
        self.subject = subject
        self.action = action
        self.detail = detail
    }
}

/// When the change log first names a subject and when it last changed it.
public struct SubjectTimes: Sendable, Hashable {
    public var subject: String
    /// The time of the subject's first entry, in the order of writing.
    public var first: LocalDateTime
    /// The latest time among the subject's entries.
    public var last: LocalDateTime

    public init(subject: String, first: LocalDateTime, last: LocalDateTime) {
        (self.subject, self.first, self.last) = (subject, first, last)
    }
}

/// Which change-log entries to read: each part given must hold; compared as the exact text
/// (case and all, no patterns).
public struct ChangeFilter: Sendable, Hashable {
    /// The subject begins with this: `body `, `session ag-78/`.
    public var subjectPrefix: String
    public var action: String?
    /// The detail contains this: `public: true`.
    public var detailContaining: String?

    public init(subjectPrefix: String = "", action: String? = nil, detailContaining: String? = nil) {
        (self.subjectPrefix, self.action, self.detailContaining) = (subjectPrefix, action, detailContaining)
    }

    /// Whether `entry` is one the filter reads.
    public func admits(_ entry: ChangeRecord) -> Bool {
        entry.subject.utf8.starts(with: subjectPrefix.utf8)
            && (action.map { $0.utf8.elementsEqual(entry.action.utf8) } ?? true)
            && (detailContaining.map { entry.detail.utf8.contains($0.utf8) } ?? true)
    }
}

/// A change-log entry with its number in the log (rising in the order of writing).
public struct NumberedChange: Sendable, Hashable {
    public var number: Int64
    public var entry: ChangeRecord

    public init(number: Int64, entry: ChangeRecord) {
        self.number = number
        self.entry = entry
    }
}

extension SessionChange {
    /// The change-log entry for this change: `session ag-78/sitzung 2026-03-10`, `cancelled`.
    public var record: ChangeRecord {
        let subject: String
        let action: String
        var detail: [String] = []
        switch exception {
        case .cancel(let date, let reason):
            (subject, action) = ("session \(body)/\(series) \(date)", "cancelled")
            detail.append("reason: \(reason)")
        case .move(let m):
            (subject, action) = ("session \(body)/\(series) \(m.date)", "moved")
            detail.append("to: \(m.to)")
            if let l = m.location { detail.append("location: \(l)") }
            if let d = m.durationMinutes { detail.append("duration: \(d) min") }
            if let r = m.reason { detail.append("reason: \(r)") }
        case .add(let a):
            let verb: String
            switch a.status {
            case .cancelled: verb = "cancelled"
            case .moved: verb = "moved"
            case .scheduled: verb = "added"
            }
            (subject, action) = ("session \(body)/\(series) \(a.start.date)", verb)
            detail.append("start: \(a.start)")
            if let t = a.title { detail.append("title: \(t)") }
            if let r = a.reason { detail.append("reason: \(r)") }
        case .reinstate(let date, let reason):
            (subject, action) = ("session \(body)/\(series) \(date)", "reinstated")
            detail.append("reason: \(reason)")
        case .remove(let id, let reason):
            (subject, action) = ("session \(body)/\(series) \(id)", "removed")
            detail.append("reason: \(reason)")
        }
        return ChangeRecord(
            time: time, actor: actor, subject: subject, action: action, detail: detail.joined(separator: "\n"))
    }
}

extension AttendanceEntry {
    /// The change-log entry: `attendance ag-78/sitzung 2026-03-10`, `recorded`, `jc Anna Beispiel: present`.
    public var record: (subject: String, detail: String) {
        var detail = "\(office)\(person.map { " \($0)" } ?? ""): \(status.rawValue)"
        if let deputy { detail += " by \(deputy)" }
        return ("attendance \(session)", detail)
    }

    /// The change-log entry of recording it (`recorded`), with the reason of a correction.
    public func recordedRecord(reason: String?, at time: LocalDateTime, actor: String) -> ChangeRecord {
        let r = record
        return ChangeRecord(
            time: time, actor: actor, subject: r.subject, action: "recorded",
            detail: r.detail + (reason.map { "; reason: \($0)" } ?? ""))
    }

    /// The change-log entry of removing it, with the reason.
    public func removalRecord(reason: String, at time: LocalDateTime, actor: String) -> ChangeRecord {
        let r = record
        return ChangeRecord(
            time: time, actor: actor, subject: r.subject, action: "removed", detail: r.detail + "; reason: \(reason)")
    }
}

extension MinutesState {
    /// The change-log entry: `minutes ag-78/sitzung 2026-03-10`, `approved` or `reopened`.
    public var record: ChangeRecord {
        ChangeRecord(
            time: time, actor: actor, subject: "minutes \(session)",
            action: status == .approved ? "approved" : "reopened",
            detail: reason.map { "reason: \($0)" } ?? version.map { "version \($0), sha256 \(contentHash ?? "")" } ?? ""
        )
    }
}

extension SyncChange {
    /// The change-log entry for this change.
    public func record(at time: LocalDateTime, actor: String) -> ChangeRecord {
        let detail = fields.map { "\($0.field): \($0.old) → \($0.new)" }.joined(separator: "\n")
        return ChangeRecord(
            time: time, actor: actor, subject: subject.description, action: action.rawValue, detail: detail)
    }
}

extension AccessToken {
    /// The change-log entry of its issue (never the secret or its hash).
    public func issueRecord(actor: String) -> ChangeRecord {
        var detail = "\(kind.rawValue) for \(person)"
        if let role { detail += ", \(role.rawValue)" }
        if !bodies.isEmpty { detail += ", bodies \(bodies.joined(separator: ", "))" }
        if let expires { detail += ", expires \(expires)" }
        return ChangeRecord(time: created, actor: actor, subject: "token \(id)", action: "issued", detail: detail)
    }
}

extension ChangeRecord {
    /// A member of staff was added or changed: `person Anna Beispiel`, `saved`, `jc AL`.
    public static func saved(_ person: Person, at time: LocalDateTime, actor: String) -> ChangeRecord {
        ChangeRecord(
            time: time, actor: actor, subject: "person \(person.id)", action: "saved",
            detail: "\(person.name), \(person.office) \(person.level.rawValue)"
                + (person.until.map { ", until \($0)" } ?? ""))
    }

    /// A seat was assigned or ended.
    public static func seat(_ seat: Seat, _ action: String, at time: LocalDateTime, actor: String) -> ChangeRecord {
        let period = "\(seat.validFrom?.description ?? "…")..\(seat.validUntil?.description ?? "…")"
        return ChangeRecord(
            time: time, actor: actor, subject: "seat \(seat.id) \(seat.body) \(seat.office)", action: action,
            detail: "\(seat.person) \(seat.role.rawValue)\(seat.role == .deputy ? " \(seat.rank)" : "") \(period)")
    }

    /// A session's added agenda items were set (`changed`), one per line.
    public static func agendaChanged(_ session: SessionKey, _ texts: [String], at time: LocalDateTime, actor: String)
        -> ChangeRecord
    {
        ChangeRecord(
            time: time, actor: actor, subject: "agenda \(session)", action: "changed",
            detail: texts.isEmpty ? "(none)" : texts.enumerated().map { "\($0 + 1). \($1)" }.joined(separator: "\n"))
    }

    /// What is written into minutes changed: `minutes ag-78/sitzung 2026-03-10`, the action
    /// (`item 3 written`, `agenda changed`, `vote added to item 2`, …), the revision.
    public static func written(_ record: MinutesRecord, _ action: String, at time: LocalDateTime, actor: String)
        -> ChangeRecord
    {
        ChangeRecord(
            time: time, actor: actor, subject: "minutes \(record.session)", action: action,
            detail: "revision \(record.revision)")
    }

    /// An action item was stored under `id`: `action 3 ag-78/sitzung 2026-03-10`, `added`, `jc: text`.
    public static func added(_ item: ActionItem, id: Int, at time: LocalDateTime, actor: String) -> ChangeRecord {
        ChangeRecord(
            time: time, actor: actor, subject: "action \(id) \(item.session)", action: "added",
            detail: "\(item.office): \(item.text)")
    }

    /// An action item was marked done.
    public static func actionDone(_ id: Int, at time: LocalDateTime, actor: String) -> ChangeRecord {
        ChangeRecord(time: time, actor: actor, subject: "action \(id)", action: "done", detail: "")
    }

    /// A token was revoked.
    public static func tokenRevoked(_ id: String, at time: LocalDateTime, actor: String) -> ChangeRecord {
        ChangeRecord(time: time, actor: actor, subject: "token \(id)", action: "revoked", detail: "")
    }

    /// An account saved: its roles and bodies (never the password's hash).
    public static func accountSaved(_ a: Account, action: String, at time: LocalDateTime, actor: String) -> ChangeRecord
    {
        var detail =
            "\(a.email), roles: " + (a.roles.isEmpty ? "staff" : a.roles.map(\.rawValue).joined(separator: ", "))
        if !a.bodies.isEmpty { detail += ", bodies \(a.bodies.joined(separator: ", "))" }
        return ChangeRecord(time: time, actor: actor, subject: "account \(a.person)", action: action, detail: detail)
    }
}
