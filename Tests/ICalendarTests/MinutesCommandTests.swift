import Foundation
import Testing

/// `gremien minutes` on a synced store: render, approve (locks attendance), reopen with a reason.
struct MinutesCommandTests {
    static let templates = CalendarCommandTests.root.appendingPathComponent("templates").path

    @Test func renderApproveLockAndReopen() throws {
        let w = try AttendanceCommandTests.workspace()
        defer { w.remove() }
        let md = try w.run(["minutes", "beirat", "2026-09-01", "--templates", Self.templates])
        #expect(md.status == 0)
        #expect(md.out.hasPrefix("# Niederschrift: Beirat nach § 18d SGB II\n"))
        #expect(md.out.contains("| Stand | Entwurf |"))
        let odt = w.folder.appendingPathComponent("n.odt").path
        #expect(
            try w.run(["minutes", "beirat", "2026-09-01", "--templates", Self.templates, "--format", "odt"]).err
                == "Error: --format odt needs --out FILE\n")
        #expect(
            try w.run([
                "minutes", "beirat", "2026-09-01", "--templates", Self.templates, "--format", "odt", "--out", odt,
            ]).status == 0)
        #expect(FileManager.default.fileExists(atPath: odt))

        #expect(
            try w.run(["minutes", "approve", "beirat", "2026-09-01"]).out
                == "approved the minutes of beirat/sitzung 2026-09-01; they are locked\n")
        let locked = try w.run([
            "attendance", "record", "beirat", "2026-09-01", "--office", "jc", "--status", "present",
        ])
        #expect(locked.status == 1)
        #expect(
            locked.err
                == "Error: the minutes of beirat/sitzung 2026-09-01 are approved and locked; reopen them first: gremien minutes reopen beirat 2026-09-01 --reason TEXT\n"
        )
        #expect(
            try w.run(["minutes", "beirat", "2026-09-01", "--templates", Self.templates]).out.contains(
                "| Stand | genehmigt am "))
        #expect(
            try w.run(["minutes", "reopen", "beirat", "2026-09-01", "--reason", " "]).err
                == "Error: --reason must not be empty\n")
        #expect(
            try w.run(["minutes", "reopen", "beirat", "2026-09-01", "--reason", "Anwesenheit korrigiert"]).status == 0)
        #expect(
            try w.run(["attendance", "record", "beirat", "2026-09-01", "--office", "jc", "--status", "present"]).status
                == 0)
        #expect(
            try w.run(["minutes", "beirat", "2026-09-01", "--templates", Self.templates]).out
                .contains("| Stand | Entwurf (wieder geöffnet: Anwesenheit korrigiert) |"))
        #expect(
            try w.run(["minutes", "reopen", "beirat", "2026-09-01", "--reason", "x"]).err
                == "Error: the minutes of beirat/sitzung 2026-09-01 are a draft; only approved minutes are reopened\n")
    }
}
