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

    /// The event log's chain as the making thread carries it from batch to batch (batches are
    /// made one after the other, each after the one before).
    private final class Chain: @unchecked Sendable {
        var chain: EventChain?
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
        let carried = Chain(chain)
        @Sendable func make(_ range: Range<Int>) -> [AttendanceTexts] {
            entries[range].map {
                var texts = AttendanceTexts($0, reason: reason, at: time, actor: actor)
                texts.event = carried.chain?.append(texts.draft)
                return texts
            }
        }
        var start = 0
        try Pipeline.run(
            next: { () -> Range<Int>? in
                guard start < entries.count else { return nil }
                let range = start..<min(start + batch, entries.count)
                start = range.upperBound
                return range
            }, prepare: make, apply: write)
    }
}
