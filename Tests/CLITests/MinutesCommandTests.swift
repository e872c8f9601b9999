import Foundation
import Testing

/// `gremien minutes` on a synced store: render, approve (locks attendance), reopen with a reason.
struct MinutesCommandTests {
    static let templates = CalendarCommandTests.root.appendingPathComponent("templates").path

    @Test func renderApproveLockAndReopen() async throws {
        let w = try await AttendanceCommandTests.workspace()
        defer { w.remove() }
        let md = await w.run(["minutes", "beirat", "2026-09-01", "--templates", Self.templates])
        #expect(md.status == 0)
        #expect(md.out.hasPrefix("# Niederschrift: Beirat nach §\u{00A0}18d SGB II\n"))  // never broken after §
        #expect(md.out.contains("| Stand | Entwurf |"))
        let odt = w.folder.appendingPathComponent("n.odt").path
        #expect(
            await w.run(["minutes", "beirat", "2026-09-01", "--templates", Self.templates, "--format", "odt"]).err
                == "Error: --format odt needs --out FILE\n")
        #expect(
            await w.run([
                "minutes", "beirat", "2026-09-01", "--templates", Self.templates, "--format", "odt", "--out", odt,
            ]).status == 0)
        #expect(FileManager.default.fileExists(atPath: odt))

        let approved = await w.run(["minutes", "approve", "beirat", "2026-09-01"]).out
        #expect(approved.hasPrefix("approved the minutes of beirat/sitzung 2026-09-01 as version 1 (sha256 "))
        #expect(approved.hasSuffix("); they are locked\n"))
        let locked = await w.run([
            "attendance", "record", "beirat", "2026-09-01", "--office", "jc", "--status", "present",
        ])
        #expect(locked.status == 1)
        #expect(
            locked.err
                == "Error: the minutes of beirat/sitzung 2026-09-01 are approved and locked; reopen them first: gremien minutes reopen beirat 2026-09-01 --reason TEXT\n"
        )
        #expect(
            await w.run(["minutes", "beirat", "2026-09-01", "--templates", Self.templates]).out.contains(
                "| Stand | genehmigt am "))
        #expect(
            await w.run(["minutes", "reopen", "beirat", "2026-09-01", "--reason", " "]).err
                == "Error: --reason must not be empty\n")
        #expect(
            await w.run(["minutes", "reopen", "beirat", "2026-09-01", "--reason", "Anwesenheit korrigiert"]).status == 0
        )
        #expect(
            await w.run(["attendance", "record", "beirat", "2026-09-01", "--office", "jc", "--status", "present"])
                .status
                == 0)
        #expect(
            await w.run(["minutes", "beirat", "2026-09-01", "--templates", Self.templates]).out
                .contains("| Stand | Entwurf (wieder geöffnet: Anwesenheit korrigiert) |"))
        #expect(
            await w.run(["minutes", "reopen", "beirat", "2026-09-01", "--reason", "x"]).err
                == "Error: the minutes of beirat/sitzung 2026-09-01 are a draft; only approved minutes are reopened\n")
    }

    @Test func agendaAndActionItemsCarryOver() async throws {
        let w = try await AttendanceCommandTests.workspace()
        defer { w.remove() }
        #expect(await w.run(["agenda", "add", "beirat", "2026-09-01", "Haushalt 2027"]).status == 0)
        // 2026-05-01 is a planned date of the beirat, cancelled (Tag der Arbeit): nothing was agreed in it.
        let cancelled = await w.run([
            "action", "add", "beirat", "2026-05-01", "Bericht vorlegen", "--office", "jc", "--due", "2026-08-15",
        ])
        #expect(cancelled.status == 1)
        #expect(cancelled.err == "Error: beirat of 2026-05-01 was cancelled; no action items were agreed in it\n")
        #expect(await w.run(["action", "list", "beirat"]).out.isEmpty)
        let add = await w.run(["action", "add", "runde", "2026-03-02", "Raumplanung klären", "--office", "ja-k"])
        #expect(add.out == "action item 1 for ja-k: Raumplanung klären\n")
        let wrong = await w.run(["action", "add", "runde", "2026-03-02", "x", "--office", "aa"])
        #expect(wrong.err == "Error: office aa is not a member of runde; members: jc, ja-k\n")
        let later = await w.run(["minutes", "runde", "2026-03-23", "--templates", Self.templates]).out
        #expect(later.contains("- [1] Raumplanung klären – zuständig: JA-K, vereinbart am 02.03.2026, Frist: –"))
        #expect(await w.run(["action", "done", "1"]).out == "action item 1 done\n")
        #expect(
            await w.run(["action", "done", "1"]).err
                == "Error: the store refused the change: there is no open action item 1\n")
        let beirat = await w.run(["minutes", "beirat", "2026-09-01", "--templates", Self.templates]).out
        #expect(beirat.contains("1. Haushalt 2027\n"))
        #expect(await w.run(["action", "list", "runde"]).out.hasPrefix("1\t2026-03-02\tja-k\t-\tdone "))
    }
}
