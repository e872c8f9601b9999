import Coordination

extension ZoneRules {
    /// The rules a VTIMEZONE states (RFC 5545 3.6.5): every STANDARD and DAYLIGHT onset, from
    /// DTSTART, RRULE and RDATE, up to the year 2500.
    public init(vtimezone: ICalComponent) throws(ICalendarError) {
        guard let tzid = vtimezone.property("TZID")?.value else {
            throw .cannotBuild(property: "VTIMEZONE", reason: "it has no TZID")
        }
        var transitions: [Transition] = []
        var earliest: (utc: Int64, offset: Int, name: String)?
        for observance in vtimezone.components where ["STANDARD", "DAYLIGHT"].contains(observance.name.uppercased()) {
            guard let fromText = observance.property("TZOFFSETFROM")?.value, let from = parseUTCOffset(fromText),
                let toText = observance.property("TZOFFSETTO")?.value, let to = parseUTCOffset(toText),
                let startText = observance.property("DTSTART")?.value,
                case .dateTime(let start, _) = ICalDateText.parse(startText)
            else {
                throw .cannotBuild(
                    property: "VTIMEZONE \(tzid)", reason: "an observance lacks TZOFFSETFROM, TZOFFSETTO or DTSTART")
            }
            var rules: [RecurrenceRule] = []
            for p in observance.properties(named: "RRULE") {
                guard var rule = try? RecurrenceRule(parsing: p.value) else {
                    throw .cannotBuild(property: "VTIMEZONE \(tzid)", reason: "bad RRULE \(p.value)")
                }
                // UNTIL is UTC; onsets are wall-clock times in TZOFFSETFROM.
                if case .utc(let u) = rule.until {
                    rule.until = .floating(LocalDateTime(localSeconds: u.localSeconds + Int64(from)))
                }
                rules.append(rule)
            }
            var rdates: [RecurrenceSet.DateValue] = []
            for p in observance.properties(named: "RDATE") {
                for item in p.value.split(separator: ",") {
                    if case .dateTime(let t, _) = ICalDateText.parse(String(item)) {
                        rdates.append(.local(t, zone: nil))
                    }
                }
            }
            let set = RecurrenceSet(start: .dateTime(start), rules: rules, recurrenceDates: rdates)
            let name = observance.property("TZNAME")?.value ?? ""
            let isDaylight = observance.name.uppercased() == "DAYLIGHT"
            let onsets = set.expand(to: LocalDateTime(year: 2500, month: 1, day: 1), limit: 2000)
            for onset in onsets.occurrences {
                let utc = onset.utc - Int64(from)
                transitions.append(
                    Transition(utc: utc, before: from, after: to, abbreviation: name, isDaylight: isDaylight))
                if earliest == nil || utc < earliest?.utc ?? 0 { earliest = (utc, from, name) }
            }
        }
        transitions.sort { $0.utc < $1.utc }
        self.init(
            identifier: tzid, initialOffset: earliest?.offset ?? 0, initialAbbreviation: earliest?.name ?? "",
            transitions: transitions, tail: nil)
    }

    /// A VTIMEZONE for these rules, as calendar clients expect it: `TZID:Europe/Berlin` (no
    /// libical prefix), the current rule as yearly RRULEs, and earlier changes since
    /// `sinceYear` as single observances.
    public func vtimezone(sinceYear: Int = 1970) -> ICalComponent {
        var zone = ICalComponent(name: "VTIMEZONE", properties: [ICalProperty(name: "TZID", value: identifier)])
        let sinceUTC = Int64(CivilDate.dayNumber(year: sinceYear, month: 1, day: 1)) * 86_400
        var ruleStartYear = Int.max
        if let tail, let dst = tail.daylight, let start = yearlyRule(dst.start, time: dst.startTime),
            let end = yearlyRule(dst.end, time: dst.endTime)
        {
            // The earliest year from which every listed transition follows the tail rule.
            var year = ZoneRules.tableEndYear
            let byUTC = Dictionary(transitions.map { ($0.utc, $0) }, uniquingKeysWith: { a, _ in a })
            while year > sinceYear {
                let expected = tail.transitions(inYear: year - 1)
                if expected.count == 2, expected.allSatisfy({ byUTC[$0.utc]?.after == $0.after }) {
                    year -= 1
                } else {
                    break
                }
            }
            ruleStartYear = year
            let on = tail.transitions(inYear: year).first { $0.isDaylight }
            let off = tail.transitions(inYear: year).first { !$0.isDaylight }
            if let on, let off {
                zone.components.append(observance(on, rrule: start))
                zone.components.append(observance(off, rrule: end))
            }
        }
        let firstRuleUTC =
            Int64(CivilDate.dayNumber(year: ruleStartYear == Int.max ? 9999 : ruleStartYear, month: 1, day: 1)) * 86_400
        var single = transitions.filter { $0.utc >= sinceUTC && $0.utc < firstRuleUTC }
        if zone.components.isEmpty && single.isEmpty {
            let last = transitions.last { $0.utc < sinceUTC }
            let offset = last?.after ?? initialOffset
            single = [
                Transition(
                    utc: sinceUTC, before: offset, after: offset,
                    abbreviation: last?.abbreviation ?? initialAbbreviation, isDaylight: false)
            ]
        }
        zone.components.insert(contentsOf: single.map { observance($0, rrule: nil) }, at: 0)
        return zone
    }

    private func observance(_ t: Transition, rrule: String?) -> ICalComponent {
        var c = ICalComponent(name: t.isDaylight ? "DAYLIGHT" : "STANDARD")
        c.properties.append(ICalProperty(name: "TZOFFSETFROM", value: formatOffset(t.before, separator: "")))
        c.properties.append(ICalProperty(name: "TZOFFSETTO", value: formatOffset(t.after, separator: "")))
        if !t.abbreviation.isEmpty { c.properties.append(ICalProperty(name: "TZNAME", value: t.abbreviation)) }
        c.properties.append(
            ICalProperty(name: "DTSTART", value: LocalDateTime(localSeconds: t.utc + Int64(t.before)).basicFormat))
        if let rrule { c.properties.append(ICalProperty(name: "RRULE", value: rrule)) }
        return c
    }

    private func yearlyRule(_ rule: PosixZoneRule.DateRule, time: Int) -> String? {
        guard case .monthWeekDay(let month, let week, let weekday) = rule, time >= 0, time < 86_400 else { return nil }
        let day = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"][weekday]
        return "FREQ=YEARLY;BYMONTH=\(month);BYDAY=\(week == 5 ? -1 : week)\(day)"
    }
}

/// Reads `+0100`, `-0530`, `+005328` (RFC 5545 3.3.14) as seconds east of UTC.
func parseUTCOffset(_ text: String) -> Int? {
    let b = Array(text.utf8)
    guard b.count == 5 || b.count == 7, b[0] == UInt8(ascii: "+") || b[0] == UInt8(ascii: "-") else { return nil }
    var fields: [Int] = []
    var i = 1
    while i + 1 < b.count {
        guard (48...57).contains(b[i]), (48...57).contains(b[i + 1]) else { return nil }
        fields.append(Int(b[i] - 48) * 10 + Int(b[i + 1] - 48))
        i += 2
    }
    let seconds = fields[0] * 3600 + fields[1] * 60 + (fields.count > 2 ? fields[2] : 0)
    return b[0] == UInt8(ascii: "-") ? -seconds : seconds
}
