import Coordination
import Storage

/// The district as the store holds it now (definitions with the recorded session changes) and
/// its planner: what finding, listing and changing sessions work on.
public struct Planning: Sendable {
    public var district: District
    public var planner: SessionPlanner
    /// How many session changes each series (`body/series`) has in the store, when read from it
    /// (`load`); a write of a session change expects that number still to hold.
    public var changeCounts: [String: Int]?

    public init(district: District, planner: SessionPlanner, changeCounts: [String: Int]? = nil) {
        self.district = district
        self.planner = planner
        self.changeCounts = changeCounts
    }

    /// Plans `district` with the zones of `zones`; `invalid` when a series names an unknown zone.
    public init(district: District, zones: (String) -> ZoneRules?) throws(WorkflowError) {
        do {
            self.init(district: district, planner: try SessionPlanner(district: district, zone: zones))
        } catch {
            throw .invalid(error.description)
        }
    }

    /// The store's district with its session changes; `nil` before the first sync.
    public static func load(from store: any DefinitionStore & SessionChangeStore, zones: (String) -> ZoneRules?)
        async throws(WorkflowError) -> Planning?
    {
        let stored: StoredDefinitions
        let changes: [SessionChange]
        do {
            stored = try await store.definitions()
            changes = try await store.sessionChanges()
        } catch {
            throw WorkflowError(error)
        }
        guard let base = stored.district else { return nil }
        var planning = try Planning(district: base.applying(changes), zones: zones)
        planning.changeCounts = Dictionary(grouping: changes, by: { "\($0.body)/\($0.series)" }).mapValues(\.count)
        return planning
    }

    /// The body with this id, or `notFound` naming the known ones.
    public func body(_ id: String) throws(WorkflowError) -> Body {
        guard let b = district.body(id) else {
            throw .notFound("unknown body '\(id)'; known bodies: \(district.bodies.map(\.id).joined(separator: ", "))")
        }
        return b
    }

    /// `notFound` unless the office exists, naming the known ones.
    public func requireOffice(_ id: String) throws(WorkflowError) {
        guard district.office(id) == nil else { return }
        throw .notFound(
            "unknown office '\(id)'; known offices: \(district.offices.map(\.id).joined(separator: ", "))")
    }

    /// The session of `body` planned (by its rule) on `date`, or moved to `date`, in `series` when
    /// given. Its key is always the planned date (the records are kept under it).
    public func session(body id: String, plannedOn date: CivilDate, series: String? = nil) throws(WorkflowError)
        -> ResolvedSession
    {
        let b = try body(id)
        do {
            let found = try planner.session(of: b, plannedOn: date, series: series)
            return ResolvedSession(
                district: district, body: b, series: found.series, session: found.session,
                key: district.key(of: found.session, body: b, series: found.series))
        } catch {
            throw .notFound(error.description)
        }
    }
}

/// A session found by body and planned date, with what is needed to show or change it.
public struct ResolvedSession: Sendable {
    public var district: District
    public var body: Body
    public var series: Series
    public var session: Session
    /// The key its records are kept under (body, series, planned date).
    public var key: SessionKey

    /// Whether it comes from its series' rule (or is the series' single session), not an added one.
    public var isPlanned: Bool {
        !series.exceptions.contains { e in
            e.addition.map { district.uid(body: body, series: series, addition: $0) == session.uid } ?? false
        }
    }

    /// How messages name it: by body and planned date, and the date it moved to when it moved
    /// to another day (`ag-78 of 2026-12-08, moved to 2026-12-10`).
    public var name: String {
        let day = session.start.local.date
        return "\(body.id) of \(key.date)" + (day != key.date ? ", moved to \(day)" : "")
    }

    /// The same for a page: `AG 78 vom 08.12.2026, verlegt auf den 10.12.2026`.
    public var germanName: String {
        let day = session.start.local.date
        return "\(body.name) vom \(key.date.german)" + (day != key.date ? ", verlegt auf den \(day.german)" : "")
    }
}
