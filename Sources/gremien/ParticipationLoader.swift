import Coordination
import ICalendar
import Storage

/// Gathers what a participation report is computed from, from the store alone (never from
/// `calendars/`): the district as it has been, its sessions in the period, and the records,
/// either as stored now or as the event log says they stood at an earlier entry.
struct ParticipationLoader {
    let store: any Store
    let location: String

    /// - Parameter replayed: the records as of an earlier chain head (`audit verify --report`);
    ///   `nil` reads them from the store's tables.
    func records(from: CivilDate, through: CivilDate, core: [String], replayed: AuditRecords? = nil) async throws
        -> ParticipationRecords
    {
        let stored: StoredDefinitions
        let changes: [SessionChange]
        let attendance: [AttendanceEntry]
        let minutes: [MinutesState]
        // A moved session keeps the key of its planned date, which may lie a little outside the period.
        let margin = 62
        let lo = CivilDate(dayNumber: from.dayNumber - margin)
        let hi = CivilDate(dayNumber: through.dayNumber + margin)
        do {
            stored = try await store.definitions()
            if let replayed {
                changes = replayed.sessionChanges
                attendance = replayed.attendance.filter { $0.session.date >= lo && $0.session.date <= hi }
                minutes = replayed.minutes
            } else {
                changes = try await store.sessionChanges()
                attendance = try await store.attendance(from: lo, through: hi)
                minutes = try await store.minutesStates()
            }
        } catch {
            throw CommandError(error.description)
        }
        guard let base = stored.historicalDistrict else {
            throw CommandError("the store \(location) holds no definitions yet; run: gremien sync --apply")
        }
        let district = base.applying(changes)
        let planner: SessionPlanner
        do { planner = try SessionPlanner(district: district, zone: systemZone) } catch {
            throw CommandError(error.description)
        }
        let sessions = planner.keyedSessions(from: from, through: through).filter {
            stored.isBeforeArchiving($0.session)
        }
        return ParticipationRecords(
            offices: district.offices, bodies: district.bodies,
            archivedBodies: Set(stored.archivedBodies.map(\.id)), sessions: sessions, attendance: attendance,
            minutes: minutes, core: core)
    }
}
