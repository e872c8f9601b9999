import Coordination
import Foundation

/// A row of the `district` table (one row: the settings), as every backend keeps it;
/// `domain()` reads it back, refusing what cannot be read.
public struct DistrictRow: Codable, Sendable {
    public var id = 1
    public var name: String
    public var uidDomain: String
    public var defaultTimeZone: String
    public var planUntil: String
    public var refreshMinutes: Int
    public var closingDays: [HolidayCalendar.Day]
    public var cancelledSessions: String
    public var publicAttendance: Bool

    public init(_ s: DistrictSettings) {
        name = s.name
        uidDomain = s.uidDomain
        defaultTimeZone = s.defaultTimeZone
        planUntil = s.planUntil.description
        refreshMinutes = s.refreshMinutes
        closingDays = s.closingDays
        cancelledSessions = s.cancelledSessions.rawValue
        publicAttendance = s.publicAttendance
    }

    public func domain() throws(StorageError) -> DistrictSettings {
        guard let until = CivilDate(iso: planUntil) else {
            throw .unreadable(what: "district settings", reason: "plan_until '\(planUntil)'")
        }
        guard let cancelled = District.CancelledSessions(rawValue: cancelledSessions) else {
            throw .unreadable(what: "district settings", reason: "cancelled_sessions '\(cancelledSessions)'")
        }
        return DistrictSettings(
            name: name, uidDomain: uidDomain, defaultTimeZone: defaultTimeZone, planUntil: until,
            refreshMinutes: refreshMinutes, closingDays: closingDays, cancelledSessions: cancelled,
            publicAttendance: publicAttendance)
    }
}
