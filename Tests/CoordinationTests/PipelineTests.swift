import Coordination
import Foundation
import Testing

/// `Pipeline.run`: every batch prepared once and applied in order, on the caller's thread; an
/// error of `next` or `apply` passes on after the batch being prepared is done.
@Suite struct PipelineTests {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        /// Batches being prepared at the same time, at most.
        private(set) var most = 0

        func enter() {
            lock.lock()
            value += 1
            most = max(most, value)
            lock.unlock()
        }

        func leave() {
            lock.lock()
            value -= 1
            lock.unlock()
        }
    }

    struct Failed: Error, Equatable { let at: Int }

    @Test func everyBatchIsPreparedOnceAndAppliedInOrder() throws {
        var taken = 0
        var applied: [[Int]] = []
        let preparing = Counter()
        let caller = Thread.current
        Pipeline.run(
            next: { () -> [Int]? in
                #expect(Thread.current == caller)
                guard taken < 50 else { return nil }
                taken += 1
                return Array((taken - 1) * 10..<taken * 10)
            },
            prepare: { batch in
                preparing.enter()
                defer { preparing.leave() }
                usleep(UInt32.random(in: 0...300))
                return batch.map { $0 * $0 }
            },
            apply: { squares in
                #expect(Thread.current == caller)
                applied.append(squares)
            })
        #expect(applied.count == 50)
        #expect(applied.flatMap { $0 } == (0..<500).map { $0 * $0 })
        // One batch at a time is prepared, so what carries from batch to batch stays in order.
        #expect(preparing.most == 1)
    }

    @Test func nothingIsAppliedWithoutBatches() {
        var applied = 0
        Pipeline.run(next: { () -> Int? in nil }, prepare: { $0 }, apply: { _ in applied += 1 })
        #expect(applied == 0)
    }

    @Test func anErrorOfApplyPassesOnAndNothingFollows() {
        var taken = 0
        var applied: [Int] = []
        #expect(throws: Failed(at: 3)) {
            try Pipeline.run(
                next: { () -> Int? in
                    taken += 1
                    return taken <= 10 ? taken : nil
                },
                prepare: { $0 },
                apply: { n in
                    if n == 3 { throw Failed(at: 3) }
                    applied.append(n)
                })
        }
        #expect(applied == [1, 2])
        // The fourth batch was taken and prepared beside the third's apply, and no more.
        #expect(taken == 4)
    }

    @Test func anErrorOfNextPassesOnAfterTheBatchesBefore() {
        var taken = 0
        var applied: [Int] = []
        #expect(throws: Failed(at: 4)) {
            try Pipeline.run(
                next: { () throws(Failed) -> Int? in
                    taken += 1
                    if taken == 4 { throw Failed(at: 4) }
                    return taken
                },
                prepare: { $0 * 2 },
                apply: { applied.append($0) })
        }
        #expect(applied == [2, 4])
    }
}
