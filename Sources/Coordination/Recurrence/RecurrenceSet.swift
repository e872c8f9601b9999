/// Everything that makes up the instances of one event: DTSTART in a zone, RRULEs, RDATEs and
/// EXDATEs (RFC 5545 3.8.5).
///
/// Expansion (`expand(from:to:limit:)`) is pure: the zone is a value, there is no clock.
public struct RecurrenceSet: Sendable, Hashable {
    /// The first instance: an all-day date or a wall-clock time.
    public enum Start: Sendable, Hashable {
        case date(CivilDate)
        case dateTime(LocalDateTime)

        public var local: LocalDateTime {
            switch self {
            case .date(let d): return LocalDateTime(date: d)
            case .dateTime(let t): return t
            }
        }

        public var isDate: Bool {
            if case .date = self { return true }
            return false
        }
    }

    /// An RDATE or EXDATE value.
    public enum DateValue: Sendable, Hashable {
        case date(CivilDate)
        /// Wall-clock time in a zone; `nil` means the zone of DTSTART (or floating).
        case local(LocalDateTime, zone: ZoneRules?)
        case utc(LocalDateTime)
    }

    public var start: Start
    /// The zone of DTSTART; `nil` for floating times and all-day events.
    public var zone: ZoneRules?
    public var rules: [RecurrenceRule]
    public var recurrenceDates: [DateValue]
    public var exceptionDates: [DateValue]

    public init(
        start: Start, zone: ZoneRules? = nil, rules: [RecurrenceRule] = [], recurrenceDates: [DateValue] = [],
        exceptionDates: [DateValue] = []
    ) {
        self.start = start
        self.zone = zone
        self.rules = rules
        self.recurrenceDates = recurrenceDates
        self.exceptionDates = exceptionDates
    }

    /// Checks the rules against DTSTART (UNTIL not before it).
    public func validate() throws(RecurrenceRuleError) {
        let local = start.local
        let offset = zone.map { $0.offset(forLocal: local.localSeconds) } ?? 0
        for rule in rules { try rule.validate(start: local, utcOffsetOfStart: offset) }
    }
}

/// One instance of a recurrence set.
public struct Occurrence: Sendable, Hashable, Comparable {
    /// The instant, UTC seconds since 1970; for all-day and floating instances the wall clock read as UTC.
    public var utc: Int64
    /// The UTC offset in force at the instant (0 when floating or all-day).
    public var offset: Int
    /// Wall-clock seconds of `nominal` (kept flat: expansions hold hundreds of thousands).
    public var nominalSeconds: Int64
    public var isDate: Bool

    public init(utc: Int64, offset: Int, nominal: LocalDateTime, isDate: Bool) {
        self.init(utc: utc, offset: offset, nominalSeconds: nominal.localSeconds, isDate: isDate)
    }

    public init(utc: Int64, offset: Int, nominalSeconds: Int64, isDate: Bool) {
        self.utc = utc
        self.offset = offset
        self.nominalSeconds = nominalSeconds
        self.isDate = isDate
    }

    /// The wall-clock time the rule produced before any gap shift: the RECURRENCE-ID.
    public var nominal: LocalDateTime { LocalDateTime(localSeconds: nominalSeconds) }

    /// The wall-clock time at which the instance happens (differs from `nominal` in a gap).
    public var local: LocalDateTime { LocalDateTime(localSeconds: utc + Int64(offset)) }

    /// `YYYY-MM-DDTHH:MM:SS+HH:MM`, or `YYYY-MM-DD` for all-day instances.
    public var formatted: String {
        isDate ? nominal.date.description : local.description + formatOffset(offset)
    }

    public static func < (a: Occurrence, b: Occurrence) -> Bool { a.utc < b.utc }
}

/// The instances of a set within a window, and whether the limit cut them off.
public struct Expansion: Sendable, Hashable {
    public var occurrences: [Occurrence]
    /// True when more instances lie in the window than the limit allowed.
    public var cutOff: Bool

    public init(occurrences: [Occurrence], cutOff: Bool) {
        self.occurrences = occurrences
        self.cutOff = cutOff
    }
}
