import Coordination

extension CalendarFile {
    /// Parses iCalendar text (libical) and reads every VEVENT: DTSTART with its zone (the
    /// file's VTIMEZONE first, then the system's IANA zones), RRULE (validated by
    /// `RecurrenceRule`), RDATE, EXDATE, RECURRENCE-ID, DTEND or DURATION.
    ///
    /// An event that cannot be expanded is left out and reported with its line; the others are kept.
    /// - Parameter systemZones: the zone of a TZID the file has no VTIMEZONE for (the caller
    ///   passes the system's zoneinfo, `SystemTimeZones.lookupTZID` in `Platform`).
    public init(text: String, systemZones: @escaping @Sendable (String) -> ZoneRules?) throws(ICalendarError) {
        let parsed = try ICalParser.parse(text, selection: .expansion)
        let fileZones = EventReader.fileZones(in: parsed.calendars)
        let components = parsed.calendars.flatMap { $0.components.filter { $0.name == "VEVENT" } }
        // Runs of events are read on every core, each worker with one reader for all its runs
        // (its cache of zones: a VTIMEZONE is turned into rules once per worker, not once per
        // run); the problems get their lines afterwards, in the order of the events.
        let run = 64
        let runs = (components.count + run - 1) / run
        let results = ParallelResults<(events: [CalendarEvent], problems: [EventReader.Problem]), Never>(count: runs)
        results.run(runs, state: { EventReader(fileZones: fileZones, systemZones: systemZones) }) {
            part, reader in
            var events: [CalendarEvent] = []
            for c in components[part * run..<min(components.count, part * run + run)] {
                if let event = reader.event(c) { events.append(event) }
            }
            let problems = reader.problems
            reader.problems = []
            return (events, problems)
        }
        let parts = results.values()
        var lines = LineIndex(text: text)
        var diagnostics = parsed.diagnostics
        for part in parts {
            for p in part.problems {
                diagnostics.append(
                    ICalDiagnostic(
                        line: lines.line(property: p.property, value: p.value, inEventWithUID: p.uid),
                        property: p.property, message: p.message, severity: p.severity))
            }
        }
        self.init(events: parts.flatMap(\.events), diagnostics: diagnostics)
    }
}

/// Turns VEVENT components into `CalendarEvent` values, noting the problems it meets.
private struct EventReader {
    /// A problem of an event, found a line for afterwards (`LineIndex.line`).
    struct Problem: Sendable {
        var uid: String?
        var property: String
        var message: String
        var value: String
        var severity: ICalDiagnostic.Severity
    }

    var problems: [Problem] = []
    private let fileZones: [String: ICalComponent]
    private var zones: [String: ZoneRules] = [:]
    private var failedZones: Set<String> = []
    private let systemZones: (String) -> ZoneRules?

    init(fileZones: [String: ICalComponent], systemZones: @escaping (String) -> ZoneRules?) {
        self.fileZones = fileZones
        self.systemZones = systemZones
    }

    /// The VTIMEZONEs of the calendars, by TZID.
    static func fileZones(in calendars: [ICalComponent]) -> [String: ICalComponent] {
        var found: [String: ICalComponent] = [:]
        for calendar in calendars {
            for tz in calendar.components(named: "VTIMEZONE") {
                if let id = tz.property("TZID")?.value { found[id] = tz }
            }
        }
        return found
    }

    mutating func event(_ c: ICalComponent) -> CalendarEvent? {
        let uid = c.property("UID")?.value ?? ""
        guard let startProperty = c.property("DTSTART") else {
            report(c, "DTSTART", "the event \(uid.isEmpty ? "without UID" : uid) has no DTSTART; it is left out")
            return nil
        }
        guard let (start, zone) = dateTime(startProperty, in: c) else { return nil }
        var set = RecurrenceSet(start: start, zone: zone)
        for p in c.properties(named: "RRULE") {
            do {
                set.rules.append(try RecurrenceRule(parsing: p.value))
            } catch {
                report(c, "RRULE", "\(error.description); the event \(uid) is left out", value: p.value)
                return nil
            }
        }
        do { try set.validate() } catch {
            report(c, "RRULE", "\(error.description); the event \(uid) is left out")
            return nil
        }
        for p in c.properties(named: "RDATE") { set.recurrenceDates += values(p, in: c) }
        for p in c.properties(named: "EXDATE") { set.exceptionDates += values(p, in: c) }
        var recurrenceID: Int64?
        if let rid = c.property("RECURRENCE-ID") {
            guard let (ridStart, ridZone) = dateTime(rid, in: c) else { return nil }
            let local = ridStart.local.localSeconds
            recurrenceID = ridZone?.utc(forLocal: local) ?? local
        }
        let startKey = zone?.utc(forLocal: start.local.localSeconds) ?? start.local.localSeconds
        var duration: Int64 = start.isDate ? 86_400 : 0
        if let end = c.property("DTEND"), let (endStart, endZone) = dateTime(end, in: c) {
            let endKey = (endZone ?? zone)?.utc(forLocal: endStart.local.localSeconds) ?? endStart.local.localSeconds
            duration = endKey - startKey
            if duration < 0 {
                report(
                    c, "DTEND", "DTEND lies before DTSTART in event \(uid); the length is taken as 0",
                    severity: .warning)
                duration = 0
            }
        } else if let d = c.property("DURATION") {
            if let seconds = parseDuration(d.value) {
                duration = seconds
            } else {
                report(c, "DURATION", "'\(d.value)' is not an RFC 5545 duration (PT1H30M, P1D, P1W)", value: d.value)
            }
        }
        return CalendarEvent(
            uid: uid, recurrenceID: recurrenceID, recurrence: set, duration: duration,
            summary: c.property("SUMMARY")?.value, location: c.property("LOCATION")?.value,
            status: c.property("STATUS")?.value,
            sequence: Int(c.property("SEQUENCE")?.value ?? "") ?? 0)
    }

    /// DTSTART-like value: a DATE, a floating or UTC DATE-TIME, or one with TZID.
    private mutating func dateTime(_ p: ICalProperty, in c: ICalComponent) -> (RecurrenceSet.Start, ZoneRules?)? {
        guard let parsed = ICalDateText.parse(p.value) else {
            report(c, p.name, "'\(p.value)' is not a DATE or DATE-TIME", value: p.value)
            return nil
        }
        switch parsed {
        case .date(let d): return (.date(d), nil)
        case .dateTime(let t, let isUTC):
            if isUTC { return (.dateTime(t), .utc) }
            guard let tzid = p.parameter("TZID") else { return (.dateTime(t), nil) }
            guard let zone = zone(tzid) else {
                report(c, p.name, ICalendarError.unknownTimeZone(tzid).description, value: p.value)
                return nil
            }
            return (.dateTime(t), zone)
        }
    }

    /// The values of an RDATE or EXDATE (comma lists; a PERIOD counts by its start).
    private mutating func values(_ p: ICalProperty, in c: ICalComponent) -> [RecurrenceSet.DateValue] {
        var own: ZoneRules?
        if let tzid = p.parameter("TZID") {
            guard let z = zone(tzid) else {
                report(c, p.name, ICalendarError.unknownTimeZone(tzid).description, value: p.value)
                return []
            }
            own = z
        }
        var result: [RecurrenceSet.DateValue] = []
        for item in p.value.pieces(at: ",") {
            let text = item.prefix { $0 != "/" }
            switch ICalDateText.parse(text) {
            case .date(let d): result.append(.date(d))
            case .dateTime(let t, true): result.append(.utc(t))
            case .dateTime(let t, false): result.append(.local(t, zone: own))
            case nil: report(c, p.name, "'\(text)' is not a DATE or DATE-TIME", value: p.value)
            }
        }
        return result
    }

    private mutating func zone(_ tzid: String) -> ZoneRules? {
        if let known = zones[tzid] { return known }
        if failedZones.contains(tzid) { return nil }
        var rules: ZoneRules?
        if let component = fileZones[tzid] {
            rules = try? ZoneRules(vtimezone: component)
        }
        if rules == nil { rules = systemZones(tzid) }
        if let rules { zones[tzid] = rules } else { failedZones.insert(tzid) }
        return rules
    }

    private mutating func report(
        _ c: ICalComponent, _ property: String, _ message: String, value: String? = nil,
        severity: ICalDiagnostic.Severity = .error
    ) {
        problems.append(
            Problem(
                uid: c.property("UID")?.value, property: property, message: message, value: value ?? "",
                severity: severity))
    }
}

/// Seconds of an RFC 5545 duration (3.3.6): `P1W`, `P1DT2H`, `-PT15M`.
func parseDuration(_ text: String) -> Int64? {
    var s = Substring(text)
    var sign: Int64 = 1
    if s.hasPrefix("-") {
        sign = -1
        s = s.dropFirst()
    } else if s.hasPrefix("+") {
        s = s.dropFirst()
    }
    guard s.hasPrefix("P"), s.count > 1 else { return nil }
    s = s.dropFirst()
    var total: Int64 = 0
    var number: Int64?
    var inTime = false
    for ch in s {
        if let d = ch.wholeNumberValue {
            number = (number ?? 0) * 10 + Int64(d)
            continue
        }
        if ch == "T" {
            guard !inTime, number == nil else { return nil }
            inTime = true
            continue
        }
        guard let n = number else { return nil }
        switch (ch, inTime) {
        case ("W", false): total += n * 604_800
        case ("D", false): total += n * 86_400
        case ("H", true): total += n * 3600
        case ("M", true): total += n * 60
        case ("S", true): total += n
        default: return nil
        }
        number = nil
    }
    return number == nil ? sign * total : nil
}
