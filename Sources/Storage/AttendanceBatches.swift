import Coordination

/// Attendance entries that are made batch by batch while a store writes the batches before
/// them: an import of 300,000 lines checks each line on its way into the one transaction,
/// instead of checking them all before it begins.
public struct AttendanceBatches: Sendable {
    /// How many lines there are.
    public let count: Int
    /// How many lines make one batch.
    public let size: Int
    /// The entries of the lines `range`, in order, or `nil` when a line there has a problem.
    /// Called once for each batch, in order, each call after the one before has returned.
    public let entries: @Sendable (Range<Int>) -> [AttendanceEntry]?

    public init(count: Int, size: Int = 4096, entries: @escaping @Sendable (Range<Int>) -> [AttendanceEntry]?) {
        precondition(size > 0, "a batch of no lines")
        self.count = count
        self.size = size
        self.entries = entries
    }

    /// The lines of each batch, in order.
    public var ranges: [Range<Int>] {
        stride(from: 0, to: count, by: size).map { $0..<Swift.min($0 + size, count) }
    }

    /// Entries already made, in batches of `size`.
    public init(_ entries: [AttendanceEntry], size: Int = 4096) {
        self.init(count: entries.count, size: size) { Array(entries[$0]) }
    }
}

extension AttendanceStore {
    /// Asks for every batch, then records them all as `record(_:removing:…)` does (a store that
    /// does not write while the batches are made).
    public func record(_ batches: AttendanceBatches, reason: String?, at time: LocalDateTime, actor: String)
        async throws(StorageError) -> Bool
    {
        var all: [AttendanceEntry] = []
        var complete = true
        for range in batches.ranges {
            guard let entries = batches.entries(range) else {
                complete = false
                continue
            }
            if complete { all += entries }
        }
        guard complete else { return false }
        try await record(all, removing: [], reason: reason, at: time, actor: actor, expecting: .anything)
        return true
    }
}
