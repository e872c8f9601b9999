import Coordination
import Foundation
import GremienTestSupport
import Publishing
import Storage
import Testing
import Workflows

/// Reports are made as version 3 (issue 15: seat holders); version 1 and 2 reports, made before,
/// still verify.
@Suite struct ReportVersionTests {
    @Test(arguments: ReportStamp.Format.allCases)
    func earlierVersionsStillVerifyAndTheCurrentOneToo(format: ReportStamp.Format) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(.sqlite)
        defer { cleanup() }
        let request = Workflows.ReportRequest(
            from: CivilDate(year: 2026, month: 3, day: 1), through: CivilDate(year: 2026, month: 3, day: 31),
            format: format)
        let made = try await w.participationReport(request)
        #expect(made.stamp.version == 3 && made.stamp.line.hasPrefix("gremien-report v3 "))
        // The same records as a version 1 report: its own form (every ordered pair, rates over
        // expected sessions), and it verifies.
        var old = made.stamp
        old.version = 1
        let v1 = ParticipationReport(summary: made.summary, stamp: old).rendered()
        let v1Text = String(decoding: v1, as: UTF8.self)
        #expect(v1Text.contains("gremien-report v1 from=") && !v1Text.contains("pairs="))
        #expect(v1 != made.data)
        var second = made.stamp
        second.version = 2
        let v2 = ParticipationReport(summary: made.summary, stamp: second).rendered()
        #expect(String(decoding: v2, as: UTF8.self).contains("gremien-report v2 from="))
        let chain = try await w.verifyAudit()
        for (data, version) in [(v1, 1), (v2, 2), (made.data, 3)] {
            let check = try await w.checkReport(data, named: "r", chain: chain)
            guard case .matches(let stamp, _) = check else {
                Issue.record("version \(version) (\(format)): \(check)")
                continue
            }
            #expect(stamp.version == version)
            // The stamp read from the bytes is the one read from the text.
            #expect(try ReportStamp.found(in: data) == ReportStamp(findingIn: String(decoding: data, as: UTF8.self)))
        }
        // Compared piece by piece as it is made again: a report one byte short, one byte longer
        // or with its last byte changed differs, and says where.
        var changed = made.data
        changed[changed.count - 1] ^= 0x01
        for (name, data) in [("short", made.data.dropLast()), ("long", made.data + Data("x".utf8)), ("last", changed)] {
            let check = try await w.checkReport(Data(data), named: "r", chain: chain)
            guard case .differs(_, let line, _, _) = check else {
                Issue.record("\(name) (\(format)): \(check)")
                continue
            }
            #expect(line > 1, "\(name) (\(format))")
        }
        // A figure changed in the version 1 report is caught.
        if format == .csv {
            let edited = Data(v1Text.replacingOccurrences(of: "jc,JC,", with: "jc,JX,").utf8)
            let check = try await w.checkReport(edited, named: "r", chain: chain)
            guard case .differs = check else {
                Issue.record("an edited version 1 report: \(check)")
                return
            }
        }
    }

    /// A report for one office with one core office has a stamp without a comma: its CSV cell is
    /// not quoted, and the cells after it (padding) must not become part of the chain head.
    @Test(arguments: [false, true])
    func aStampInAnUnquotedCellVerifies(excel: Bool) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(.sqlite)
        defer { cleanup() }
        let request = Workflows.ReportRequest(
            from: CivilDate(year: 2026, month: 3, day: 1), through: CivilDate(year: 2026, month: 3, day: 31),
            office: "jc", core: ["jc"], format: .csv, excel: excel)
        let made = try await w.participationReport(request)
        let text = String(decoding: made.data, as: UTF8.self)
        #expect(text.contains("," + made.stamp.line + ",") || text.contains(";" + made.stamp.line + ";"))
        #expect(ReportStamp(findingIn: text) == made.stamp)
        let chain = try await w.verifyAudit()
        let check = try await w.checkReport(made.data, named: "r", chain: chain)
        guard case .matches = check else {
            Issue.record("\(check)")
            return
        }
    }
}
