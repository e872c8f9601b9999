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
    /// Entries made batch by batch on the making thread: once a batch has a problem (`nil`),
    /// nothing more is written, every later batch is still asked for, and no texts are made for
    /// them.
    @Test func aBatchWithAProblemStopsTheWritingButNotTheAsking() {
        final class Asked: @unchecked Sendable { var ranges: [Range<Int>] = [] }
        let entries = Self.entries(9_000)
        let asked = Asked()
        let batches = AttendanceBatches(count: entries.count, size: 2_000) { range in
            asked.ranges.append(range)
            return range.lowerBound == 4_000 ? nil : Array(entries[range])
        }
        var written: [[AttendanceEntry]] = []
        let complete = AttendanceTexts.pipelined(batches, reason: nil, at: Self.time, actor: "k") { made, texts in
            #expect(made.map(\.office) == texts.map(\.row.office))
            written.append(made)
        }
        #expect(!complete)
        #expect(asked.ranges == [0..<2_000, 2_000..<4_000, 4_000..<6_000, 6_000..<8_000, 8_000..<9_000])
        #expect(written.map(\.count) == [2_000, 2_000])
        #expect(written.joined().map(\.office) == entries[..<4_000].map(\.office))
        // Without a problem, every batch is written.
        let all = AttendanceTexts.pipelined(
            AttendanceBatches(entries, size: 2_000), reason: nil, at: Self.time, actor: "k"
        ) {
            made, _ in written.append(made)
        }
        #expect(all && written.count == 2 + 5)
    }
}
