extension RecurrenceSet {
    /// The instances whose start lies in the half-open window [`from`, `to`), at most `limit`.
    ///
    /// `from` and `to` are wall-clock times in the zone of DTSTART (open when `nil`). RRULE
    /// instances (COUNT counted from DTSTART, UNTIL inclusive) and RDATEs are merged in time
    /// order; an instant listed twice counts once; EXDATEs remove instances by instant (by day
    /// for a DATE EXDATE). A wall time in a spring-forward gap is read with the offset before
    /// the gap, for that instance only; an ambiguous time takes its first occurrence.
    public func expand(from: LocalDateTime? = nil, to: LocalDateTime? = nil, limit: Int = 1000) -> Expansion {
        let isDate = start.isDate
        let zone = isDate ? nil : self.zone
        let fromKey = from.map { key(local: $0.localSeconds, zone: zone) } ?? Int64.min
        let toKey = to.map { key(local: $0.localSeconds, zone: zone) } ?? Int64.max
        // Wall-clock order and instant order differ by at most the largest gap.
        let slack = Int64(zone?.largestGap ?? 0)
        let excluded = exclusions(zone: zone)
        // Unwrapped once: reading through the optional copied the whole rule table (200 bytes)
        // twice per instance.
        let zoneRules = zone ?? .utc
        let isZoned = zone != nil
        var found: [Occurrence] = []
        let wanted = limit + 1
        found.reserveCapacity(estimate(from: from, to: to, limit: wanted))

        for rule in rules {
            var cursor = RuleCursor(rule: rule, start: start.local)
            if rule.count == nil, let from {
                cursor.skip(toLocal: from.localSeconds - slack - 86_400)
            }
            let untilKey = rule.until.map { untilBound($0, zone: zone) }
            let toLocalBound = to.map { $0.localSeconds + slack } ?? Int64.max
            var produced = 0
            var inWindow = 0
            var hint = -1
            while let local = cursor.next() {
                produced += 1
                if let count = rule.count, produced > count { break }
                let (utc, offset) = isZoned ? zoneRules.resolve(local: local, hint: &hint) : (local, 0)
                if let untilKey, untilKey.isBeyond(local: local, utc: utc) { break }
                if local >= toLocalBound && utc >= toKey { break }
                guard utc >= fromKey, utc < toKey else { continue }
                if excluded.contains(utc: utc, local: local) { continue }
                found.append(Occurrence(utc: utc, offset: offset, nominalSeconds: local, isDate: isDate))
                inWindow += 1
                // Past the limit, keep going only as far as wall-clock order may still disagree.
                if inWindow >= wanted && slack == 0 { break }
                if inWindow >= wanted + 8 { break }
            }
        }
        // Without a rule, DTSTART itself is the first instance (RFC 5545 3.8.5.3).
        let dates = rules.isEmpty ? [DateValue.local(start.local, zone: nil)] + recurrenceDates : recurrenceDates
        for value in dates {
            let (local, utc, offset) = resolve(value, zone: zone)
            guard utc >= fromKey, utc < toKey, !excluded.contains(utc: utc, local: local) else { continue }
            found.append(Occurrence(utc: utc, offset: offset, nominalSeconds: local, isDate: isDate))
        }
        if (rules.count + dates.count > 1 || slack > 0) && !Self.isStrictlyAscending(found) {
            found.sort()
            var unique: [Occurrence] = []
            unique.reserveCapacity(found.count)
            for o in found where unique.last?.utc != o.utc { unique.append(o) }
            found = unique
        }
        let cutOff = found.count > limit
        if cutOff { found.removeLast(found.count - limit) }
        return Expansion(occurrences: found, cutOff: cutOff)
    }

    /// Whether instants rise strictly (the usual case: then no sort and no de-duplication).
    private static func isStrictlyAscending(_ list: [Occurrence]) -> Bool {
        var previous = Int64.min
        for o in list {
            if o.utc <= previous { return false }
            previous = o.utc
        }
        return true
    }

    /// A rough instance count for the window, to size the result once.
    private func estimate(from: LocalDateTime?, to: LocalDateTime?, limit: Int) -> Int {
        guard let to else { return min(limit, 64) }
        let begin = max(from?.localSeconds ?? start.local.localSeconds, start.local.localSeconds)
        let span = max(0, to.localSeconds - begin)
        var total = recurrenceDates.count
        for rule in rules {
            let period: Int64
            switch rule.frequency {
            case .yearly: period = 31_536_000
            case .monthly: period = 2_592_000
            case .weekly: period = 604_800
            case .daily: period = 86_400
            case .hourly: period = 3600
            case .minutely: period = 60
            case .secondly: period = 1
            }
            let perPeriod = rule.frequency == .weekly ? max(1, rule.byDay.count) : 1
            total += Int(min(Int64(limit), span / (period * Int64(rule.interval)) + 2)) * perPeriod
        }
        // A reservation, not a bound: the array grows beyond it when it must.
        return min(limit, total, 1 << 16)
    }

    @inline(__always)
    private func resolve(_ local: Int64, zone: ZoneRules?) -> (Int64, Int) {
        guard let zone else { return (local, 0) }
        return zone.resolve(local: local)
    }

    private func key(local: Int64, zone: ZoneRules?) -> Int64 {
        zone?.utc(forLocal: local) ?? local
    }

    /// An RDATE as (nominal wall clock in DTSTART's zone, instant, offset).
    private func resolve(_ value: DateValue, zone: ZoneRules?) -> (Int64, Int64, Int) {
        switch value {
        case .date(let d):
            let local = Int64(d.dayNumber) * 86_400 + (start.isDate ? 0 : Int64(start.local.secondOfDay))
            let (utc, offset) = resolve(local, zone: zone)
            return (local, utc, offset)
        case .local(let t, nil):
            // In DTSTART's zone (or floating): read like a rule instance.
            let (utc, offset) = resolve(t.localSeconds, zone: zone)
            return (t.localSeconds, utc, offset)
        case .local(let t, let own?):
            return wallClock(utc: own.utc(forLocal: t.localSeconds), zone: zone)
        case .utc(let t):
            return wallClock(utc: t.localSeconds, zone: zone)
        }
    }

    /// An instant seen on the wall clock of DTSTART's zone.
    private func wallClock(utc: Int64, zone: ZoneRules?) -> (Int64, Int64, Int) {
        guard let zone else { return (utc, utc, 0) }
        let offset = zone.offset(atUTC: utc)
        return (utc + Int64(offset), utc, offset)
    }

    private func exclusions(zone: ZoneRules?) -> Exclusions {
        var result = Exclusions()
        for value in exceptionDates {
            switch value {
            case .date(let d):
                if start.isDate {
                    result.instants.append(Int64(d.dayNumber) * 86_400)
                } else {
                    result.days.append(d.dayNumber)
                }
            case .local(let t, let own):
                result.instants.append(key(local: t.localSeconds, zone: own ?? zone))
            case .utc(let t):
                result.instants.append(t.localSeconds)
            }
        }
        return result
    }

    private func untilBound(_ until: RecurrenceRule.Until, zone: ZoneRules?) -> UntilBound {
        switch until {
        case .date(let d): return .local(Int64(d.dayNumber + 1) * 86_400 - 1)
        case .floating(let t): return .local(t.localSeconds)
        case .utc(let t): return zone == nil ? .local(t.localSeconds) : .utc(t.localSeconds)
        }
    }
}

/// EXDATEs as instants and, for DATE values on timed events, whole days. A handful of
/// EXDATEs is the rule, so a short array beats hashing.
private struct Exclusions {
    var instants: [Int64] = []
    var days: [Int] = []

    @inline(__always)
    func contains(utc: Int64, local: Int64) -> Bool {
        if instants.isEmpty && days.isEmpty { return false }
        for i in instants where i == utc { return true }
        if days.isEmpty { return false }
        let day = floorDiv(Int(local), 86_400)
        return days.contains(day)
    }
}

/// The inclusive UNTIL bound, on the wall clock or as an instant.
private enum UntilBound {
    case local(Int64)
    case utc(Int64)

    @inline(__always)
    func isBeyond(local: Int64, utc: Int64) -> Bool {
        switch self {
        case .local(let bound): return local > bound
        case .utc(let bound): return utc > bound
        }
    }
}
