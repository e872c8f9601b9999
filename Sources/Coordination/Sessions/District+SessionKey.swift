extension District {
    /// The key a session's records (attendance, agenda, minutes) are kept under: its planned
    /// date is the rule's date, the single session's first date, or an added session's own.
    public func key(of session: Session, body: Body, series: Series) -> SessionKey {
        if let rid = session.recurrenceID {
            return SessionKey(body: body.id, series: series.id, date: rid.local.date)
        }
        var planned = session.start.local.date
        if session.uid == uid(body: body, series: series) {
            planned = series.start.date
        } else if !series.earlier.isEmpty {
            // The single session of an earlier version of the series.
            for version in series.earlier where uid(body: body, series: series.asVersion(version)) == session.uid {
                planned = version.start.date
            }
        }
        return SessionKey(body: body.id, series: series.id, date: planned)
    }
}
