/// An instant together with the UTC offset in force there, so it prints as local time.
public struct ZonedTime: Sendable, Hashable, Codable, Comparable {
    /// UTC seconds since 1970.
    public var utc: Int64
    /// Seconds east of UTC.
    public var offset: Int

    public init(utc: Int64, offset: Int) {
        self.utc = utc
        self.offset = offset
    }

    /// The wall-clock time in the zone.
    public var local: LocalDateTime { LocalDateTime(localSeconds: utc + Int64(offset)) }

    /// ISO 8601 with offset: `2026-01-13T14:00:00+01:00`.
    public var iso8601: String { local.description + formatOffset(offset) }

    public static func < (a: ZonedTime, b: ZonedTime) -> Bool { a.utc < b.utc }
}

/// One meeting of a body, as planned: the rule's instance after holidays and exceptions.
public struct Session: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case scheduled
        /// Takes place at another time or place than the rule says (an exception or a holiday).
        case moved
        /// Does not take place (an exception or a holiday under the `skip` policy).
        case cancelled
    }

    public var body: String
    public var series: String
    /// The UID of the event the session belongs to: the series' UID, or its own for an extra session.
    public var uid: String
    /// The instance's wall-clock start as the rule gives it (RECURRENCE-ID); `nil` for a single session.
    public var recurrenceID: ZonedTime?
    /// Where the session starts; for a cancelled session, where it would have started.
    public var start: ZonedTime
    public var end: ZonedTime
    public var timeZone: String
    public var status: Status
    public var title: String
    public var location: String?
    public var kind: Series.MeetingKind
    /// Why the session is moved or cancelled (a reason given, or the holiday's name).
    public var reason: String?

    public init(
        body: String, series: String, uid: String, recurrenceID: ZonedTime?, start: ZonedTime, end: ZonedTime,
        timeZone: String, status: Status, title: String, location: String?, kind: Series.MeetingKind,
        reason: String? = nil
    ) {
        self.body = body
        self.series = series
        self.uid = uid
        self.recurrenceID = recurrenceID
        self.start = start
        self.end = end
        self.timeZone = timeZone
        self.status = status
        self.title = title
        self.location = location
        self.kind = kind
        self.reason = reason
    }
}
