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
        let parts = eachRun(from: from, to: to, limit: limit, start: [EventOccurrence]()) {
            list, index, o, isOverride in
            list.append(EventOccurrence(eventIndex: index, occurrence: o, isOverride: isOverride))
        }
        var result: [EventOccurrence] = []
        result.reserveCapacity(parts.reduce(0) { $0 + $1.part.count })
        for part in parts { result += part.part }
        if ordered {
            result.sort { ($0.occurrence.utc, $0.eventIndex) < ($1.occurrence.utc, $1.eventIndex) }
        }
        return CalendarExpansion(events: events, occurrences: result, cutOff: parts.flatMap(\.cutOff))
    }

    /// How many instances `expand` gives and the sum of their starts as UTC epoch seconds (the
    /// checksum of the reference workload), without keeping the instances.
    public func instanceSummary(from: LocalDateTime? = nil, to: LocalDateTime? = nil, limit: Int = 1000) -> (
        count: Int, checksum: Int64, cutOff: [String]
    ) {
        let parts = eachRun(from: from, to: to, limit: limit, start: (count: 0, sum: Int64(0))) { t, _, o, _ in
            t.count += 1
            t.sum &+= o.utc
        }
        return (
            parts.reduce(0) { $0 + $1.part.count }, parts.reduce(Int64(0)) { $0 &+ $1.part.sum },
            parts.flatMap(\.cutOff)
        )
    }

    /// What `add` makes of the instances of runs of 32 events, each run on a core of its own, in
    /// file order, with the UIDs of the series cut off after `limit` instances. `add` gets the
    /// event's index, the instance and whether a RECURRENCE-ID override gave it; an instance an
    /// override replaces is left out.
    private func eachRun<Part: Sendable>(
        from: LocalDateTime?, to: LocalDateTime?, limit: Int, start: Part,
        _ add: @Sendable @escaping (inout Part, Int, Occurrence, Bool) -> Void
    ) -> [(part: Part, cutOff: [String])] {
        var overrides: [String: Set<Int64>] = [:]
        for e in events { if let rid = e.recurrenceID { overrides[e.uid, default: []].insert(rid) } }
        let events = self.events
        let run = 32
        return ParallelResults<(part: Part, cutOff: [String]), Never>.map((events.count + run - 1) / run) {
            [overrides] part in
            var made = start
            var cutOff: [String] = []
            for index in part * run..<min(events.count, part * run + run) where !events[index].isCancelled {
                let e = events[index]
                let isOverride = e.recurrenceID != nil
                let expansion = e.recurrence.expand(from: from, to: to, limit: isOverride ? 1 : limit)
                if expansion.cutOff && !isOverride { cutOff.append(e.uid) }
                let replaced = isOverride ? nil : overrides[e.uid]
                for o in expansion.occurrences where replaced?.contains(o.utc) != true {
                    add(&made, index, o, isOverride)
                }
            }
            return (made, cutOff)
        }
    }
}
