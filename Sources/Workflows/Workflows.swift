import Coordination
import Platform
import Storage

/// Every use case of Gremien, once: the command line, the web pages and the API call these and
/// only present what comes back. Each takes the acting `Principal`, checks permission and
/// plausibility, writes through the store and returns domain values or a `WorkflowError`.
public struct Workflows: Sendable {
    public let store: any Store
    public let clock: WallClock
    /// The rules of a time zone by name (the system's zoneinfo in production).
    public let zones: @Sendable (String) -> ZoneRules?
    /// How messages name the store (`sqlite:gremien.sqlite`); `nil`: "the store".
    public let location: String?
    private let cachedPlanning: (@Sendable () async throws -> Planning?)?

    /// - Parameter planning: where the current district comes from when the caller keeps it
    ///   (the server's feed cache); by default it is read from the store on every call.
    public init(
        store: any Store, clock: WallClock = .system,
        zones: @escaping @Sendable (String) -> ZoneRules? = SystemTimeZones.lookup, location: String? = nil,
        planning: (@Sendable () async throws -> Planning?)? = nil
    ) {
        self.store = store
        self.location = location
        self.clock = clock
        self.zones = zones
        self.cachedPlanning = planning
    }

    /// The store's district and planner; `unavailable` before the first sync.
    public func planning() async throws(WorkflowError) -> Planning {
        let found: Planning?
        if let cachedPlanning {
            do { found = try await cachedPlanning() } catch let error as WorkflowError { throw error } catch {
                throw .unavailable(String(describing: error))
            }
        } else {
            found = try await Planning.load(from: store, zones: zones)
        }
        guard let found else { throw notSynced }
        return found
    }

    /// The refusal before the first sync.
    var notSynced: WorkflowError {
        .unavailable("the store\(location.map { " \($0)" } ?? "") holds no definitions yet; run: gremien sync --apply")
    }

    /// The store's district read now from the store, never from a cache: what a write checks.
    func freshPlanning() async throws(WorkflowError) -> Planning {
        guard let found = try await Planning.load(from: store, zones: zones) else { throw notSynced }
        return found
    }

    /// Runs a check-and-write once more (reading afresh) when the store refused the write because
    /// what was read changed meanwhile; a second refusal is `stale`.
    func checkedWrite<T>(_ work: () async throws(WorkflowError) -> T) async throws(WorkflowError) -> T {
        do {
            return try await work()
        } catch .conflict(code: "rejected", _) {
            do {
                return try await work()
            } catch .conflict(code: "rejected", let message) {
                throw .stale(message)
            }
        }
    }

    /// The session of `body` planned on `date` in the store's district.
    public func session(body: String, plannedOn date: CivilDate, series: String? = nil) async throws(WorkflowError)
        -> ResolvedSession
    {
        try await planning().session(body: body, plannedOn: date, series: series)
    }

    /// Runs a store call, its refusal turned into the workflow's.
    func stored<T>(_ work: () async throws(StorageError) -> T) async throws(WorkflowError) -> T {
        do { return try await work() } catch { throw WorkflowError(error) }
    }
}
