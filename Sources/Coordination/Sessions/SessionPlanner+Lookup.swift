extension SessionPlanner {
    /// Why no single session could be found for a body and a planned date.
    public enum LookupError: Error, Sendable, Hashable, CustomStringConvertible {
        case unknownSeries(body: String, series: String, known: [String])
        case noSession(body: String, date: CivilDate, nearest: [CivilDate])
        case several(body: String, date: CivilDate, series: [String])

        public var description: String {
            switch self {
            case .unknownSeries(let body, let series, let known):
                return "\(body) has no series '\(series)'; its series: \(known.joined(separator: ", "))"
            case .noSession(let body, let date, let nearest):
                let hint = nearest.map(\.description).joined(separator: ", ")
                return "\(body) has no session planned on \(date)" + (hint.isEmpty ? "" : "; nearest: \(hint)")
            case .several(let body, let date, let series):
                return
                    "\(body) has \(series.count) sessions on \(date) (series \(series.joined(separator: ", "))); choose one with --series"
            }
        }
    }

    /// The session of `body` whose planned date (`District.key(of:)`) is `day`, in `series`
    /// when given; when none was planned that day, the session moved to `day` (AG 78 of 08.12.,
    /// moved to 10.12., is found by either date).
    public func session(of body: Body, plannedOn day: CivilDate, series seriesID: String? = nil) throws(LookupError)
        -> (series: Series, session: Session)
    {
        var candidates = body.series
        if let seriesID {
            candidates = candidates.filter { $0.id == seriesID }
            if candidates.isEmpty {
                throw .unknownSeries(body: body.id, series: seriesID, known: body.series.map(\.id))
            }
        }
        var found: [(Series, Session)] = []
        var movedHere: [(Series, Session)] = []
        var nearby: [CivilDate] = []
        for s in candidates {
            let middle = zone(of: s).utc(forLocal: LocalDateTime(date: day).localSeconds)
            for session in sessions(of: body, series: s, from: middle - 400 * 86_400, to: middle + 400 * 86_400) {
                let planned = district.key(of: session, body: body, series: s).date
                if planned == day {
                    found.append((s, session))
                } else {
                    nearby.append(planned)
                    if session.status == .moved && session.start.local.date == day { movedHere.append((s, session)) }
                }
            }
        }
        if found.isEmpty { found = movedHere }
        if found.isEmpty {
            let nearest = [nearby.filter { $0 < day }.max(), nearby.filter { $0 > day }.min()].compactMap { $0 }
            throw .noSession(body: body.id, date: day, nearest: nearest)
        }
        if found.count > 1 { throw .several(body: body.id, date: day, series: found.map(\.0.id)) }
        return found[0]
    }
}

extension SessionPlanner {
    /// The sessions whose local start day lies in `from...through` (both included), in order of
    /// start, each with the key its records are kept under (`District.key(of:)`).
    public func keyedSessions(from: CivilDate, through: CivilDate, bodies ids: Set<String>? = nil) -> [(
        key: SessionKey, session: Session
    )] {
        // A day's margin on both sides covers every zone; the local day decides.
        let found = sessions(
            from: Int64(from.dayNumber - 1) * 86_400, to: Int64(through.dayNumber + 2) * 86_400, bodies: ids)
        let bodies = Dictionary(district.bodies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var result: [(key: SessionKey, session: Session)] = []
        result.reserveCapacity(found.count)
        for session in found {
            let day = session.start.local.date
            guard day >= from, day <= through, let body = bodies[session.body],
                let series = body.series.first(where: { $0.id == session.series })
            else { continue }
            result.append((district.key(of: session, body: body, series: series), session))
        }
        return result
    }
}

/// The sessions of a body over a period, by planned date and by the date they moved to, so that
/// many lookups (an import of thousands of attendance rows) expand each series once instead of
/// once per lookup. It answers only where `SessionPlanner.session(of:plannedOn:series:)` finds
/// exactly one session; everything else (no session, several, an unknown series) is left to that
/// function, which says why.
public struct SessionIndex: Sendable {
    private var planned: [CivilDate: [(series: Series, session: Session)]] = [:]
    private var movedTo: [CivilDate: [(series: Series, session: Session)]] = [:]

    /// The one session planned on `day` (in `series` when given), else the one moved to `day`.
    public func session(plannedOn day: CivilDate, series id: String? = nil) -> (series: Series, session: Session)? {
        var found = (planned[day] ?? []).filter { id == nil || $0.series.id == id }
        if found.isEmpty { found = (movedTo[day] ?? []).filter { id == nil || $0.series.id == id } }
        return found.count == 1 ? found[0] : nil
    }

    init(_ planner: SessionPlanner, body: Body, from: CivilDate, through: CivilDate) {
        for s in body.series {
            let zone = planner.zone(of: s)
            let first = zone.utc(forLocal: LocalDateTime(date: from).localSeconds) - 400 * 86_400
            let last = zone.utc(forLocal: LocalDateTime(date: through).localSeconds) + 400 * 86_400
            for session in planner.sessions(of: body, series: s, from: first, to: last) {
                let day = planner.district.key(of: session, body: body, series: s).date
                planned[day, default: []].append((s, session))
                let local = session.start.local.date
                if session.status == .moved && local != day { movedTo[local, default: []].append((s, session)) }
            }
        }
    }
}

extension SessionPlanner {
    /// The sessions of `body` planned in `from...through` (and those moved into it), for many lookups.
    public func index(of body: Body, from: CivilDate, through: CivilDate) -> SessionIndex {
        SessionIndex(self, body: body, from: from, through: through)
    }
}
