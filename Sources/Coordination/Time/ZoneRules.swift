/// The UTC offsets of one time zone over time: a table of transitions and, for the time after
/// the table, a yearly rule.
///
/// Built from a TZif file (`ZoneRules(tzif:identifier:)`) or from a VTIMEZONE. It turns a
/// wall-clock time into an instant the way RFC 5545 3.3.5 asks: a time in a spring-forward gap
/// is read with the offset before the gap (02:30 becomes 03:30 summer time), and an ambiguous
/// autumn time takes its first occurrence (the summer-time offset).
public struct ZoneRules: Sendable, Hashable {
    /// One change of offset.
    public struct Transition: Sendable, Hashable {
        /// The instant of the change, UTC seconds since 1970.
        public var utc: Int64
        public var before: Int
        public var after: Int
        public var abbreviation: String
        public var isDaylight: Bool

        public init(utc: Int64, before: Int, after: Int, abbreviation: String, isDaylight: Bool) {
            self.utc = utc
            self.before = before
            self.after = after
            self.abbreviation = abbreviation
            self.isDaylight = isDaylight
        }
    }

    public let identifier: String
    /// The offset before the first transition.
    public let initialOffset: Int
    public let initialAbbreviation: String
    /// Transitions in UTC order: the listed ones, then those of `tail` up to `tableEndYear`.
    public let transitions: [Transition]
    /// The rule for all years after the table, if the zone still changes its offset.
    public let tail: PosixZoneRule?
    /// Wall-clock second at which each transition happens, read with the offset before it.
    let boundaries: [Int64]
    /// First UTC instant no longer covered by the table (computed from `tail` instead).
    let tableEndUTC: Int64
    /// The longest spring-forward gap of the zone in seconds (0 when it never springs forward):
    /// how far wall-clock order and instant order can disagree.
    public let largestGap: Int

    /// The last year whose tail transitions are precomputed into the table.
    public static let tableEndYear = 2100

    public init(
        identifier: String, initialOffset: Int, initialAbbreviation: String, transitions listed: [Transition],
        tail: PosixZoneRule?
    ) {
        self.identifier = identifier
        self.initialOffset = initialOffset
        self.initialAbbreviation = initialAbbreviation
        self.tail = tail
        var all = listed.sorted { $0.utc < $1.utc }
        var end = Int64.max
        if let tail, tail.daylight != nil {
            let lastUTC = all.last?.utc ?? Int64.min
            let firstYear = all.last.map { LocalDateTime(localSeconds: $0.utc).date.year } ?? 1970
            for year in firstYear...Self.tableEndYear {
                for t in tail.transitions(inYear: year) where t.utc > lastUTC { all.append(t) }
            }
            end = Int64(CivilDate.dayNumber(year: Self.tableEndYear + 1, month: 1, day: 1)) * 86_400 - 86_400
        }
        transitions = all
        boundaries = all.map { $0.utc + Int64($0.before) }
        tableEndUTC = end
        var gap = all.reduce(0) { max($0, $1.after - $1.before) }
        if let dst = tail?.daylight { gap = max(gap, abs(dst.offset - (tail?.standardOffset ?? 0))) }
        largestGap = gap
    }

    /// A zone with one fixed offset (UTC itself, or `Etc/GMT-1`).
    public static func fixed(identifier: String, offset: Int, abbreviation: String) -> ZoneRules {
        ZoneRules(
            identifier: identifier, initialOffset: offset, initialAbbreviation: abbreviation, transitions: [], tail: nil
        )
    }

    public static let utc = ZoneRules.fixed(identifier: "UTC", offset: 0, abbreviation: "UTC")

    /// The offset in force at a UTC instant.
    public func offset(atUTC t: Int64) -> Int {
        if t >= tableEndUTC, let tail {
            let year = LocalDateTime(localSeconds: t).date.year
            var offset = tail.transitions(inYear: year - 1).last?.after ?? tail.standardOffset
            for tr in tail.transitions(inYear: year) where tr.utc <= t { offset = tr.after }
            return offset
        }
        var lo = 0
        var hi = transitions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if transitions[mid].utc <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? initialOffset : transitions[lo - 1].after
    }

    /// The instant of a wall-clock time (seconds of `LocalDateTime.localSeconds`), RFC 5545 style:
    /// in a gap the offset before the gap applies; an ambiguous time takes its first occurrence.
    @inline(__always)
    public func utc(forLocal local: Int64) -> Int64 {
        resolve(local: local).utc
    }

    /// The offset used to read a wall-clock time (see `utc(forLocal:)`).
    public func offset(forLocal local: Int64) -> Int {
        Int(local - resolve(local: local).utc)
    }

    /// The instant of a wall-clock time and the offset in force at that instant (which differs
    /// from the one used to read it only in a gap).
    @inline(__always)
    public func resolve(local: Int64) -> (utc: Int64, offset: Int) {
        var hint = -1
        return resolve(local: local, hint: &hint)
    }

    /// As `resolve(local:)`, starting from the transition interval of the previous call
    /// (`hint`): a series asks for times that rise, so the search is usually skipped.
    @inline(__always)
    public func resolve(local: Int64, hint: inout Int) -> (utc: Int64, offset: Int) {
        if local >= tableEndUTC, let tail {
            let utc = local - Int64(Self.readOffset(local: local, tail: tail))
            return (utc, offset(atUTC: utc))
        }
        let count = boundaries.count
        var lo: Int
        if hint >= 0 && hint <= count && (hint == 0 || boundaries[hint - 1] <= local)
            && (hint == count || local < boundaries[hint])
        {
            lo = hint
        } else {
            lo = 0
            var hi = count
            while lo < hi {
                let mid = (lo + hi) / 2
                if boundaries[mid] <= local { lo = mid + 1 } else { hi = mid }
            }
            hint = lo
        }
        if lo == 0 { return (local - Int64(initialOffset), initialOffset) }
        let t = transitions[lo - 1]
        // In a gap the wall time is read with the offset before it and lands after the change.
        if local < t.utc + Int64(t.after) { return (local - Int64(t.before), t.after) }
        return (local - Int64(t.after), t.after)
    }

    /// The offset used to read a wall-clock time after the table, from the tail rule's
    /// transitions around it (same gap and fold rule as the table).
    private static func readOffset(local: Int64, tail: PosixZoneRule) -> Int {
        let year = LocalDateTime(localSeconds: local).date.year
        var offset = tail.transitions(inYear: year - 2).last?.after ?? tail.standardOffset
        for t in tail.transitions(inYear: year - 1) + tail.transitions(inYear: year)
        where t.utc + Int64(t.before) <= local {
            offset = local < t.utc + Int64(t.after) ? t.before : t.after
        }
        return offset
    }
}
