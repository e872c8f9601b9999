import Foundation
import GremienTestSupport
import Storage
import Testing

/// Points of the hardening review (issue 12), each pinned by its own test with the exact message.
@Suite struct HardeningRegressionTests {
    /// `audit verify` on a mistyped path said "chain intact" and left an empty store there.
    @Test func auditVerifyOnAMistypedPathCreatesNoStore() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gremien-typo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("gremein.sqlite").path
        let run = await CommandLineTests.inProcess(["audit", "verify", "--store", "sqlite:" + path])
        #expect(run.status == 1)
        #expect(run.err == "Error: the store sqlite:\(path) holds no definitions yet; run: gremien sync --apply\n")
        #expect(!FileManager.default.fileExists(atPath: path))
        let report = await CommandLineTests.inProcess([
            "report", "participation", "--from", "2026-01-01", "--to", "2026-12-31", "--store", "sqlite:" + path,
        ])
        #expect(report.status == 1 && !FileManager.default.fileExists(atPath: path))
    }

    /// The CSV import took a duplicate header column (the first one counted).
    @Test func attendanceImportRefusesADuplicateColumn() async throws {
        let w = try await AttendanceCommandTests.workspace()
        defer { w.remove() }
        let csv = w.folder.appendingPathComponent("doppelt.csv")
        try "body,date,office,status,status\nbeirat,2026-09-01,jc,present,absent\n".write(
            to: csv, atomically: true, encoding: .utf8)
        let run = await w.run(["attendance", "import", csv.path])
        #expect(run.status == 1)
        #expect(run.err == "Error: \(csv.path):1: column status appears twice; each column once\n")
        #expect(await w.run(["attendance", "show", "beirat", "2026-09-01"]).out.contains("(not recorded)"))
    }

    /// `14:05:30` was taken as HH:MM.
    @Test func attendanceTimesAreHoursAndMinutesOnly() async throws {
        let w = try await AttendanceCommandTests.workspace()
        defer { w.remove() }
        let run = await w.run([
            "attendance", "record", "beirat", "2026-09-01", "--office", "jc", "--status", "present", "--arrival",
            "14:05:30",
        ])
        #expect(run.status == 1)
        #expect(run.err == "Error: arrival '14:05:30' is not a time; write HH:MM, e.g. 14:05\n")
    }

    /// `token issue --expires` took a past date.
    @Test func tokenIssueRefusesAnExpiryInThePast() async throws {
        let w = try await AttendanceCommandTests.workspace()
        defer { w.remove() }
        let run = await w.run([
            "token", "issue", "--person", "Anna Beispiel", "--kind", "feed", "--expires", "2020-01-31",
        ])
        #expect(run.status == 1)
        #expect(run.err == "Error: the last day 2020-01-31 of the token lies in the past; give today or a later day\n")
        #expect(await w.run(["token", "list"]).out.split(separator: "\n").count == 1)
    }

    /// Control characters were taken from the command line and from CSV imports.
    @Test func controlCharactersAreRefusedInArgumentsAndImports() async throws {
        let w = try await AttendanceCommandTests.workspace()
        defer { w.remove() }
        let cancel = await w.run(["session", "cancel", "beirat", "2026-09-01", "--reason", "Grippe\u{1}welle"])
        #expect(cancel.status == 1)
        #expect(
            cancel.err
                == "Error: argument 6 (after --reason) contains the control character U+0001 (character 7); remove it\n"
        )
        let csv = w.folder.appendingPathComponent("steuer.csv")
        try "body,date,office,person,status\nbeirat,2026-09-01,jc,Anna\u{7}Beispiel,present\n".write(
            to: csv, atomically: true, encoding: .utf8)
        let imported = await w.run(["attendance", "import", csv.path])
        #expect(imported.status == 1)
        #expect(
            imported.err.contains(
                "\(csv.path):2: person contains the control character U+0007 (character 5); remove it\n"))
        #expect(
            await w.run(["attendance", "show", "beirat", "2026-09-01"]).out.contains("jc      Vorsitz   (not recorded)")
        )
        let listed = await w.run(["sessions", "--from", "2026-09-01", "--to", "2026-09-02"])
        #expect(listed.out.contains("scheduled") && !listed.out.contains("cancelled"))
    }

    /// The CSV import counted a row, not a line: after a multi-line cell every message named the wrong line.
    @Test func csvMessagesNameThePhysicalLineAfterAMultiLineCell() async throws {
        let w = try await AttendanceCommandTests.workspace()
        defer { w.remove() }
        let csv = w.folder.appendingPathComponent("mehrzeilig.csv")
        try
            "body,date,office,person,status\nbeirat,2026-09-01,jc,\"Anna\nBeispiel\",present\nbeirat,2026-09-01,xx,,present\n"
            .write(
                to: csv, atomically: true, encoding: .utf8)
        let run = await w.run(["attendance", "import", csv.path])
        #expect(run.status == 1)
        #expect(run.err.contains("\(csv.path):2: person contains a line break (character 5); remove it\n"))
        #expect(run.err.contains("\(csv.path):4: "), "\(run.err)")
    }

    /// An error once echoed a token's hash; no message of the token commands names one.
    @Test func noMessageNamesATokensHash() async throws {
        let w = try await AttendanceCommandTests.workspace()
        defer { w.remove() }
        let issued = await w.run(["token", "issue", "--person", "Anna Beispiel", "--kind", "api", "--role", "admin"])
        let secret = issued.out.trimmingCharacters(in: .whitespacesAndNewlines)
        let hash = TokenSecret.hash(secret)
        let id = try #require(issued.err.split(separator: " ").dropFirst().first.map(String.init))
        var said = issued.err
        for arguments in [
            ["token", "revoke", id], ["token", "revoke", id], ["token", "list"],
            ["token", "issue", "--person", "Niemand", "--kind", "feed"], ["audit", "verify"],
        ] {
            let run = await w.run(arguments)
            said += run.out + run.err
        }
        #expect(said.contains("there is no active token \(id)"))
        #expect(!said.contains(hash) && !said.contains(hash.prefix(16)))
    }
}
