import Coordination
import Foundation
import Testing

/// `ParallelResults.run`: every index once, in order, each worker with a state of its own.
@Suite struct ParallelRunTests {
    final class Seen: @unchecked Sendable {
        var indices: [Int] = []
    }

    @Test func everyIndexOnceWithAStatePerWorker() throws {
        let results = ParallelResults<(Int, ObjectIdentifier), Never>(count: 1000)
        results.run(1000, state: { Seen() }) { i, seen in
            seen.indices.append(i)
            // A worker takes indices in rising order: its state is its own.
            #expect(seen.indices.count == 1 || seen.indices[seen.indices.count - 2] < i)
            return (i * i, ObjectIdentifier(seen))
        }
        let values = results.values()
        #expect(values.map(\.0) == (0..<1000).map { $0 * $0 })
        #expect(Set(values.map(\.1)).count <= ProcessInfo.processInfo.activeProcessorCount)
    }

    /// With an order, indices go out in that order, and the values still come back by index.
    @Test func anOrderChangesWhenIndicesRunNotWhereTheirValuesGo() {
        let order = Array((0..<500).reversed()) + Array(500..<1000).shuffled()
        let results = ParallelResults<Int, Never>(count: 1000)
        results.run(1000, order: order, state: { Seen() }) { i, seen in
            // Each worker meets its indices in the given order.
            if let last = seen.indices.last {
                #expect(order.firstIndex(of: last)! < order.firstIndex(of: i)!)
            }
            seen.indices.append(i)
            return i * 3
        }
        #expect(results.values() == (0..<1000).map { $0 * 3 })
    }

    @Test func theEarliestFailureIsReported() {
        struct Failed: Error { let index: Int }
        let results = ParallelResults<Int, Failed>(count: 100)
        results.run(100, state: { 0 }) { i, _ throws(Failed) in
            if i % 30 == 29 { throw Failed(index: i) }
            return i
        }
        #expect(throws: Failed.self) { try results.values() }
        do { _ = try results.values() } catch { #expect(error.index == 29) }
    }
}
