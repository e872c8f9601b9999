/// The district's own settings (`district.yaml`): what a store keeps besides offices and bodies.
public struct DistrictSettings: Sendable, Hashable, Codable {
    public var name: String
    public var uidDomain: String
    public var defaultTimeZone: String
    public var planUntil: CivilDate
    public var refreshMinutes: Int
    /// Closing days besides NRW's public holidays.
    public var closingDays: [HolidayCalendar.Day]
    public var cancelledSessions: District.CancelledSessions
    /// `oparl_attendance: true`: the OParl endpoint shows attendance per office.
    public var publicAttendance: Bool

    public init(
        name: String, uidDomain: String, defaultTimeZone: String, planUntil: CivilDate, refreshMinutes: Int,
        closingDays: [HolidayCalendar.Day], cancelledSessions: District.CancelledSessions = .show,
        publicAttendance: Bool = false
    ) {
        self.cancelledSessions = cancelledSessions
        self.publicAttendance = publicAttendance
        self.name = name
        self.uidDomain = uidDomain
        self.defaultTimeZone = defaultTimeZone
        self.planUntil = planUntil
        self.refreshMinutes = refreshMinutes
        self.closingDays = closingDays
    }
}

extension District {
    /// The settings part of the district.
    public var settings: DistrictSettings {
        DistrictSettings(
            name: name, uidDomain: uidDomain, defaultTimeZone: defaultTimeZone, planUntil: planUntil,
            refreshMinutes: refreshMinutes, closingDays: holidays.closingDays, cancelledSessions: cancelledSessions,
            publicAttendance: publicAttendance)
    }

    /// A district from its settings, offices and bodies (as a store holds them).
    public init(settings s: DistrictSettings, offices: [Office], bodies: [Body]) {
        self.init(
            name: s.name, uidDomain: s.uidDomain, defaultTimeZone: s.defaultTimeZone, planUntil: s.planUntil,
            refreshMinutes: s.refreshMinutes, holidays: HolidayCalendar(closingDays: s.closingDays),
            cancelledSessions: s.cancelledSessions, offices: offices,
            bodies: bodies)
        publicAttendance = s.publicAttendance
    }
}
