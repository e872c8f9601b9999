/// A Sitzungsreihe: the recurring sessions of a body, with their planned exceptions.
public struct Series: Sendable, Hashable, Codable, Identifiable {
    /// What kind of meeting the sessions are.
    public enum MeetingKind: String, Sendable, Hashable, Codable, CaseIterable {
        case austausch = "Austausch"
        case fallbesprechung = "Fallbesprechung"
        case fortbildung = "Fortbildung"
        case konferenz = "Konferenz"
        case sitzung = "Sitzung"
    }

    /// What happens to a session that falls on a public holiday or closing day.
    public enum HolidayPolicy: String, Sendable, Hashable, Codable, CaseIterable {
        /// The session does not take place (it is cancelled, with the holiday as reason).
        case skip
        /// The session moves to the next working day, same time.
        case nextWorkingDay = "next-working-day"
        /// The session moves to the previous working day, same time.
        case previousWorkingDay = "previous-working-day"
        /// The session takes place anyway.
        case keep
    }

    /// Identifier within the body; with the body's id it makes the UID, so it must never change.
    public var id: String
    /// A title that tells series of one body apart (`Fallbesprechung`); `nil` uses the body's name.
    public var title: String?
    /// The first session's wall-clock start.
    public var start: LocalDateTime
    public var durationMinutes: Int
    /// The lengths a session may have, in minutes: up to a whole day.
    public static let durations = 1...1440

    /// Why `rule` cannot be a series' rule, or `nil`. A body meets at most once a day at the
    /// time its `start` gives: FREQ below DAILY and BYHOUR, BYMINUTE, BYSECOND are refused, so
    /// a series has at most one session a day and every expansion of a period is bounded by
    /// its days (FREQ=SECONDLY;COUNT=10000000 took 40 s and 650 MB in generate).
    public static func ruleProblem(_ rule: RecurrenceRule) -> String? {
        if rule.frequency < .daily {
            return "FREQ=\(rule.frequency.rawValue) is not allowed for a series: a body meets at most once a day; "
                + "use DAILY, WEEKLY, MONTHLY or YEARLY"
        }
        for (part, values) in [("BYHOUR", rule.byHour), ("BYMINUTE", rule.byMinute), ("BYSECOND", rule.bySecond)]
        where !values.isEmpty {
            return "\(part) is not allowed for a series: the time of its sessions comes from start"
        }
        return nil
    }
    public var timeZone: String
    /// The RRULE; `nil` for a series of one session.
    public var rule: RecurrenceRule?
    public var location: String?
    public var kind: MeetingKind
    public var holidayPolicy: HolidayPolicy
    public var exceptions: [SeriesException]
    /// When the series was last changed (UTC): DTSTAMP and LAST-MODIFIED of its events.
    public var updated: LocalDateTime
    /// SEQUENCE of the series' events (raise it when a change matters to subscribers).
    public var sequence: Int
    /// Standing agenda items (Tagesordnung) of every session, in order.
    public var agenda: [String]
    /// From the files only (`effective_from:`): the day a change of the series takes effect;
    /// `nil`: the day of the sync. Not stored.
    public var effectiveFrom: CivilDate?
    /// The day this version of the series took effect, when a sync changed an earlier one
    /// (whose sessions before this day keep their time, place and text): `nil` for the first.
    public var versionFrom: CivilDate?
    /// The day this version stopped holding: set only on the versions `SessionPlanner.versions`
    /// makes, never stored.
    public var versionUntil: CivilDate?
    /// The earlier versions, oldest first, each ending where the next begins.
    public var earlier: [SeriesVersion] = []

    public init(
        id: String, title: String? = nil, start: LocalDateTime, durationMinutes: Int,
        timeZone: String = "Europe/Berlin",
        rule: RecurrenceRule?, location: String? = nil, kind: MeetingKind, holidayPolicy: HolidayPolicy = .skip,
        exceptions: [SeriesException] = [], updated: LocalDateTime, sequence: Int = 0, agenda: [String] = []
    ) {
        self.agenda = agenda
        self.id = id
        self.title = title
        self.start = start
        self.durationMinutes = durationMinutes
        self.timeZone = timeZone
        self.rule = rule
        self.location = location
        self.kind = kind
        self.holidayPolicy = holidayPolicy
        self.exceptions = exceptions
        self.updated = updated
        self.sequence = sequence
    }
}

/// What a series was before a sync changed it: its time, place and text up to `until`.
public struct SeriesVersion: Sendable, Hashable, Codable {
    /// The day it took effect; `nil` for the first version.
    public var from: CivilDate?
    /// The first day it no longer holds (the next version's `from`).
    public var until: CivilDate
    public var title: String?
    public var start: LocalDateTime
    public var durationMinutes: Int
    public var timeZone: String
    public var rule: RecurrenceRule?
    public var location: String?
    public var kind: Series.MeetingKind
    public var holidayPolicy: Series.HolidayPolicy
    public var agenda: [String]

    /// The version `series` is, ending before `until`.
    public init(_ series: Series, until: CivilDate) {
        from = series.versionFrom
        self.until = until
        title = series.title
        start = series.start
        durationMinutes = series.durationMinutes
        timeZone = series.timeZone
        rule = series.rule
        location = series.location
        kind = series.kind
        holidayPolicy = series.holidayPolicy
        agenda = series.agenda
    }
}

extension Series {
    /// Whether two series differ in what their sessions are: time, length, zone, rule, place,
    /// title, kind, holiday rule or standing agenda (not exceptions, SEQUENCE or history).
    public func differsInShape(from other: Series) -> Bool {
        var a = SeriesVersion(self, until: CivilDate(dayNumber: 0))
        var b = SeriesVersion(other, until: CivilDate(dayNumber: 0))
        (a.from, b.from) = (nil, nil)
        return a != b
    }

    /// The series as it was in an earlier version (exceptions, SEQUENCE and id as now).
    public func asVersion(_ v: SeriesVersion) -> Series {
        var s = self
        (s.title, s.start, s.durationMinutes, s.timeZone, s.rule) = (
            v.title, v.start, v.durationMinutes, v.timeZone, v.rule
        )
        (s.location, s.kind, s.holidayPolicy, s.agenda) = (v.location, v.kind, v.holidayPolicy, v.agenda)
        (s.versionFrom, s.versionUntil, s.earlier) = (v.from, v.until, [])
        return s
    }
}

/// A planned change to a series: a session that does not take place, one that moves, or an
/// extra session; and, recorded by coordinators only, the undoing of a cancellation or a move
/// (`reinstate`) and the removal of an extra session that never took place (`remove`).
public enum SeriesException: Sendable, Hashable, Codable {
    case cancel(date: CivilDate, reason: String)
    case move(Move)
    case add(Addition)
    /// The session of the rule's `date` takes place as planned again: an earlier cancellation or
    /// move of that date no longer holds. Not "moved".
    case reinstate(date: CivilDate, reason: String)
    /// The extra session `id` is taken out of the plan (it never took place).
    case remove(id: String, reason: String)

    public struct Move: Sendable, Hashable, Codable {
        /// The date of the session as the rule gives it (its RECURRENCE-ID).
        public var date: CivilDate
        /// The new wall-clock start, in the series' zone.
        public var to: LocalDateTime
        public var durationMinutes: Int?
        public var location: String?
        public var reason: String?

        public init(
            date: CivilDate, to: LocalDateTime, durationMinutes: Int? = nil, location: String? = nil,
            reason: String? = nil
        ) {
            self.date = date
            self.to = to
            self.durationMinutes = durationMinutes
            self.location = location
            self.reason = reason
        }
    }

    public struct Addition: Sendable, Hashable, Codable {
        /// Identifier of the extra session within the series (part of its UID).
        public var id: String
        public var start: LocalDateTime
        public var durationMinutes: Int?
        public var location: String?
        public var title: String?
        public var kind: Series.MeetingKind?
        /// Why it does not take place, when it was cancelled.
        public var cancelled: String?
        /// Why it was moved, when it was.
        public var moved: String?

        /// What became of it: cancelled, moved or as added.
        public var status: Session.Status { cancelled != nil ? .cancelled : (moved != nil ? .moved : .scheduled) }

        /// Why it was cancelled or moved.
        public var reason: String? { cancelled ?? moved }

        public init(
            id: String, start: LocalDateTime, durationMinutes: Int? = nil, location: String? = nil,
            title: String? = nil, kind: Series.MeetingKind? = nil, cancelled: String? = nil, moved: String? = nil
        ) {
            self.id = id
            self.start = start
            self.durationMinutes = durationMinutes
            self.location = location
            self.title = title
            self.kind = kind
            self.cancelled = cancelled
            self.moved = moved
        }
    }
}
