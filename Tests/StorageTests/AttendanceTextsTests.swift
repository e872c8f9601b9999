import Coordination
import Testing

@testable import Storage

/// The texts of recorded attendance, made a batch ahead of the write.
@Suite struct AttendanceTextsTests {
    static let time = LocalDateTime(date: CivilDate(year: 2026, month: 11, day: 30))

    static func entries(_ count: Int) -> [AttendanceEntry] {
        (0..<count).map { i in
            AttendanceEntry(
                session: SessionKey(
                    body: "b\(i % 7)", series: "s", date: CivilDate(year: 2026, month: 1, day: 1 + i % 28)),
                office: "amt-\(i)", status: i % 3 == 0 ? .excused : .present)
        }
    }

    @Test func everyEntryOnceInOrderInBatches() throws {
        let entries = Self.entries(10_000)
        var batches: [Int] = []
        var written: [AttendanceTexts] = []
        AttendanceTexts.pipelined(entries, reason: "Nachtrag", at: Self.time, actor: "k", batch: 4096) { batch in
            batches.append(batch.count)
            written += batch
        }
        #expect(batches == [4096, 4096, 1808])
        #expect(written.map(\.row.office) == entries.map(\.office))
        let expected = entries.map { AttendanceTexts($0, reason: "Nachtrag", at: Self.time, actor: "k") }
        #expect(written.map(\.draft) == expected.map(\.draft))
        #expect(written.map(\.line) == expected.map(\.line))
        #expect(written.last?.line.detail == "amt-9999: excused; reason: Nachtrag")
    }

    /// Made along the event log's chain, each batch continues where the one before ended: the
    /// same entries as appending the drafts one by one.
    @Test func madeAlongTheChainAsAppendedOneByOne() {
        let entries = Self.entries(5_000)
        let head = ChainHead(seq: 41, hash: String(repeating: "7", count: 64))
        var written: [AttendanceTexts] = []
        AttendanceTexts.pipelined(
            entries, reason: nil, at: Self.time, actor: "k", batch: 1024, chain: EventChain(head: head)
        ) { written += $0 }
        var chain = EventChain(head: head)
        let expected = written.map { chain.append($0.draft) }
        #expect(written.compactMap(\.event) == expected)
        #expect(written.last?.event?.seq == 41 + 5_000)
        // Without a chain, no entries are made.
        AttendanceTexts.pipelined(entries, reason: nil, at: Self.time, actor: "k") { batch in
            #expect(batch.allSatisfy { $0.event == nil })
        }
    }

    @Test func nothingToWriteCallsNothing() {
        var calls = 0
        AttendanceTexts.pipelined([], reason: nil, at: Self.time, actor: "k") { _ in calls += 1 }
        #expect(calls == 0)
    }

    struct Stop: Error {}

    @Test func aWriteThatThrowsEndsTheRun() {
        var batches = 0
        #expect(throws: Stop.self) {
            try AttendanceTexts.pipelined(Self.entries(9_000), reason: nil, at: Self.time, actor: "k", batch: 1000) {
                _ in
                batches += 1
                if batches == 2 { throw Stop() }
            }
        }
        #expect(batches == 2)
    }
}
