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

extension ParallelResults {
    /// Runs `work` for every index in `0..<count` on every core and keeps each outcome as `set`
    /// does. Each worker thread has a `State` of its own, made by `state` and kept across the
    /// indices it takes: a cache that no other thread touches, so it needs no lock. Indices go
    /// out in order to whichever worker is free; with `order` (a permutation of `0..<count`), in
    /// that order: the longest work first, so that no worker is left with a long piece at the end.
    /// The values stay in index order either way.
    public func run<State>(
        _ count: Int, order: [Int]? = nil, state: @Sendable () -> State,
        _ work: @Sendable (Int, inout State) throws(Failure) -> Value
    ) {
        precondition(order.map { $0.count == count && Set($0) == Set(0..<count) } ?? true, "order: not a permutation")
        let workers = min(count, ProcessInfo.processInfo.activeProcessorCount)
        let counter = NextIndex()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var own = state()
            while let k = counter.take(below: count) {
                let i = order?[k] ?? k
                set(i) { () throws(Failure) -> Value in try work(i, &own) }
            }
        }
    }
}

/// Hands out 0, 1, 2, … to the workers of `ParallelResults.run`.
private final class NextIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take(below count: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}
