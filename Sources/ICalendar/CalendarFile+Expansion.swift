import Coordination

/// One instance of an event of a calendar file.
public struct EventOccurrence: Sendable, Hashable {
    public var uid: String
    public var summary: String?
    public var occurrence: Occurrence
    public var duration: Int64
    /// True when a RECURRENCE-ID override supplied this instance.
    public var isOverride: Bool
}

/// The instances of a calendar file within a window.
public struct CalendarExpansion: Sendable {
    public var occurrences: [EventOccurrence]
    /// UIDs of the series whose instances in the window exceeded the limit.
    public var cutOff: [String]
}

extension CalendarFile {
    /// Every instance of every event whose start lies in [`from`, `to`), read on the wall clock
    /// of each event's own zone, in time order.
    ///
    /// RECURRENCE-ID overrides replace the instance they name (wherever the override moves it);
    /// an override with STATUS:CANCELLED removes it; a cancelled series has no instances.
    /// `limit` bounds the instances per series.
    public func expand(from: LocalDateTime? = nil, to: LocalDateTime? = nil, limit: Int = 1000) -> CalendarExpansion {
        var overrides: [String: [Int64: CalendarEvent]] = [:]
        for e in events { if let rid = e.recurrenceID { overrides[e.uid, default: [:]][rid] = e } }
        var result: [EventOccurrence] = []
        var cutOff: [String] = []
        for e in events where e.recurrenceID == nil && !e.isCancelled {
            let expansion = e.recurrence.expand(from: from, to: to, limit: limit)
            if expansion.cutOff { cutOff.append(e.uid) }
            let replaced = overrides[e.uid] ?? [:]
            for o in expansion.occurrences where replaced[o.utc] == nil {
                result.append(EventOccurrence(uid: e.uid, summary: e.summary, occurrence: o, duration: e.duration, isOverride: false))
            }
        }
        for e in events where e.recurrenceID != nil && !e.isCancelled {
            for o in e.recurrence.expand(from: from, to: to, limit: 1).occurrences {
                result.append(EventOccurrence(uid: e.uid, summary: e.summary, occurrence: o, duration: e.duration, isOverride: true))
            }
        }
        result.sort { ($0.occurrence.utc, $0.uid) < ($1.occurrence.utc, $1.uid) }
        return CalendarExpansion(occurrences: result, cutOff: cutOff)
    }
}
