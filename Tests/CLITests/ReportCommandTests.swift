import Foundation
import Testing

/// `gremien report participation` and `gremien audit verify` on a synced store of the small
/// fixture district (Tests/PublishingTests/Fixtures/calendars), as an auditor runs them.
struct ReportCommandTests {
    typealias Workspace = SessionCommandTests.Workspace

    /// March 2026 of the Runde (jc chair, ja-k member): sessions on 03-02, 03-16 moved to 03-18
    /// 14:00, 03-23, 03-25 (added, 60 min, Fallbesprechung) and 03-30; 03-09 cancelled.
    static func recorded() async throws -> Workspace {
        let w = try await AttendanceCommandTests.workspace()
        for args in [
            ["runde", "2026-03-02", "--office", "jc", "--person", "Anna Beispiel", "--status", "present"],
            ["runde", "2026-03-02", "--office", "ja-k", "--status", "excused"],
            ["runde", "2026-03-16", "--office", "jc", "--status", "present"],
            ["runde", "2026-03-16", "--office", "ja-k", "--status", "present", "--arrival", "14:30"],
            ["runde", "2026-03-25", "--office", "jc", "--status", "present"],
        ] {
            let r = await w.run(["attendance", "record"] + args)
            #expect(r.status == 0, "\(r.err)")
        }
        #expect(await w.run(["minutes", "approve", "runde", "2026-03-02"]).status == 0)
        return w
    }

    static let march = ["report", "participation", "--from", "2026-03-01", "--to", "2026-03-31", "--core", "jc,ja-k"]

    static func json(_ w: Workspace, _ extra: [String] = []) async throws -> [String: Any] {
        let r = await w.run(march + ["--format", "json"] + extra)
        #expect(r.status == 0, "\(r.err)")
        return try #require(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
    }

    static func figures(_ report: [String: Any]) -> [String] {
        let offices = report["offices"] as? [[String: Any]] ?? []
        return offices.map { o in
            let a = o["attendance"] as? [String: Any] ?? [:]
            let keys = ["expected", "recorded", "attended", "excused", "absent", "unrecorded", "rate"]
            return "\(o["office"] ?? "") " + keys.map { "\(a[$0] ?? "-")" }.joined(separator: "/")
                + " \(o["personHours"] ?? "-")h"
        }
    }

    @Test func figuresOfMarchWorkedOutByHand() async throws {
        let w = try await Self.recorded()
        defer { w.remove() }
        let report = try await Self.json(w)
        // jc at 03-02 (90 min), 03-18 (90), 03-25 (60): 4 h; ja-k at 03-18 from 14:30 to 15:30: 1 h.
        // Report v2: rates over the recorded sessions (ja-k: 1 of 2; jc: 3 of 3), "nicht erfasst" apart.
        #expect(
            Self.figures(report) == [
                "aa 0/0/0/0/0/0/<null> 0h", "ja-k 5/2/1/1/0/3/0.5 1h", "jc 5/3/3/0/0/2/1 4h",
            ])
        #expect(report["version"] as? Int == 3)
        // The sessions behind jc's figures, by the day they took place (03-16 was moved to 03-18).
        let jc = try #require((report["offices"] as? [[String: Any]])?.last)
        #expect(
            (jc["sessions"] as? [[String: String]])?.map { "\($0["date"] ?? "") \($0["outcome"] ?? "")" } == [
                "2026-03-02 attended", "2026-03-18 attended", "2026-03-23 unrecorded", "2026-03-25 attended",
                "2026-03-30 unrecorded",
            ])
        // Each pair once, and only with a joint held session: aa met nobody in March.
        let pairs = try #require(report["pairs"] as? [[String: Any]])
        #expect(pairs.map { "\($0["office"] ?? "")>\($0["partner"] ?? "")" } == ["jc>ja-k"])
        let all = try await Self.json(w, ["--all-pairs"])
        #expect(
            (all["pairs"] as? [[String: Any]])?.map { "\($0["office"] ?? "")>\($0["partner"] ?? "")" } == [
                "jc>ja-k", "aa>ja-k", "aa>jc",
            ])
        let jcJA = pairs[0]
        #expect(jcJA["sharedBodies"] as? [String] == ["beirat", "runde"])
        #expect(
            ["jointSessions", "officeAttended", "partnerAttended", "bothAttended"].map { jcJA[$0] as? Int } == [
                5, 3, 1, 1,
            ])
        #expect(jcJA["kinds"] as? [String] == ["Austausch", "Fallbesprechung"])
        #expect(jcJA["legalBases"] as? [String] == ["§ 18d SGB II", "§ 81 SGB VIII"])
        #expect(jcJA["agreements"] as? [String] == ["Geschäftsordnung"])
        let bodies = try #require(report["bodies"] as? [[String: Any]])
        let runde = try #require(bodies.first { $0["body"] as? String == "runde" })
        #expect(["planned", "held", "cancelled", "moved", "upcoming"].map { runde[$0] as? Int } == [6, 5, 1, 1, 0])
        #expect((runde["minutes"] as? [String: Any])?["approved"] as? Int == 1)
        #expect(report["period"] as? [String: String] == ["from": "2026-03-01", "through": "2026-03-31"])
        #expect((report["chainHead"] as? [String: Any])?["seq"] as? Int == 9 + 3 + 5 + 1)
    }

    @Test func archivedBodiesAndEndedMembershipsCountAsTheyWere() async throws {
        let w = try await Self.recorded()
        defer { w.remove() }
        let before = try await Self.json(w)
        // calendars/ changes: the Beirat is dissolved and ja-k leaves the Runde.
        let edited = w.folder.appendingPathComponent("calendars")
        try FileManager.default.copyItem(atPath: CalendarCommandTests.small, toPath: edited.path)
        try FileManager.default.removeItem(at: edited.appendingPathComponent("bodies/beirat.yaml"))
        let runde = edited.appendingPathComponent("bodies/runde.yaml")
        let text = try String(contentsOf: runde, encoding: .utf8)
        try text.replacingOccurrences(of: "  - office: ja-k\n    role: member\n", with: "").write(
            to: runde, atomically: true, encoding: .utf8)
        let sync = await w.run(["sync", "--apply", "--calendars", edited.path])
        #expect(sync.status == 0, "\(sync.err)")
        #expect(sync.out.contains("- body beirat: archived\n"))
        let after = try await Self.json(w)
        #expect(Self.figures(after) == Self.figures(before))
        let bodies = try #require(after["bodies"] as? [[String: Any]])
        #expect(bodies.map { "\($0["body"] ?? "") \($0["archived"] ?? "")" } == ["beirat 1", "runde 0"])
        // The report never reads calendars/: it still works with the folder gone.
        try FileManager.default.removeItem(at: edited)
        await #expect(Self.figures(try Self.json(w)) == Self.figures(before))
    }

    @Test func reportsVerifyLaterAndAnEditedOneIsCaught() async throws {
        let w = try await Self.recorded()
        defer { w.remove() }
        var files: [String] = []
        for (format, extra) in [("csv", []), ("csv", ["--excel"]), ("json", []), ("html", [])] {
            let path = w.folder.appendingPathComponent("r\(files.count).\(format)").path
            let r = await w.run(Self.march + ["--format", format, "--out", path] + extra)
            #expect(r.status == 0, "\(r.err)")
            #expect(r.err.contains("chain head 18 → \(path)"))
            files.append(path)
        }
        // Checked at once: the report's head is the log's last entry, whose records the check of
        // the chain keeps.
        let now = await w.run(["audit", "verify", "--report", files[2]])
        #expect(now.status == 0, "\(now.err)")
        #expect(now.out.contains("event log: 18 entries, chain intact, head 18:"))
        #expect(now.out.contains("report \(files[2]): matches the records at chain head 18"))
        // More attendance after the reports: they still match the records at their chain head.
        #expect(
            await w.run(["attendance", "record", "runde", "2026-03-23", "--office", "jc", "--status", "absent"]).status
                == 0)
        for path in files {
            let v = await w.run(["audit", "verify", "--report", path])
            #expect(v.status == 0, "\(v.err)")
            #expect(v.out.contains("report \(path): matches the records at chain head 18"))
        }
        // A figure changed by hand in the spreadsheet: caught, with the line.
        let csv = try String(contentsOfFile: files[0], encoding: .utf8)
        let edited = csv.replacingOccurrences(
            of: "\r\nja-k,JA-K,Amt 51 – Jugendamt,Leitungsrunde; JC, JA-K (Mitglied)", with: "")
        #expect(edited == csv)  // the body's name holds a comma, so the cell is quoted:
        #expect(
            csv.contains(
                "\r\nja-k,JA-K,Amt 51 – Jugendamt,\"Beirat nach § 18d SGB II (beratendes Mitglied); Leitungsrunde; JC, JA-K (Mitglied)\",5,2,1,1,0,3,0.5000,1.00"
            ))
        try csv.replacingOccurrences(of: ",5,2,1,1,0,3,0.5000,1.00", with: ",5,2,2,0,0,3,1.0000,1.00").write(
            toFile: files[0], atomically: true, encoding: .utf8)
        let v = await w.run(["audit", "verify", "--report", files[0]])
        #expect(v.status == 1)
        #expect(v.err.contains("report \(files[0]): does NOT match the records at chain head 18"))
        #expect(v.err.contains("first difference in line 11:"))
        // Not a report at all.
        let other = w.folder.appendingPathComponent("other.csv").path
        try "a,b\r\n".write(toFile: other, atomically: true, encoding: .utf8)
        let none = await w.run(["audit", "verify", "--report", other])
        #expect(none.status == 1)
        #expect(none.err.contains("\(other) is not a gremien report"))
    }

    @Test func tamperingWithTheSQLiteFileIsNamed() async throws {
        let w = try await Self.recorded()
        defer { w.remove() }
        let clean = await w.run(["audit", "verify"])
        #expect(clean.status == 0)
        #expect(clean.out.hasPrefix("event log: 18 entries, chain intact, head 18:"))
        #expect(clean.out.contains("records match the log: 5 attendance rows, 0 session changes, 1 minutes states"))
        let db = w.database
        // One attendance row changed with the sqlite3 tool, behind gremien's back.
        let sql = try CommandLineTests.program(
            "sqlite3",
            [
                db,
                "UPDATE attendance SET status = 'present' WHERE bodyId = 'runde' AND date = '2026-03-02' AND office = 'ja-k'",
            ])
        #expect(sql.status == 0, "\(sql.err)")
        let tampered = await w.run(["audit", "verify"])
        #expect(tampered.status == 1)
        // Entries 1-9 are the sync, 10-12 the three people; the ja-k row of 03-02 was the 14th entry.
        #expect(
            tampered.err.contains(
                "first mismatch: entry 14: (attendance runde/montag 2026-03-02 ja-k) the attendance table says present, the log says excused"
            ))
        // Put back, then the log itself edited: its hash no longer matches.
        _ = try CommandLineTests.program(
            "sqlite3",
            [
                db,
                "UPDATE attendance SET status = 'excused' WHERE bodyId = 'runde' AND date = '2026-03-02' AND office = 'ja-k'",
            ])
        #expect(await w.run(["audit", "verify"]).status == 0)
        _ = try CommandLineTests.program(
            "sqlite3",
            [
                db, "UPDATE event SET payload = replace(payload, 'excused', 'present') WHERE seq = 14",
            ])
        let log = await w.run(["audit", "verify"])
        #expect(log.status == 1)
        #expect(log.err.contains("entry 14: (attendance runde/montag 2026-03-02 ja-k) does not match its hash"))
    }

    @Test(arguments: [
        (["--office", "nope"], "Error: unknown office 'nope'; known offices: aa, ja-k, jc\n"),
        (["--body", "nope"], "Error: unknown body 'nope'; known bodies: beirat, runde\n"),
        (["--core", "jc,soza"], "Error: unknown office 'soza'; known offices: aa, ja-k, jc\n"),
        (["--format", "json", "--excel"], "Error: --excel applies to --format csv only\n"),
    ])
    func badRequestsAreRefused(_ extra: [String], _ message: String) async throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = await w.run(["report", "participation", "--from", "2026-03-01", "--to", "2026-03-31"] + extra)
        #expect(r.status != 0)
        #expect(r.err.hasPrefix(message))
    }

    /// A refused request with `--out` leaves the file there as it was, and no half-written one.
    @Test func aRefusedReportLeavesTheOutputFileAsItWas() async throws {
        let w = try await Self.recorded()
        defer { w.remove() }
        let folder = w.folder.appendingPathComponent("berichte")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("maerz.csv").path
        try "der Bericht vom Vormonat\n".write(toFile: path, atomically: true, encoding: .utf8)
        let refused = await w.run(Self.march + ["--office", "nope", "--out", path])
        #expect(refused.status != 0)
        #expect(refused.err.hasPrefix("Error: unknown office 'nope'"), "\(refused.err)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "der Bericht vom Vormonat\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["maerz.csv"])
        // Made again without the mistake, it replaces the file.
        let made = await w.run(Self.march + ["--out", path])
        #expect(made.status == 0, "\(made.err)")
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("Bericht,Teilnahme an Gremien"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["maerz.csv"])
        // A folder that is not there is named.
        let missing = await w.run(Self.march + ["--out", folder.appendingPathComponent("fehlt/maerz.csv").path])
        #expect(missing.status != 0)
        #expect(
            missing.err.contains("cannot write \(folder.path)/fehlt/maerz.csv: No such file or directory"),
            "\(missing.err)")
    }

    @Test func periodEndsInTheRightOrder() async throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = await w.run(["report", "participation", "--from", "2026-04-01", "--to", "2026-03-01"])
        #expect(r.status == 1)
        #expect(r.err == "Error: --from 2026-04-01 is after --to 2026-03-01\n")
    }

    /// The HTML report printed by headless Chromium (installed by scripts/test): a PDF that holds
    /// the office names and the body.
    @Test func htmlReportPrintsInChromium() async throws {
        let w = try await Self.recorded()
        defer { w.remove() }
        let html = w.folder.appendingPathComponent("report.html").path
        #expect(await w.run(Self.march + ["--format", "html", "--out", html]).status == 0)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        // No external assets: no scripts, links, images or styles from elsewhere; the only
        // address in the page is the SVG namespace.
        for foreign in ["<script", "<link", "<img", "src=", "url(", "@import"] {
            #expect(!page.contains(foreign), "\(foreign)")
        }
        let addresses = page.components(separatedBy: "http").dropFirst()
        #expect(!addresses.isEmpty && addresses.allSatisfy { $0.hasPrefix("://www.w3.org/2000/svg\"") })
        #expect(page.contains("<svg") && page.contains("Teilnahmequote je Büro"))
        let pdf = w.folder.appendingPathComponent("report.pdf").path
        let chromium = try CommandLineTests.program(
            "chromium",
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--print-to-pdf=\(pdf)", "file://\(html)",
            ])
        #expect(chromium.status == 0, "chromium: \(chromium.err.suffix(500)) (scripts/test installs chromium)")
        let text = try CommandLineTests.program("pdftotext", ["-layout", pdf, "-"])
        #expect(text.status == 0)
        for expected in ["Teilnahme an Gremien", "01.03.2026 bis 31.03.2026", "JC", "JA-K", "AA", "Leitungsrunde"] {
            #expect(text.out.contains(expected), "PDF lacks \(expected)")
        }
        #expect(text.out.contains("100,0 %") && text.out.contains("50,0 %"))  // jc: 3 of 3 recorded; ja-k: 1 of 2
        #expect(text.out.contains("nicht erfasst"))
        // On A4, and nothing cut at the right edge: the last column's heading is on the page.
        let info = try CommandLineTests.program("pdfinfo", [pdf])
        #expect(info.out.contains("(A4)"), "\(info.out)")
        let plain = text.out.replacingOccurrences(of: "\u{AD}", with: "")
        #expect(plain.contains("Vereinbarungen") && plain.contains("Geschäftsordnung"), "\(plain)")
    }
}

extension ReportCommandTests {
    static let schema = CalendarCommandTests.root.appendingPathComponent("schemas/participation-report.schema.json")

    /// Every JSON report follows the schema in the repository, and the schema is strict enough
    /// to notice a missing or an extra key.
    @Test func jsonFollowsTheDocumentedSchema() async throws {
        let w = try await Self.recorded()
        defer { w.remove() }
        #expect(
            await w.run([
                "attendance", "record", "beirat", "2026-09-01", "--office", "jc", "--status", "present",
            ]).status == 0)
        let check = JSONSchemaCheck(root: try JSONValue.parse(try Data(contentsOf: Self.schema)))
        for extra in [[], ["--office", "jc"], ["--body", "beirat"]] {
            let r = await w.run(
                [
                    "report", "participation", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json",
                ] + extra)
            #expect(r.status == 0)
            let value = try JSONValue.parse(Data(r.out.utf8))
            #expect(check.violations(of: value) == [], "\(extra)")
            guard case .object(var object) = value else { continue }
            object["surprise"] = .integer(1)
            object["period"] = nil
            #expect(check.violations(of: .object(object)) == ["$: missing period", "$: unexpected property surprise"])
        }
    }
}
