import Coordination
import Foundation
import GremienTestSupport
import Publishing
import Storage
import Testing
import Workflows

/// Reports list who held each office's seats (report v3, issue 15), and they still verify after
/// a holder's name changes: the names come from the event log at the report's head.
@Suite struct SeatReportTests {
    static let local = Principal.localOperator("betrieb")
    static func day(_ m: Int, _ d: Int) -> CivilDate { CivilDate(year: 2026, month: m, day: d) }

    func report(_ w: Workflows, _ from: CivilDate, _ through: CivilDate, _ format: ReportStamp.Format) async throws
        -> MadeReport
    {
        try await w.participationReport(.init(from: from, through: through, format: format))
    }

    @Test(arguments: StoreKind.allCases)
    func reportsListTheSeatHoldersOfTheirPeriodAndVerifyAfterARename(kind: StoreKind) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(kind)
        defer { cleanup() }
        let carl = try await w.savePerson(
            name: "Carl Stellvertreter", office: "jc", level: .tl, email: nil, by: Self.local)
        _ = try await w.assignSeat(
            .init(body: "runde", office: "jc", person: "anna-beispiel", from: Self.day(3, 1), until: Self.day(6, 30)),
            by: Self.local)
        _ = try await w.assignSeat(
            .init(body: "runde", office: "jc", person: carl.id, deputy: true, from: Self.day(1, 1)), by: Self.local)

        let csv = try await report(w, Self.day(3, 1), Self.day(3, 31), .csv)
        let text = String(decoding: csv.data, as: UTF8.self)
        // (CSV rows end in CRLF and are padded to the widest section with empty cells.)
        #expect(text.contains("Sitzinhaber,,,,,,,,,,,,,,\r\nBüro,Gremium,Person,Name,Sitz,Rang,von,bis,,,,,,,\r\n"))
        #expect(text.contains("\r\njc,runde,anna-beispiel,Anna Beispiel,Mitglied,,2026-03-01,2026-06-30,,"))
        #expect(text.contains("jc,runde,carl-stellvertreter,Carl Stellvertreter,Vertretung,1,2026-01-01,,"))
        // An office whose seat nobody holds says so in the HTML; the holders stand by their seat.
        let html = String(decoding: try await report(w, Self.day(3, 1), Self.day(3, 31), .html).data, as: UTF8.self)
        #expect(
            html.contains(
                "Leitungsrunde; JC, JA-K (Vorsitz): Anna Beispiel (01.03.2026–30.06.2026); Vertretung: Carl Stellvertreter (ab 01.01.2026)"
            ))
        #expect(html.contains("niemand benannt"))
        let json = try await report(w, Self.day(3, 1), Self.day(3, 31), .json).data
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let jc = try #require((object["offices"] as? [[String: Any]])?.first { $0["office"] as? String == "jc" })
        let seat = try #require((jc["seats"] as? [[String: Any]])?.first { $0["body"] as? String == "runde" })
        let holders = try #require(seat["holders"] as? [[String: Any]])
        #expect(holders.map { $0["person"] as? String } == ["anna-beispiel", "carl-stellvertreter"])
        #expect(holders.first?["until"] as? String == "2026-06-30" && holders.last?["rank"] as? Int == 1)

        // July: Anna's seat has ended, only the deputy is listed.
        let july = String(decoding: try await report(w, Self.day(7, 1), Self.day(7, 31), .csv).data, as: UTF8.self)
        #expect(!july.contains("anna-beispiel,Anna Beispiel,Mitglied") && july.contains("carl-stellvertreter"))

        // Anna's name changes after the March report was made: the report still verifies, a new
        // one names her as she is called now.
        _ = try await w.updatePerson("anna-beispiel", PersonChange(name: "Anna Muster"), by: Self.local)
        let chain = try await w.verifyAudit()
        #expect(chain.isIntact)
        let check = try await w.checkReport(csv.data, named: "maerz.csv", chain: chain)
        guard case .matches(let stamp, _) = check else {
            Issue.record("the March report after the rename: \(check)")
            return
        }
        #expect(stamp.version == 3)
        let renamed = String(decoding: try await report(w, Self.day(3, 1), Self.day(3, 31), .csv).data, as: UTF8.self)
        #expect(renamed.contains("\r\njc,runde,anna-beispiel,Anna Muster,Mitglied,,2026-03-01,2026-06-30,,"))
        // A holder's name edited in the report is caught.
        let edited = Data(text.replacingOccurrences(of: ",Carl Stellvertreter,", with: ",Carl Anders,").utf8)
        guard case .differs = try await w.checkReport(edited, named: "e", chain: chain) else {
            Issue.record("an edited holder was not caught")
            return
        }
    }
}
