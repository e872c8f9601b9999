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
        let snapshot = try await w.store.auditSnapshot()
        for (data, version) in [(v1, 1), (v2, 2), (made.data, 3)] {
            let check = try await w.checkReport(data, named: "r", events: snapshot.events, chain: chain)
            guard case .matches(let stamp, _) = check else {
                Issue.record("version \(version) (\(format)): \(check)")
                continue
            }
            #expect(stamp.version == version)
        }
        // A figure changed in the version 1 report is caught.
        if format == .csv {
            let edited = Data(v1Text.replacingOccurrences(of: "jc,JC,", with: "jc,JX,").utf8)
            let check = try await w.checkReport(edited, named: "r", events: snapshot.events, chain: chain)
            guard case .differs = check else {
                Issue.record("an edited version 1 report: \(check)")
                return
            }
        }
    }
}
