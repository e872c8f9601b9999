import Coordination

/// Reads one entry of a body's `series:` list with its exceptions.
struct SeriesReader {
    static let seriesFields = [
        "id", "title", "start", "duration", "time_zone", "rrule", "location", "kind", "holidays", "updated", "sequence",
        "exceptions", "agenda", "effective_from",
    ]
    static let cancelFields = ["cancel", "reason"]
    static let moveFields = ["move", "to", "duration", "location", "reason"]
    static let addFields = ["add", "id", "duration", "location", "title", "kind"]

    let sink: FileDiagnostics
    let zone: (String) -> ZoneRules?
    let defaultTimeZone: String

    /// The series and the line of its id.
    func read(_ node: YAMLNode, path: String, bodyValidFrom: CivilDate?, bodyValidUntil: CivilDate?) -> (Series, Int)? {
        guard let f = Fields(node, path: path, sink: sink, allowed: Self.seriesFields) else { return nil }
        let id = f.string("id", required: true)
        if let id, !isIdentifier(id) {
            sink.error(f.lineOf("id"), f.field("id"), "'\(id)' is not an id; use lower-case letters, digits and '-'")
        }
        let start = f.dateTime("start", required: true)
        let duration = f.integer("duration", required: true, range: Series.durations)
        let timeZone = f.string("time_zone") ?? defaultTimeZone
        let rules = zone(timeZone)
        if rules == nil {
            sink.error(
                f.lineOf("time_zone"), f.field("time_zone"),
                "unknown time zone '\(timeZone)'; use an IANA name such as Europe/Berlin")
        }
        let kind = f.choice("kind", Series.MeetingKind.self, required: true)
        let policy = f.choice("holidays", Series.HolidayPolicy.self) ?? .skip
        let updated = f.utcInstant("updated", required: true)
        let sequence = f.integer("sequence", range: 0...1_000_000) ?? 0
        var rule: RecurrenceRule?
        if let text = f.string("rrule") {
            do {
                let parsed = try RecurrenceRule(parsing: text)
                if let start {
                    let offset = rules?.offset(forLocal: start.localSeconds) ?? 0
                    try parsed.validate(start: start, utcOffsetOfStart: offset)
                }
                if let problem = Series.ruleProblem(parsed) {
                    sink.error(f.lineOf("rrule"), f.field("rrule"), problem)
                } else {
                    rule = parsed
                }
            } catch {
                sink.error(f.lineOf("rrule"), f.field("rrule"), error.description)
            }
        }
        if let start, let bodyValidFrom, start.date < bodyValidFrom {
            sink.error(
                f.lineOf("start"), f.field("start"),
                "\(start.date) is before the body exists (valid_from \(bodyValidFrom))")
        }
        if let start, let bodyValidUntil, start.date > bodyValidUntil {
            sink.error(
                f.lineOf("start"), f.field("start"),
                "\(start.date) is after the body ends (valid_until \(bodyValidUntil))")
        }
        var exceptions: [SeriesException] = []
        var touched: [CivilDate: Int] = [:]
        for (item, itemPath) in f.list("exceptions") {
            guard let (exception, line) = readException(item, path: itemPath, seriesID: id ?? "series") else {
                continue
            }
            let date: CivilDate?
            switch exception {
            case .cancel(let d, _), .reinstate(let d, _): date = d
            case .move(let m): date = m.date
            case .add, .remove: date = nil
            }
            if let date {
                if let first = touched[date] {
                    sink.error(line, itemPath, "\(date) is already cancelled or moved on line \(first)")
                    continue
                }
                touched[date] = line
                // Only against a rule that could be read: a bad RRULE is reported once, above.
                let ruleKnown = rule != nil || !f.has("rrule")
                if ruleKnown, let start, let zoneRules = rules,
                    !isInstance(date, start: start, rule: rule, zone: zoneRules)
                {
                    sink.error(
                        line, itemPath,
                        "\(date) is not a date of this series (start \(start), rrule \(rule?.description ?? "none"))")
                    continue
                }
            }
            exceptions.append(exception)
        }
        guard let id, isIdentifier(id), let start, let duration, let kind, let updated, rules != nil else { return nil }
        if f.has("rrule") && rule == nil { return nil }
        var series = Series(
            id: id, title: f.string("title"), start: start, durationMinutes: duration, timeZone: timeZone, rule: rule,
            location: f.string("location"), kind: kind, holidayPolicy: policy, exceptions: exceptions, updated: updated,
            sequence: sequence, agenda: f.strings("agenda"))
        // A change of the series (time, place, text) holds from this day on; earlier sessions keep theirs.
        series.effectiveFrom = f.date("effective_from")
        return (series, f.lineOf("id"))
    }

    private func readException(_ node: YAMLNode, path: String, seriesID: String) -> (SeriesException, Int)? {
        guard case .mapping(let mapping) = node.value else {
            sink.error(node.line, path, "expected a mapping starting with cancel:, move: or add:")
            return nil
        }
        let keys = Set(mapping.compactMap(\.key.string))
        let kinds = ["cancel", "move", "add"].filter { keys.contains($0) }
        let line = node.line
        guard kinds.count == 1 else {
            sink.error(line, path, "give exactly one of cancel: DATE, move: DATE or add: DATETIME")
            return nil
        }
        switch kinds[0] {
        case "cancel":
            guard let f = Fields(node, path: path, sink: sink, allowed: Self.cancelFields) else { return nil }
            let date = f.date("cancel")
            let reason = f.string("reason", required: true)
            guard let date, let reason else { return nil }
            return (.cancel(date: date, reason: reason), f.lineOf("cancel"))
        case "move":
            guard let f = Fields(node, path: path, sink: sink, allowed: Self.moveFields) else { return nil }
            let date = f.date("move")
            let to = f.dateTime("to", required: true)
            let duration = f.integer("duration", range: Series.durations)
            guard let date, let to else { return nil }
            let move = SeriesException.Move(
                date: date, to: to, durationMinutes: duration, location: f.string("location"),
                reason: f.string("reason"))
            return (.move(move), f.lineOf("move"))
        default:
            guard let f = Fields(node, path: path, sink: sink, allowed: Self.addFields) else { return nil }
            let start = f.dateTime("add")
            let id = f.string("id")
            if let id, !isIdentifier(id) {
                sink.error(
                    f.lineOf("id"), f.field("id"), "'\(id)' is not an id; use lower-case letters, digits and '-'")
                return nil
            }
            let duration = f.integer("duration", range: Series.durations)
            let kind = f.choice("kind", Series.MeetingKind.self)
            guard let start else { return nil }
            let addition = SeriesException.Addition(
                id: id ?? "extra-\(start.basicFormat.lowercased())", start: start, durationMinutes: duration,
                location: f.string("location"), title: f.string("title"), kind: kind)
            return (.add(addition), f.lineOf("add"))
        }
    }

    /// Whether the series has a session on `date` according to its rule.
    private func isInstance(_ date: CivilDate, start: LocalDateTime, rule: RecurrenceRule?, zone: ZoneRules) -> Bool {
        guard let rule else { return date == start.date }
        let set = RecurrenceSet(start: .dateTime(start), zone: zone, rules: [rule])
        let from = LocalDateTime(date: date)
        let to = LocalDateTime(date: CivilDate(dayNumber: date.dayNumber + 1))
        return set.expand(from: from, to: to, limit: 10).occurrences.contains { $0.nominal.date == date }
    }
}
