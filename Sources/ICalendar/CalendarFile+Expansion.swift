import Coordination
import Foundation

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
        // Events expand independently: runs of them on every core, joined in file order.
        let events = self.events
        let run = 32
        let parts = ParallelResults<(occurrences: [EventOccurrence], cutOff: [String]), Never>.map(
            (events.count + run - 1) / run
        ) { [overrides] part in
            var occurrences: [EventOccurrence] = []
            var cutOff: [String] = []
            for index in part * run..<min(events.count, part * run + run) where !events[index].isCancelled {
                let e = events[index]
                let isOverride = e.recurrenceID != nil
                let expansion = e.recurrence.expand(from: from, to: to, limit: isOverride ? 1 : limit)
                if expansion.cutOff && !isOverride { cutOff.append(e.uid) }
                let replaced = isOverride ? nil : overrides[e.uid]
                for o in expansion.occurrences where replaced?.contains(o.utc) != true {
                    occurrences.append(EventOccurrence(eventIndex: index, occurrence: o, isOverride: isOverride))
                }
            }
            return (occurrences, cutOff)
        }
        var result: [EventOccurrence] = []
        result.reserveCapacity(parts.reduce(0) { $0 + $1.occurrences.count })
        for part in parts { result += part.occurrences }
        let cutOff = parts.flatMap(\.cutOff)
        if ordered {
            result.sort { ($0.occurrence.utc, $0.eventIndex) < ($1.occurrence.utc, $1.eventIndex) }
        }
        return CalendarExpansion(events: events, occurrences: result, cutOff: cutOff)
    }
}
