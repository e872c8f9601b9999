import Coordination

/// A VEVENT reduced to what expansion needs: identity, the recurrence set, length and status.
public struct CalendarEvent: Sendable, Hashable {
    public var uid: String
    /// For an override of one instance: the instant (or date) it replaces (RECURRENCE-ID).
    public var recurrenceID: Int64?
    public var recurrence: RecurrenceSet
    /// Length in seconds (DTEND − DTSTART, or DURATION; one day for all-day events without either).
    public var duration: Int64
    public var summary: String?
    /// LOCATION as written (TEXT escaping kept).
    public var location: String? = nil
    /// STATUS as written (`CONFIRMED`, `TENTATIVE`, `CANCELLED`), if any.
    public var status: String?
    public var sequence: Int

    public var isCancelled: Bool { status?.uppercased() == "CANCELLED" }
}

/// The events of a calendar file and the problems found while reading them.
public struct CalendarFile: Sendable {
    public var events: [CalendarEvent]
    public var diagnostics: [ICalDiagnostic]

    public var errors: [ICalDiagnostic] { diagnostics.filter { $0.severity == .error } }
}
