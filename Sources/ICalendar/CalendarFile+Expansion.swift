import Coordination

/// One instance of an event of a calendar file.
public struct EventOccurrence: Sendable, Hashable {
    /// Index of the event (the series, or the override that supplied this instance) in `CalendarExpansion.events`.
    public var eventIndex: Int
    public var occurrence: Occurrence
    /// True when a RECURRENCE-ID override supplied this instance.
    public var isOverride: Bool
}

/// The instances of a calendar file within a window.
public struct CalendarExpansion: Sendable {
    /// The events of the file (shared with it, not copied).
    public var events: [CalendarEvent]
    public var occurrences: [EventOccurrence]
    /// UIDs of the series whose instances in the window exceeded the limit.
    public var cutOff: [String]

    /// The event an instance belongs to.
    public func event(of o: EventOccurrence) -> CalendarEvent { events[o.eventIndex] }
}

extension CalendarFile {
    /// Every instance of every event whose start lies in [`from`, `to`), read on the wall clock
    /// of each event's own zone, in time order.
    ///
    /// RECURRENCE-ID overrides replace the instance they name (wherever the override moves it);
    /// an override with STATUS:CANCELLED removes it; a cancelled series has no instances.
    /// `limit` bounds the instances per series; `ordered: false` skips the final sort.
    public func expand(
        from: LocalDateTime? = nil, to: LocalDateTime? = nil, limit: Int = 1000, ordered: Bool = true
    ) -> CalendarExpansion {
        var overrides: [String: Set<Int64>] = [:]
        for e in events { if let rid = e.recurrenceID { overrides[e.uid, default: []].insert(rid) } }
        var expansions: [(Int, Expansion)] = []
        expansions.reserveCapacity(events.count)
        var total = 0
        var cutOff: [String] = []
        for (index, e) in events.enumerated() where !e.isCancelled {
            let expansion = e.recurrence.expand(from: from, to: to, limit: e.recurrenceID == nil ? limit : 1)
            if expansion.cutOff && e.recurrenceID == nil { cutOff.append(e.uid) }
            total += expansion.occurrences.count
            expansions.append((index, expansion))
        }
        var result: [EventOccurrence] = []
        result.reserveCapacity(total)
        for (index, expansion) in expansions {
            let e = events[index]
            let isOverride = e.recurrenceID != nil
            let replaced = isOverride ? nil : overrides[e.uid]
            for o in expansion.occurrences where replaced?.contains(o.utc) != true {
                result.append(EventOccurrence(eventIndex: index, occurrence: o, isOverride: isOverride))
            }
        }
        if ordered {
            result.sort { ($0.occurrence.utc, $0.eventIndex) < ($1.occurrence.utc, $1.eventIndex) }
        }
        return CalendarExpansion(events: events, occurrences: result, cutOff: cutOff)
    }
}
