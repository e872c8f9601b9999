import Foundation

/// Results of a `DispatchQueue.concurrentPerform`, one slot per iteration, with the error of the
/// earliest failed iteration kept: the caller sees what a loop in order would have given.
public final class ParallelResults<Value, Failure: Error>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value?]
    private var failure: (index: Int, error: Failure)?

    public init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// Runs `work` and stores its value (or its error) for iteration `index`.
    public func set(_ index: Int, _ work: () throws(Failure) -> Value) {
        let outcome = Result(catching: work)
        lock.lock()
        defer { lock.unlock() }
        switch outcome {
        case .success(let value): slots[index] = value
        case .failure(let error):
            if failure == nil || index < failure?.index ?? Int.max { failure = (index, error) }
        }
    }

    /// All values in iteration order, or the error of the earliest iteration that failed.
    public func values() throws(Failure) -> [Value] {
        if let failure { throw failure.error }
        return slots.compactMap { $0 }
    }
}

extension ParallelResults where Failure == Never {
    /// Runs `work` for every index in `0..<count` on every core; the values in index order.
    public static func map(_ count: Int, _ work: @Sendable (Int) -> Value) -> [Value] {
        let results = ParallelResults(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { i in results.set(i) { work(i) } }
        return results.values()
    }
}
