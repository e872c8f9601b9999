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
        // Whole days in any zone: a day's margin on both sides, cut by local date in the summary.
        let start = Int64(from.dayNumber - 1) * 86_400
        let end = Int64(through.dayNumber + 2) * 86_400
        var sessions: [(key: SessionKey, session: Session)] = []
        let bodies = Dictionary(district.bodies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for session in planner.sessions(from: start, to: end) where stored.isBeforeArchiving(session) {
            guard let body = bodies[session.body], let series = body.series.first(where: { $0.id == session.series })
            else { continue }
            sessions.append((district.key(of: session, body: body, series: series), session))
        }
        return ParticipationRecords(
            offices: district.offices, bodies: district.bodies,
            archivedBodies: Set(stored.archivedBodies.map(\.id)), sessions: sessions, attendance: attendance,
            minutes: minutes, core: core)
    }
}
