import Synchronization
import Testing

@testable import Server

/// Requests that arrive together after a change share one reading of what OParl shows.
@Suite struct SharedReadingTests {
    struct Refused: Error {}

    /// How many times a reading ran.
    final class Reads: Sendable {
        let count = Mutex(0)

        func next() -> Int {
            count.withLock {
                $0 += 1; return $0
            }
        }
    }

    @Test func oneReadingPerKeySharedByAllWhoAsk() async throws {
        let shared = SharedReading<Int, String>()
        let reads = Reads()
        let values = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await shared.value(for: 1) {
                        let n = reads.next()
                        try await Task.sleep(for: .milliseconds(50))
                        return "reading \(n)"
                    }
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(values == Array(repeating: "reading 1", count: 20))
        #expect(await shared.started == 1 && reads.count.withLock { $0 } == 1)
        // A new key (the store changed): read again, then shared again.
        #expect(try await shared.value(for: 2) { "two" } == "two")
        #expect(try await shared.value(for: 2) { "not read" } == "two")
        #expect(await shared.started == 2)
        // The state of the store unknown: never shared.
        #expect(try await shared.value(for: nil) { "a" } == "a")
        #expect(try await shared.value(for: nil) { "b" } == "b")
        #expect(await shared.started == 4)
    }

    @Test func aFailedReadingIsNotKept() async throws {
        let shared = SharedReading<Int, String>()
        await #expect(throws: Refused.self) { try await shared.value(for: 3) { throw Refused() } }
        #expect(try await shared.value(for: 3) { "read again" } == "read again")
        #expect(try await shared.value(for: 3) { "not read" } == "read again")
        #expect(await shared.started == 2)
    }
}
