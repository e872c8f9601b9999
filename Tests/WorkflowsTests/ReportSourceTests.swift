import Coordination
import Foundation
import GremienTestSupport
import Publishing
import Storage
import Testing

@testable import Workflows

/// `audit verify --report` reads the report as it compares it (issue 20, aim 3): through a file
/// and through bytes, a window at a time, it must find the same stamp and the same answer as the
/// report held whole.
@Suite struct ReportSourceTests {
    static func report(_ format: ReportStamp.Format) async throws -> (
        Workflows, MadeReport, @Sendable () -> Void
    ) {
        let (w, cleanup) = try await WorkflowsTests.workflows(.sqlite)
        let request = Workflows.ReportRequest(
            from: CivilDate(year: 2026, month: 3, day: 1), through: CivilDate(year: 2026, month: 3, day: 31),
            format: format)
        return (w, try await w.participationReport(request), cleanup)
    }

    @Test(arguments: ReportStamp.Format.allCases)
    func aReportIsComparedAsItIsRead(format: ReportStamp.Format) async throws {
        let (w, made, cleanup) = try await Self.report(format)
        defer { cleanup() }
        let report = ParticipationReport(summary: made.summary, stamp: made.stamp)
        let path = TemporaryFile.path("report", format.rawValue)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var middle = made.data
        middle[middle.count / 2] ^= 0x01
        var last = made.data
        last[last.count - 1] ^= 0x01
        let cases: [(String, Data, Bool)] = [
            ("as made", made.data, true), ("one byte short", made.data.dropLast(), false),
            ("one byte longer", made.data + Data("x".utf8), false), ("a middle byte changed", middle, false),
            ("the last byte changed", last, false), ("empty", Data(), false),
        ]
        for (name, bytes, same) in cases {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let file = try ReportFile(path: path)
            #expect(file.byteCount == bytes.count)
            for window in [1, 7, 4096, 1 << 16] {
                #expect(try Workflows.same(report, as: file, window: window) == same, "\(name), window \(window)")
                #expect(try Workflows.same(report, as: Data(bytes), window: window) == same, "\(name), bytes")
            }
        }
        // The whole check through the file: a report as made matches, an edited one differs
        // and is named by its line.
        let chain = try await w.verifyAudit()
        try made.data.write(to: URL(fileURLWithPath: path))
        guard
            case .matches(let stamp, _) = try await w.checkReport(try ReportFile(path: path), named: path, chain: chain)
        else {
            Issue.record("the report as made does not match through its file")
            return
        }
        #expect(stamp == made.stamp)
        try middle.write(to: URL(fileURLWithPath: path))
        let check = try await w.checkReport(try ReportFile(path: path), named: path, chain: chain)
        let expected = try await w.checkReport(middle, named: path, chain: chain)
        guard case .differs(_, let line, _, _) = check else {
            Issue.record("an edited report through its file: \(check)")
            return
        }
        #expect(line > 1 && check == expected)
    }

    /// The records the check of the chain kept at a report's head are what the report is made
    /// again from (`audit verify --report` reads the log once); kept at another entry, or not
    /// kept, the log is replayed as before.
    @Test func theRecordsKeptByTheCheckAreUsedAtTheReportsHead() async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(.sqlite)
        defer { cleanup() }
        // Attendance in the report's month, so that records without it give other figures.
        try await w.recordAttendance(
            [
                AttendanceLine(
                    label: "1", session: SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 3, day: 2)),
                    office: "jc", status: "present")
            ], by: .localOperator("betrieb"))
        let made = try await w.participationReport(
            Workflows.ReportRequest(
                from: CivilDate(year: 2026, month: 3, day: 1), through: CivilDate(year: 2026, month: 3, day: 31),
                format: .csv))
        let head = try w.reportToCheck(made.data, named: "r").head.seq
        #expect(head == ChainHead(made.stamp.head)?.seq)
        #expect(throws: WorkflowError.self) { try w.reportToCheck(Data("a,b\r\n".utf8), named: "r") }
        let kept = try await w.verifyAudit(keepingReplayAt: head)
        #expect(kept.replay?.entry?.seq == head)
        let plain = try await w.verifyAudit()
        #expect(plain.replay == nil)
        let matches = try await w.checkReport(made.data, named: "r", chain: kept)
        #expect(matches == .matches(stamp: made.stamp, head: head))
        #expect(try await w.checkReport(made.data, named: "r", chain: plain) == matches)
        // The kept records emptied: the report made again from them differs, so they were used.
        var emptied = kept
        emptied.replay?.replayed = ReplayedRecords()
        guard case .differs = try await w.checkReport(made.data, named: "r", chain: emptied) else {
            Issue.record("the records kept at the report's head were not used")
            return
        }
        // Kept at another entry: not used; the log is replayed up to the report's head.
        var elsewhere = try await w.verifyAudit(keepingReplayAt: head - 1)
        #expect(elsewhere.replay?.entry?.seq == head - 1)
        elsewhere.replay?.replayed = ReplayedRecords()
        #expect(try await w.checkReport(made.data, named: "r", chain: elsewhere) == matches)
    }

    /// The stamp is found wherever it lies among the pieces read, also across the end of one,
    /// and the first tag of the highest version wins, as in the text.
    @Test func theStampIsFoundAcrossPieces() async throws {
        let (_, made, cleanup) = try await Self.report(.csv)
        defer { cleanup() }
        for before in ["", "gremien-report v1 from=2026-01-01 through=x\n"] {
            for pad in 0..<45 {
                let data = Data((before + String(repeating: "-", count: pad)).utf8) + made.data
                let text = ReportStamp(findingIn: String(decoding: data, as: UTF8.self))
                #expect(text == made.stamp)
                for piece in [40, 41, 57, 1 << 20] {
                    #expect(try ReportStamp.found(in: data, piece: piece) == text, "pad \(pad), piece \(piece)")
                }
            }
        }
        #expect(try ReportStamp.found(in: Data("no stamp here, gremien-report v".utf8), piece: 40) == nil)
        #expect(try ReportStamp.found(in: Data(), piece: 40) == nil)
    }

    /// A file cut short while it is read (it says more bytes than it gives) ends the reading:
    /// the search for the stamp stops at its end, the comparison says it differs.
    @Test(.timeLimit(.minutes(1))) func aReportCutShortWhileReadEndsTheReading() async throws {
        struct CutShort: ReportSource {
            let bytes: Data
            var byteCount: Int { bytes.count + 1_000 }
            func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(ReportSourceError) -> Int {
                try bytes.read(at: offset, into: buffer)
            }
        }
        let (_, made, cleanup) = try await Self.report(.csv)
        defer { cleanup() }
        let cut = CutShort(bytes: Data("x".utf8) + Data(repeating: 0x2D, count: 600))
        for piece in [40, 41, 57] { #expect(try ReportStamp.found(in: cut, piece: piece) == nil) }
        #expect(try ReportStamp.found(in: CutShort(bytes: made.data), piece: 40) == made.stamp)
        let report = ParticipationReport(summary: made.summary, stamp: made.stamp)
        #expect(try !Workflows.same(report, as: CutShort(bytes: made.data), window: 7))
    }

    /// A report that cannot be read is named with the reason.
    @Test func aReportThatCannotBeReadIsNamed() throws {
        #expect(throws: ReportSourceError.self) { try ReportFile(path: "/nicht/da/bericht.csv") }
        do {
            _ = try ReportFile(path: "/nicht/da/bericht.csv")
        } catch {
            #expect(error.description.contains("/nicht/da/bericht.csv") && error.description.contains("No such file"))
        }
        do {
            _ = try ReportFile(path: NSTemporaryDirectory())
            Issue.record("a folder was taken as a report")
        } catch {
            #expect(error.description.hasSuffix("Is a directory"))
        }
    }
}
