/// Everything `calendars/` describes: the district's settings, its offices and its bodies.
public struct District: Sendable, Hashable {
    public var name: String
    /// The domain part of every UID (`kreis-dueren.de`): UIDs are `<series>.<body>@gremien.<domain>`.
    public var uidDomain: String
    public var defaultTimeZone: String
    /// Sessions are planned, and holidays applied, up to and including this date.
    public var planUntil: CivilDate
    /// The latest `plan_until`: plans, feeds and holiday tables are computed up to it, so it
    /// bounds their work.
    public static let latestPlanUntil = CivilDate(year: 2100, month: 12, day: 31)
    /// How often clients should fetch the feeds (REFRESH-INTERVAL, X-PUBLISHED-TTL), in minutes.
    public var refreshMinutes: Int
    public var holidays: HolidayCalendar
    /// How feeds show a cancelled session (`cancelled_sessions` in `district.yaml`).
    public var cancelledSessions: CancelledSessions
    /// Whether the OParl endpoint shows attendance per office (`oparl_attendance: true`).
    public var publicAttendance: Bool = false
    public var offices: [Office]
    public var bodies: [Body]

    /// How feeds show a cancelled session.
    public enum CancelledSessions: String, Sendable, Hashable, Codable, CaseIterable {
        /// As an event of its own, `STATUS:CANCELLED`, free, "Abgesagt: …" with the reason: the
        /// default, so that nobody wonders where a session went (and Outlook, which ignores the
        /// status of subscribed events, still shows "Abgesagt" in the title).
        case show
        /// Left out (EXDATE): the session disappears from calendars without a word.
        case hide
    }

    public init(
        name: String, uidDomain: String, defaultTimeZone: String = "Europe/Berlin", planUntil: CivilDate,
        refreshMinutes: Int = 720, holidays: HolidayCalendar = HolidayCalendar(),
        cancelledSessions: CancelledSessions = .show, offices: [Office] = [], bodies: [Body] = []
    ) {
        self.cancelledSessions = cancelledSessions
        self.name = name
        self.uidDomain = uidDomain
        self.defaultTimeZone = defaultTimeZone
        self.planUntil = planUntil
        self.refreshMinutes = refreshMinutes
        self.holidays = holidays
        self.offices = offices
        self.bodies = bodies
    }

    public func office(_ id: String) -> Office? { offices.first { $0.id == id } }

    public func body(_ id: String) -> Body? { bodies.first { $0.id == id } }

    /// The UID of a series' events: stable as long as the body and series ids stay.
    /// A version of a series that took effect on a later day (a sync changed it) has a UID of
    /// its own with that day: `<series>-<YYYYMMDD>.<body>@gremien.<domain>`.
    public func uid(body: Body, series: Series) -> String {
        if let from = series.versionFrom { return "\(series.id)-\(from.basicFormat).\(body.id)@gremien.\(uidDomain)" }
        return "\(series.id).\(body.id)@gremien.\(uidDomain)"
    }

    /// The UID of an extra session added to a series.
    public func uid(body: Body, series: Series, addition: SeriesException.Addition) -> String {
        "\(addition.id).\(series.id).\(body.id)@gremien.\(uidDomain)"
    }
}
