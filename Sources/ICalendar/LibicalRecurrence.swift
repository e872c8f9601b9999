import CLibical
import Coordination

/// libical's own recurrence iterator (`icalrecur_iterator`), kept as a reference to compare
/// our engine with (the differential test, `gremien expand --engine libical`).
///
/// It has the defects of libical 3.0.16 that `RecurrenceSet` fixes; see the README.
public enum LibicalRecurrence {
    /// The first `limit` instances of `rule` from `start` in zone `tzid` (libical's built-in
    /// zones, read from the system's zoneinfo; `nil` = floating), as UTC seconds.
    public static func expand(
        rule: String, start: RecurrenceSet.Start, tzid: String?, limit: Int, untilLocal: LocalDateTime? = nil
    ) throws(ICalendarError) -> [Int64] {
        try instances(rule: rule, start: start, tzid: tzid, limit: limit, untilLocal: untilLocal).map(\.utc)
    }

    /// As `expand`, with the wall-clock time libical produced for each instance (seconds of
    /// `LocalDateTime.localSeconds`) next to the UTC instant it converted it to.
    public static func instances(
        rule: String, start: RecurrenceSet.Start, tzid: String?, limit: Int, untilLocal: LocalDateTime? = nil
    ) throws(ICalendarError) -> [(local: Int64, utc: Int64)] {
        gremien_clear_icalerrno()
        let recur = icalrecurrencetype_from_string(rule)
        guard recur.freq != ICAL_NO_RECURRENCE, gremien_icalerrno() == ICAL_NO_ERROR else {
            throw .cannotBuild(property: "RRULE", reason: "libical rejects '\(rule)'")
        }
        var zone: OpaquePointer?  // borrowed: built-in zones belong to libical
        if let tzid {
            guard let z = icaltimezone_get_builtin_timezone(tzid) else { throw .unknownTimeZone(tzid) }
            zone = z
        }
        var dtstart = icaltime_null_time()
        let local = start.local
        dtstart.year = Int32(local.date.year)
        dtstart.month = Int32(local.date.month)
        dtstart.day = Int32(local.date.day)
        dtstart.hour = Int32(local.hour)
        dtstart.minute = Int32(local.minute)
        dtstart.second = Int32(local.second)
        dtstart.is_date = start.isDate ? 1 : 0
        if let zone { dtstart = icaltime_set_timezone(&dtstart, zone) }
        // Owned by us; freed below with icalrecur_iterator_free.
        guard let iterator = icalrecur_iterator_new(recur, dtstart) else {
            throw .cannotBuild(property: "RRULE", reason: "libical cannot iterate '\(rule)'")
        }
        defer { icalrecur_iterator_free(iterator) }
        let utc = icaltimezone_get_utc_timezone()
        let stop = untilLocal.map { $0.localSeconds } ?? Int64.max
        var result: [(local: Int64, utc: Int64)] = []
        while result.count < limit {
            var t = icalrecur_iterator_next(iterator)
            if icaltime_is_null_time(t) != 0 { break }
            let wall =
                Int64(CivilDate.dayNumber(year: Int(t.year), month: Int(t.month), day: Int(t.day))) * 86_400
                + Int64(t.hour * 3600 + t.minute * 60 + t.second)
            if wall >= stop { break }
            if let zone, t.is_date == 0 {
                icaltimezone_convert_time(&t, zone, utc)
                t.zone = utc
            }
            result.append((wall, Int64(icaltime_as_timet(t))))
        }
        return result
    }
}
