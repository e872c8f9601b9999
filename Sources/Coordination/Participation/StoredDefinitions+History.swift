extension StoredDefinitions {
    /// The district as it has been, for reports: archived bodies and series back in, each body
    /// with the memberships a sync removed (ended the day before), offices and bodies by id.
    /// `nil` before the first sync.
    public var historicalDistrict: District? {
        guard let settings else { return nil }
        var bodies: [Body] = []
        for var body in self.bodies + archivedBodies {
            body.series += archivedSeries[body.id] ?? []
            body.members += pastMemberships[body.id] ?? []
            bodies.append(body)
        }
        return District(
            settings: settings, offices: (offices + archivedOffices).sorted { $0.id < $1.id },
            bodies: bodies.sorted { $0.id < $1.id })
    }

    /// Whether a session took place while its body and series were still in the store: the
    /// sessions of an archived body or series end the day it was archived.
    public func isBeforeArchiving(_ session: Session) -> Bool {
        // Asked for each of the hundreds of thousands of sessions of a report; the keys are
        // made only when something was archived at all.
        guard !archivedOn.isEmpty else { return true }
        let day = session.start.local.date
        for key in [
            SyncChange.Subject.body(session.body).description,
            SyncChange.Subject.series(body: session.body, series: session.series).description,
        ] {
            if let archived = archivedOn[key], day >= archived { return false }
        }
        return true
    }
}
