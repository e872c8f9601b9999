import Foundation

/// Work on a stream of batches split over two threads: the caller's thread takes each batch
/// (`next`) and applies it (`apply`), another thread prepares it in between (`prepare`).
///
/// While one batch is prepared, the caller takes the next and applies the one before, so on two
/// cores the costs of taking and applying hide the cost of preparing, or the other way round.
/// Batches are applied in the order they were taken. Used where a store reads or writes on its
/// own thread (SQLite) and the work beside it does not depend on the order: hashing, reading
/// payloads, making texts.
public enum Pipeline {
    /// Runs until `next` gives `nil`. When `next` or `apply` throws, the batch being prepared is
    /// awaited and dropped, and the error passes on.
    public static func run<Batch: Sendable, Prepared: Sendable>(
        next: () throws -> Batch?, prepare: @escaping @Sendable (Batch) -> Prepared, apply: (Prepared) throws -> Void
    ) rethrows {
        guard let first = try next() else { return }
        var pending = Pending(first, prepare)
        while true {
            let taken: Batch?
            do { taken = try next() } catch {
                _ = pending.value()
                throw error
            }
            let ready = pending.value()
            if let taken { pending = Pending(taken, prepare) }
            do { try apply(ready) } catch {
                if taken != nil { _ = pending.value() }
                throw error
            }
            if taken == nil { return }
        }
    }

    /// One batch being prepared on another thread.
    private struct Pending<Prepared: Sendable> {
        let result: ParallelResults<Prepared, Never>
        let done: DispatchGroup

        init<Batch: Sendable>(_ batch: Batch, _ prepare: @escaping @Sendable (Batch) -> Prepared) {
            let result = ParallelResults<Prepared, Never>(count: 1)
            let done = DispatchGroup()
            DispatchQueue.global().async(group: done) { result.set(0) { prepare(batch) } }
            (self.result, self.done) = (result, done)
        }

        /// The prepared batch, once it is ready.
        func value() -> Prepared {
            done.wait()
            return result.values()[0]
        }
    }
}
