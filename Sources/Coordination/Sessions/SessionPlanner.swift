/// Turns series into sessions: expands each rule, applies the holiday policy and the planned
/// exceptions, and stops at the body's end and the district's planning horizon.
///
/// Pure: zones are given as values, and there is no clock.
public struct SessionPlanner: Sendable {
    public enum PlanningError: Error, Sendable, Hashable, CustomStringConvertible {
        case unknownTimeZone(body: String, series: String, timeZone: String)

        public var description: String {
            switch self {
            case .unknownTimeZone(let body, let series, let zone):
                return "body \(body), series \(series): unknown time zone '\(zone)'"
            }
        }
    }

    public let district: District
    private let zones: [String: ZoneRules]
    let holidays: HolidayCalendar

    /// Days a holiday may push a session by, and so how far beyond a window the rule is expanded.
    static let shiftMargin: Int64 = 21 * 86_400

    /// - Parameter zone: the rules of a TZID, or `nil` when the zone is unknown.
    public init(district: District, zone: (String) -> ZoneRules?) throws(PlanningError) {
        self.district = district
        var zones: [String: ZoneRules] = [:]
        for body in district.bodies {
            for series in body.series {
                for tz in [series.timeZone] + series.earlier.map(\.timeZone) where zones[tz] == nil {
                    guard let rules = zone(tz) else {
                        throw .unknownTimeZone(body: body.id, series: series.id, timeZone: tz)
                    }
                    zones[tz] = rules
                }
            }
        }
        self.zones = zones
        var holidays = district.holidays
        let firstYear = district.bodies.flatMap(\.series).map(\.start.date.year).min() ?? district.planUntil.year
        holidays.prepare(years: min(firstYear, district.planUntil.year) - 1...district.planUntil.year + 1)
        self.holidays = holidays
    }

    /// The zone rules of a series' TZID (known for every series of the district).
    public func zone(of series: Series) -> ZoneRules { zones[series.timeZone] ?? .utc }

    /// The zone rules of a TZID used by a series of the district, if any series uses it.
    public func zone(ofTimeZone identifier: String) -> ZoneRules? { zones[identifier] }

    /// The last instant (exclusive, UTC) at which a session of the body may start: the end of the
    /// body's last day or of the planning horizon, whichever is earlier.
    public func endOfPlanning(_ body: Body, _ series: Series) -> Int64 {
        var last = district.planUntil
        if let until = body.validUntil, until < last { last = until }
        if let until = series.versionUntil, until.dayNumber - 1 < last.dayNumber {
            last = CivilDate(dayNumber: until.dayNumber - 1)
        }
        let local = LocalDateTime(date: CivilDate(dayNumber: last.dayNumber + 1))
        return zone(of: series).utc(forLocal: local.localSeconds)
    }

    /// All sessions of all bodies starting in `[from, to)` (UTC seconds), in order of start.
    public func sessions(from: Int64, to: Int64, bodies: Set<String>? = nil) -> [Session] {
        // Bodies plan independently: runs of them on every core, joined into a list of the exact
        // size (grown by doubling it would hold up to twice the room of ten years of sessions).
        let chosen = district.bodies.filter { bodies?.contains($0.id) ?? true }
        let run = 16
        let parts = ParallelResults<[Session], Never>.map((chosen.count + run - 1) / run) { part in
            chosen[part * run..<min(chosen.count, part * run + run)].flatMap { body in
                body.series.flatMap { sessions(of: body, series: $0, from: from, to: to) }
            }
        }
        var result: [Session] = []
        result.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { result += part }
        result.sort { ($0.start.utc, $0.uid) < ($1.start.utc, $1.uid) }
        return result
    }

    /// The sessions of one series starting in `[from, to)`; a cancelled session counts at the
    /// start it would have had. With `deviationsOnly`, only the sessions that differ from the
    /// rule (cancelled, moved, extra): what a feed has to state besides the RRULE; a moved one
    /// then counts at its planned start, wherever it was moved to (a feed must state the move
    /// of every instance its RRULE holds, or clients show the old date).
    public func sessions(of body: Body, series: Series, from: Int64, to: Int64, deviationsOnly: Bool = false)
        -> [Session]
    {
        if !series.earlier.isEmpty {
            return versions(of: series).flatMap {
                sessions(of: body, series: $0, from: from, to: to, deviationsOnly: deviationsOnly)
            }
        }
        let zone = zone(of: series)
        // Instances of the rule stop at the plan's end; a moved session may land after it.
        let planEnd = endOfPlanning(body, series)
        let end = min(to, planEnd)
        // After the plan's end only sessions moved there can start.
        let movedThere = !deviationsOnly && series.exceptions.contains { if case .move = $0 { true } else { false } }
        guard from < end || movedThere else { return [] }
        let uid = district.uid(body: body, series: series)
        let title = series.title ?? body.name
        let duration = Int64(series.durationMinutes * 60)
        var cancels: [Int: String] = [:]  // by day number
        var moves: [Int: SeriesException.Move] = [:]  // by day number
        var result: [Session] = []
        func session(
            _ start: ZonedTime, minutes: Int64, recurrenceID: ZonedTime?, uid: String, status: Session.Status,
            location: String?, title: String, kind: Series.MeetingKind, reason: String?
        ) -> Session {
            let endUTC = start.utc + minutes
            return Session(
                body: body.id, series: series.id, uid: uid, recurrenceID: recurrenceID, start: start,
                end: ZonedTime(utc: endUTC, offset: zone.offset(atUTC: endUTC)), timeZone: series.timeZone,
                status: status, title: title, location: location, kind: kind, reason: reason)
        }
        func zoned(_ local: LocalDateTime) -> ZonedTime {
            let r = zone.resolve(local: local.localSeconds)
            return ZonedTime(utc: r.utc, offset: r.offset)
        }
        for exception in series.exceptions {
            switch exception {
            case .cancel(let date, let reason): cancels[date.dayNumber] = reason
            case .move(let move): moves[move.date.dayNumber] = move
            case .add(let add):
                let start = zoned(add.start)
                guard start.utc >= from, start.utc < end else { continue }
                result.append(
                    session(
                        start, minutes: Int64((add.durationMinutes ?? series.durationMinutes) * 60), recurrenceID: nil,
                        uid: district.uid(body: body, series: series, addition: add), status: add.status,
                        location: add.location ?? series.location, title: add.title ?? title,
                        kind: add.kind ?? series.kind, reason: add.reason))
            case .reinstate, .remove:
                // Consumed when the changes are laid over the plan (`District.applying`).
                continue
            }
        }
        guard let rule = series.rule else {
            // A series of one session: no RECURRENCE-ID, but it can still be cancelled or moved.
            // It is listed even with `deviationsOnly`: it has no rule to state it otherwise.
            let start = zoned(series.start)
            if start.utc < planEnd {
                var s = session(
                    start, minutes: duration, recurrenceID: nil, uid: uid, status: .scheduled,
                    location: series.location, title: title, kind: series.kind, reason: nil)
                if let reason = cancels[series.start.date.dayNumber] {
                    s.status = .cancelled
                    s.reason = reason
                } else if let move = moves[series.start.date.dayNumber] {
                    s = session(
                        zoned(move.to), minutes: Int64((move.durationMinutes ?? series.durationMinutes) * 60),
                        recurrenceID: nil, uid: uid, status: .moved, location: move.location ?? series.location,
                        title: title, kind: series.kind, reason: move.reason)
                }
                let anchor = deviationsOnly ? start : s.start
                if anchor.utc >= from, anchor.utc < to { result.append(s) }
            }
            return result
        }
        let set = RecurrenceSet(start: .dateTime(series.start), zone: zone, rules: [rule])
        let windowStart = LocalDateTime(localSeconds: from - Self.shiftMargin)
        let windowEnd = LocalDateTime(localSeconds: min(to + Self.shiftMargin, planEnd + 86_400))
        var occurrences: [Occurrence] = []
        if deviationsOnly {
            // Only days with an exception or a holiday can differ from the rule: look at those alone.
            var days = Set(cancels.keys).union(moves.keys)
            if series.holidayPolicy != .keep {
                days.formUnion(holidays.days(from: windowStart.date, through: windowEnd.date).map(\.dayNumber))
            }
            for day in days.sorted() where day >= windowStart.date.dayNumber && day <= windowEnd.date.dayNumber {
                let from = LocalDateTime(date: CivilDate(dayNumber: day))
                let to = LocalDateTime(date: CivilDate(dayNumber: day + 1))
                occurrences += set.expand(from: from, to: to, limit: 100).occurrences
            }
        } else {
            occurrences = set.expand(from: windowStart, to: windowEnd, limit: 1_000_000).occurrences
        }
        for occurrence in occurrences where occurrence.utc < planEnd {
            let nominal = occurrence.nominal
            let recurrenceID = ZonedTime(utc: occurrence.utc, offset: occurrence.offset)
            let date = nominal.date
            let day = date.dayNumber
            var s: Session
            if !cancels.isEmpty, let reason = cancels[day] {
                s = session(
                    recurrenceID, minutes: duration, recurrenceID: recurrenceID, uid: uid, status: .cancelled,
                    location: series.location, title: title, kind: series.kind, reason: reason)
            } else if !moves.isEmpty, let move = moves[day] {
                s = session(
                    zoned(move.to), minutes: Int64((move.durationMinutes ?? series.durationMinutes) * 60),
                    recurrenceID: recurrenceID, uid: uid, status: .moved, location: move.location ?? series.location,
                    title: title, kind: series.kind, reason: move.reason)
            } else if series.holidayPolicy != .keep, let holiday = holidays.name(of: date) {
                switch series.holidayPolicy {
                case .skip, .keep:
                    s = session(
                        recurrenceID, minutes: duration, recurrenceID: recurrenceID, uid: uid, status: .cancelled,
                        location: series.location, title: title, kind: series.kind, reason: holiday)
                case .nextWorkingDay, .previousWorkingDay:
                    let target = holidays.workingDay(
                        from: date, step: series.holidayPolicy == .nextWorkingDay ? 1 : -1)
                    s = session(
                        zoned(LocalDateTime(date: target, secondOfDay: nominal.secondOfDay)), minutes: duration,
                        recurrenceID: recurrenceID, uid: uid, status: .moved, location: series.location, title: title,
                        kind: series.kind, reason: holiday)
                }
            } else {
                if deviationsOnly { continue }
                s = session(
                    recurrenceID, minutes: duration, recurrenceID: recurrenceID, uid: uid, status: .scheduled,
                    location: series.location, title: title, kind: series.kind, reason: nil)
            }
            if !moves.isEmpty { moves[day] = nil }
            let anchor = deviationsOnly ? recurrenceID : s.start
            guard anchor.utc >= from, anchor.utc < to else { continue }
            result.append(s)
        }
        // Moves of instances outside the expanded stretch that land inside the window.
        let outside = moves.values.filter { $0.date < windowStart.date || $0.date >= windowEnd.date }
        for move in outside.sorted(by: { $0.date < $1.date }) {
            let recurrenceID = zoned(LocalDateTime(date: move.date, secondOfDay: series.start.secondOfDay))
            let start = zoned(move.to)
            let anchor = deviationsOnly ? recurrenceID : start
            guard recurrenceID.utc < planEnd, anchor.utc >= from, anchor.utc < to else { continue }
            result.append(
                session(
                    start, minutes: Int64((move.durationMinutes ?? series.durationMinutes) * 60),
                    recurrenceID: recurrenceID, uid: uid, status: .moved, location: move.location ?? series.location,
                    title: title, kind: series.kind, reason: move.reason))
        }
        return result
    }
}

extension SessionPlanner {
    /// The versions of a series, each as a series of its own that holds from its first session
    /// on or after the day it took effect (its `start` moved there, a COUNT reduced by the
    /// sessions before) up to the day before the next took effect (`versionUntil`), with the
    /// exceptions of its days: a series without history is its only version. A version without
    /// a session of its own is left out.
    public func versions(of series: Series) -> [Series] {
        guard !series.earlier.isEmpty else { return [series] }
        var current = series
        current.earlier = []
        var result: [Series] = []
        for version in series.earlier.map(series.asVersion) + [current] {
            guard var shaped = starting(version, on: version.versionFrom) else { continue }
            if let until = version.versionUntil, shaped.start.date >= until { continue }
            let from = version.versionFrom ?? CivilDate(dayNumber: Int.min / 2)
            let until = version.versionUntil ?? CivilDate(dayNumber: Int.max / 2)
            shaped.exceptions = version.exceptions.filter { e in
                guard let day = e.date ?? e.addition?.start.date else { return true }
                return day >= from && day < until
            }
            result.append(shaped)
        }
        return result
    }

    /// The series beginning with its first session on or after `day` (`start` moved there,
    /// COUNT reduced by the sessions before); itself when it begins then or later or `day` is
    /// `nil`; `nil` when it has no session from `day` on.
    public func starting(_ series: Series, on day: CivilDate?) -> Series? {
        guard let day, series.start.date < day else { return series }
        guard let rule = series.rule else { return nil }
        let set = RecurrenceSet(start: .dateTime(series.start), zone: zone(of: series), rules: [rule])
        guard let next = set.expand(from: LocalDateTime(date: day), limit: 1).occurrences.first else { return nil }
        var shifted = series
        if let count = rule.count {
            let before = set.expand(to: LocalDateTime(date: day), limit: count).occurrences.count
            shifted.rule?.count = count - before
        }
        shifted.start = next.nominal
        return shifted
    }
}
