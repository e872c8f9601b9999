extension SyncPlan {
    /// The plan that brings `stored` to what the files (`district`) define, to be applied at
    /// `time` (UTC).
    ///
    /// A series the store already holds keeps its own SEQUENCE and time of change: when it
    /// changes, its SEQUENCE rises by one and its time of change becomes `time` (what a
    /// subscriber sees of it changed). The files' `sequence` and `updated` only seed new series.
    public static func between(stored: StoredDefinitions, files district: District, at time: LocalDateTime)
        -> SyncPlan
    {
        var changes: [SyncChange] = []
        let settingsChanges = diff(stored.settings.map(fields) ?? [], fields(district.settings))
        if !settingsChanges.isEmpty {
            changes.append(
                SyncChange(
                    subject: .district, action: stored.settings == nil ? .added : .changed,
                    value: .district(district.settings), fields: settingsChanges))
        }
        let storedOffices = Dictionary(stored.offices.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let archivedOffices = Set(stored.archivedOffices.map(\.id))
        for office in district.offices {
            let old = storedOffices[office.id]
            let action: SyncChange.Action? =
                old == nil
                ? (archivedOffices.contains(office.id) ? .restored : .added) : (old == office ? nil : .changed)
            guard let action else { continue }
            let previous = old ?? stored.archivedOffices.first { $0.id == office.id }
            changes.append(
                SyncChange(
                    subject: .office(office.id), action: action, value: .office(office),
                    fields: diff(previous.map(fields) ?? [], fields(office))))
        }
        // Offices whose short name changed: it is shown in the events of every body they sit in.
        let renamedOffices = Set(
            changes.filter { $0.action == .changed && $0.fields.contains { $0.field == "short" } }.compactMap {
                if case .office(let id) = $0.subject { return id }
                return nil
            })
        let keptOffices = Set(district.offices.map(\.id))
        for office in stored.offices where !keptOffices.contains(office.id) {
            changes.append(
                SyncChange(subject: .office(office.id), action: .archived, value: .office(office), fields: []))
        }

        let storedBodies = Dictionary(stored.bodies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let archivedBodies = Dictionary(stored.archivedBodies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for body in district.bodies {
            let old = storedBodies[body.id]
            let previous = old ?? archivedBodies[body.id]
            var own = body
            own.series = []
            let fieldChanges = diff(previous.map(fields) ?? [], fields(body))
            let action: SyncChange.Action? =
                old == nil
                ? (archivedBodies[body.id] != nil ? .restored : .added) : (fieldChanges.isEmpty ? nil : .changed)
            if let action {
                changes.append(
                    SyncChange(subject: .body(body.id), action: action, value: .body(own), fields: fieldChanges))
            }
            let oldSeries = Dictionary(
                (old?.series ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let archivedSeries = Dictionary(
                ((old == nil ? previous?.series : stored.archivedSeries[body.id]) ?? []).map { ($0.id, $0) },
                uniquingKeysWith: { a, _ in a })
            // The body's name, kind, legal basis and members appear in every event of its series:
            // when they change, so does what subscribers see of each series.
            let bodyChanged =
                old != nil && (!fieldChanges.isEmpty || body.members.contains { renamedOffices.contains($0.office) })
            for (position, series) in body.series.enumerated() {
                let before = oldSeries[series.id]
                let earlier = before ?? archivedSeries[series.id]
                var seriesChanges = diff(earlier.map(fields) ?? [], fields(series))
                if bodyChanged && before != nil && seriesChanges.isEmpty {
                    seriesChanges = [FieldChange(field: "events", old: "", new: "show the body's changed details")]
                }
                var series = series
                series.effectiveFrom = nil
                if let earlier {
                    series.sequence = earlier.sequence + 1
                    series.updated = time
                    // History: a change of time, place or text holds from the sync's day (or
                    // `effective_from`); the sessions before keep the version they had.
                    (series.earlier, series.versionFrom) = (earlier.earlier, earlier.versionFrom)
                    if let split = versionSplit(earlier, to: body.series[position], at: time.date) {
                        series.earlier.append(SeriesVersion(earlier, until: split))
                        series.versionFrom = split
                        seriesChanges.append(FieldChange(field: "applies from", old: "", new: split.description))
                    }
                }
                let seriesAction: SyncChange.Action? =
                    before == nil
                    ? (archivedSeries[series.id] != nil ? .restored : .added) : (seriesChanges.isEmpty ? nil : .changed)
                guard let seriesAction else { continue }
                changes.append(
                    SyncChange(
                        subject: .series(body: body.id, series: series.id), action: seriesAction,
                        value: .series(body: body.id, series, position: position), fields: seriesChanges))
            }
            let kept = Set(body.series.map(\.id))
            for (position, series) in (old?.series ?? []).enumerated() where !kept.contains(series.id) {
                changes.append(
                    SyncChange(
                        subject: .series(body: body.id, series: series.id), action: .archived,
                        value: .series(body: body.id, series, position: body.series.count + position), fields: []))
            }
        }
        let keptBodies = Set(district.bodies.map(\.id))
        for body in stored.bodies where !keptBodies.contains(body.id) {
            var own = body
            own.series = []
            changes.append(SyncChange(subject: .body(body.id), action: .archived, value: .body(own), fields: []))
        }
        return SyncPlan(changes: changes)
    }

    /// The day from which `new` replaces `old`'s time, place and text while `old` keeps the
    /// sessions before it: `effective_from` or the sync's day, when `old` had sessions before
    /// that day; `nil` when nothing of that kind changed or `old` held no day before it (then
    /// the new version simply replaces it).
    static func versionSplit(_ old: Series, to new: Series, at today: CivilDate) -> CivilDate? {
        guard new.differsInShape(from: old) else { return nil }
        var day = new.effectiveFrom ?? today
        if let from = old.versionFrom, day < from { day = from }
        let first = max(old.start.date, old.versionFrom ?? old.start.date)
        return first < day ? day : nil
    }

    /// The fields whose text differs, in the order of `new`, then those only `old` had (removed).
    static func diff(_ old: [(String, String)], _ new: [(String, String)]) -> [FieldChange] {
        let before = Dictionary(old, uniquingKeysWith: { a, _ in a })
        let after = Set(new.map(\.0))
        var result = new.compactMap { field, value in
            let was = before[field] ?? ""
            return was == value ? nil : FieldChange(field: field, old: was, new: value)
        }
        for (field, value) in old where !after.contains(field) && !value.isEmpty {
            result.append(FieldChange(field: field, old: value, new: ""))
        }
        return result
    }

    static func fields(_ s: DistrictSettings) -> [(String, String)] {
        var result = [
            ("name", s.name), ("uid_domain", s.uidDomain), ("time_zone", s.defaultTimeZone),
            ("plan_until", s.planUntil.description), ("refresh", "\(s.refreshMinutes) min"),
            ("cancelled_sessions", s.cancelledSessions.rawValue),
            ("oparl_attendance", s.publicAttendance ? "true" : "false"),
        ]
        for day in s.closingDays {
            let rule: String
            switch day.rule {
            case .once(let d): rule = d.description
            case .yearly(let m, let d): rule = "every \(pad(m, 2))-\(pad(d, 2))"
            case .easter(let offset): rule = "Easter \(offset >= 0 ? "+" : "")\(offset)"
            }
            result.append(("closing day \(day.name)", rule))
        }
        return result
    }

    static func fields(_ o: Office) -> [(String, String)] {
        [
            ("name", o.name), ("short", o.shortName), ("administration", o.administration.rawValue),
            ("mailbox", o.mailbox ?? ""),
        ]
    }

    static func fields(_ b: Body) -> [(String, String)] {
        var result = [
            ("name", b.name), ("kind", b.kind.rawValue), ("legal_basis", b.legalBasis.joined(separator: "; ")),
            ("agreements", b.agreements.joined(separator: "; ")), ("chair", b.chair),
            ("valid_from", b.validFrom?.description ?? ""), ("valid_until", b.validUntil?.description ?? ""),
            ("quorum", b.quorum?.rawValue ?? ""), ("invitation_days", b.invitationDays.map(String.init) ?? ""),
            ("public", b.isPublic ? "true" : "false"),
        ]
        for m in b.members {
            let levels = m.levels.map(\.rawValue).joined(separator: ",")
            var text = "\(m.role.rawValue) [\(levels)]"
            if m.validFrom != nil || m.validUntil != nil {
                text += " \(m.validFrom?.description ?? "")..\(m.validUntil?.description ?? "")"
            }
            result.append(("member \(m.office)", text))
        }
        return result
    }

    static func fields(_ s: Series) -> [(String, String)] {
        var result = [
            ("title", s.title ?? ""), ("start", s.start.description), ("duration", String(s.durationMinutes)),
            ("time_zone", s.timeZone), ("rrule", s.rule?.description ?? ""), ("location", s.location ?? ""),
            ("kind", s.kind.rawValue), ("holidays", s.holidayPolicy.rawValue),
            ("agenda", s.agenda.joined(separator: " | ")),
        ]
        for (i, e) in s.exceptions.enumerated() {
            switch e {
            case .cancel(let date, let reason): result.append(("exception \(i + 1)", "cancel \(date): \(reason)"))
            case .move(let m):
                result.append(
                    ("exception \(i + 1)", "move \(m.date) to \(m.to) \(m.location ?? "") \(m.reason ?? "")"))
            case .add(let a): result.append(("exception \(i + 1)", "add \(a.start) \(a.id) \(a.title ?? "")"))
            case .reinstate(let date, let reason):
                result.append(("exception \(i + 1)", "reinstate \(date): \(reason)"))
            case .remove(let id, let reason): result.append(("exception \(i + 1)", "remove \(id): \(reason)"))
            }
        }
        return result
    }
}
