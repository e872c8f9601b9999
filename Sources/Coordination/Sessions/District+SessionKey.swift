extension District {
    /// The key a session's records (attendance, agenda, minutes) are kept under: its planned
    /// date is the rule's date, the single session's first date, or an added session's own.
    public func key(of session: Session, body: Body, series: Series) -> SessionKey {
        let planned =
            session.recurrenceID?.local.date
            ?? (session.uid == uid(body: body, series: series) ? series.start.date : session.start.local.date)
        return SessionKey(body: body.id, series: series.id, date: planned)
    }
}
