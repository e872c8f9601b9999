/// A change to single sessions recorded after the plan: a session cancelled, moved or added by
/// a coordinator, with who and when (the why is the exception's reason).
public struct SessionChange: Sendable, Hashable, Codable {
    public var body: String
    public var series: String
    /// What changes, in the form of a planned exception.
    public var exception: SeriesException
    /// When it was recorded (UTC).
    public var time: LocalDateTime
    public var actor: String

    public init(body: String, series: String, exception: SeriesException, time: LocalDateTime, actor: String) {
        self.body = body
        self.series = series
        self.exception = exception
        self.time = time
        self.actor = actor
    }
}

extension District {
    /// The district with recorded session changes laid over the planned exceptions, in the
    /// order they were recorded: a later change of a date replaces an earlier one (a move after
    /// a cancel reinstates the session elsewhere), an addition with a known id replaces it.
    ///
    /// Each change raises the series' SEQUENCE by one and makes its time of change the series'
    /// DTSTAMP/LAST-MODIFIED, so subscribers' clients take the new version.
    public func applying(_ changes: [SessionChange]) -> District {
        var district = self
        for change in changes {
            guard let b = district.bodies.firstIndex(where: { $0.id == change.body }),
                let s = district.bodies[b].series.firstIndex(where: { $0.id == change.series })
            else { continue }
            var series = district.bodies[b].series[s]
            switch change.exception {
            case .cancel, .move:
                let date = change.exception.date
                series.exceptions.removeAll { $0.date == date }
                series.exceptions.append(change.exception)
            case .add(let addition):
                series.exceptions.removeAll { $0.addition?.id == addition.id }
                series.exceptions.append(change.exception)
            case .reinstate(let date, _):
                // Back to the plan: the date's cancellation or move goes; nothing takes its place.
                series.exceptions.removeAll { $0.date == date }
            case .remove(let id, _):
                series.exceptions.removeAll { $0.addition?.id == id }
            }
            series.sequence += 1
            if change.time > series.updated { series.updated = change.time }
            district.bodies[b].series[s] = series
        }
        return district
    }
}

extension SeriesException {
    /// The rule date a cancel, move or reinstatement refers to; `nil` for an addition or a removal.
    public var date: CivilDate? {
        switch self {
        case .cancel(let date, _), .reinstate(let date, _): return date
        case .move(let move): return move.date
        case .add, .remove: return nil
        }
    }

    /// The extra session, for an addition.
    public var addition: Addition? {
        if case .add(let a) = self { return a }
        return nil
    }
}
