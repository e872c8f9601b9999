import Coordination

/// How a user names one session: the body, the planned date, and the series when the body has
/// several sessions that day.
public struct SessionTarget: Sendable, Hashable {
    public var body: String
    public var date: CivilDate
    public var series: String?

    public init(body: String, date: CivilDate, series: String? = nil) {
        self.body = body
        self.date = date
        self.series = series
    }
}

extension Workflows {
    /// The session a target names.
    public func session(_ target: SessionTarget) async throws(WorkflowError) -> ResolvedSession {
        try await session(body: target.body, plannedOn: target.date, series: target.series)
    }

    /// The session a target names, `forbidden` unless the principal may write its records: what a
    /// request checks before it reads its body or its `If-Match` (the write checks again).
    public func writableSession(_ target: SessionTarget, by principal: Principal) async throws(WorkflowError)
        -> ResolvedSession
    {
        let found = try await session(target)
        try principal.requireWrite(body: found.body.id)
        return found
    }
}
