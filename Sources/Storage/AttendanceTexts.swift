import Coordination
import Foundation

/// What a store writes for one recorded attendance entry: its row, its change-log line and its
/// audit draft. Making these texts costs about as much as writing them, so a store that writes
/// in order (SQLite) has the next batch made on another core while it writes the one before.
public struct AttendanceTexts: Sendable {
    public var row: AttendanceRow
    public var line: ChangeRecord
    public var draft: AuditEvent.Draft
    /// The draft as the next entry of the event log, when the texts were made along a chain.
    public var event: AuditEvent?

    public init(_ entry: AttendanceEntry, reason: String?, at time: LocalDateTime, actor: String) {
        row = AttendanceRow(entry)
        line = entry.recordedRecord(reason: reason, at: time, actor: actor)
        draft = entry.auditDraft(at: time, actor: actor, reason: reason)
    }

    /// What the making thread carries from batch to batch (batches are made one after the
    /// other, each after the one before): the event log's chain, and whether a batch had a
    /// problem.
    private final class Carried: @unchecked Sendable {
        var chain: EventChain?
        var failed = false
        init(_ chain: EventChain?) { self.chain = chain }
    }

    /// Calls `write` with the texts of `entries` in order, a batch at a time, while the next
    /// batch is made on another thread (`Pipeline`). `write` runs on the caller's thread (a
    /// database's own). When `write` throws, the batch being made is awaited and dropped.
    ///
    /// - Parameter chain: the event log's chain as it stands: each draft is then also made its
    ///   next entry (`event`), the hashing done by the making thread too.
    public static func pipelined(
        _ entries: [AttendanceEntry], reason: String?, at time: LocalDateTime, actor: String, batch: Int = 4096,
        chain: EventChain? = nil, _ write: ([AttendanceTexts]) throws -> Void
    ) rethrows {
        _ = try pipelined(
            AttendanceBatches(entries, size: batch), reason: reason, at: time, actor: actor, chain: chain
        ) { _, texts in try write(texts) }
    }

    /// As `pipelined(_:…)`, for entries that are themselves made batch by batch on the making
    /// thread (checked lines of an import): `write` gets each batch's entries and texts. Once a
    /// batch has a problem, nothing more is written, and the batches after it are still asked
    /// for (so that every problem is found) but no texts are made for them.
    /// - Returns: whether every batch was written (no batch had a problem).
    public static func pipelined(
        _ batches: AttendanceBatches, reason: String?, at time: LocalDateTime, actor: String,
        chain: EventChain? = nil, _ write: ([AttendanceEntry], [AttendanceTexts]) throws -> Void
    ) rethrows -> Bool {
        let carried = Carried(chain)
        @Sendable func make(_ range: Range<Int>) -> (entries: [AttendanceEntry], texts: [AttendanceTexts])? {
            guard let entries = batches.entries(range) else {
                carried.failed = true
                return nil
            }
            guard !carried.failed else { return nil }
            let texts = entries.map {
                var texts = AttendanceTexts($0, reason: reason, at: time, actor: actor)
                texts.event = carried.chain?.append(texts.draft)
                return texts
            }
            return (entries, texts)
        }
        var ranges = batches.ranges.makeIterator()
        var complete = true
        try Pipeline.run(
            next: { ranges.next() }, prepare: make,
            apply: { made in
                guard complete, let made else {
                    complete = false
                    return
                }
                try write(made.entries, made.texts)
            })
        return complete
    }
}
