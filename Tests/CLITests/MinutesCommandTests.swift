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

/// Minutes written, approved, reopened and approved again from the command line; the frozen
/// versions are checked by `audit verify`, also against a change made behind gremien's back.
@Suite struct MinutesRecordCommandTests {
    static let templates = MinutesCommandTests.templates

    @Test func writeVoteApproveReopenAndAFrozenVersionChangedBehindTheToolsBack() async throws {
        let w = try await AttendanceCommandTests.workspace()
        defer { w.remove() }
        let session = ["beirat", "2026-09-01"]
        #expect(await w.run(["agenda", "add"] + session + ["Haushalt 2027"]).status == 0)
        #expect(await w.run(["agenda", "add"] + session + ["Verschiedenes"]).status == 0)
        #expect(await w.run(["agenda", "add"] + session + ["Bericht der AG nach § 78 SGB VIII"]).status == 0)
        let listed = await w.run(["agenda", "list"] + session).out
        #expect(
            listed
                == "1. Haushalt 2027  [id 1]\n2. Bericht der AG nach § 78 SGB VIII  [id 3]\n3. Verschiedenes  [id 2]\n")
        let written = await w.run(
            ["minutes", "write"] + session + [
                "--began", "15:05", "--ended", "16:40", "--minute-taker", "Paula Protokoll", "--item", "1",
                "--discussion", "Der Entwurf wird vorgestellt.", "--results", "Empfehlung mit einer Änderung.",
            ])
        // Revision 4: the three agenda changes came first.
        #expect(written.out == "wrote the minutes of beirat/sitzung 2026-09-01 (revision 4)\n", "\(written.err)")
        let bad = await w.run(["minutes", "write"] + session + ["--began", "3 Uhr"])
        #expect(bad.status == 1 && bad.err == "Error: the begin '3 Uhr' is not a time HH:MM\n")
        let vote = await w.run(
            ["minutes", "vote"] + session + [
                "--item", "1", "--subject", "Empfehlung", "--yes", "2", "--no", "0", "--abstentions", "1", "--quorum",
                "held",
            ])
        #expect(vote.out == "vote recorded under item 1: angenommen (revision 5)\n", "\(vote.err)")
        #expect(
            await w.run(["action", "add"] + session + ["Änderung einarbeiten", "--office", "jc", "--item", "1"]).status
                == 0)
        let approved = await w.run(["minutes", "approve"] + session)
        #expect(approved.status == 0, "\(approved.err)")
        let locked = await w.run(["minutes", "write"] + session + ["--minute-taker", "X"])
        #expect(
            locked.err
                == "Error: the minutes of beirat of 2026-09-01 are approved; reopen them to change anything in them\n")
        #expect(await w.run(["minutes", "reopen"] + session + ["--reason", "Abstimmung ergänzt"]).status == 0)
        #expect(
            await w.run(
                ["minutes", "vote"] + session + ["--item", "3", "--subject", "Bericht", "--yes", "1", "--no", "2"]
            ).status == 0)
        #expect(await w.run(["minutes", "approve"] + session).status == 0)
        let versions = await w.run(["minutes", "versions"] + session).out.split(separator: "\n")
        #expect(versions.count == 2 && versions[1].hasPrefix("version 2: approved "))
        let first = await w.run(["minutes"] + session + ["--templates", Self.templates, "--version", "1"]).out
        #expect(first.contains("| Stand | genehmigt am ") && first.contains("(Fassung 1) |"))
        #expect(
            first.contains("| 1 | Empfehlung | 2 | 0 | 1 | ja | angenommen |") && !first.contains("Bericht | 1 | 2"))
        let current = await w.run(["minutes"] + session + ["--templates", Self.templates]).out
        #expect(current.contains("| 2 | Bericht | 1 | 2 | 0 | nicht festgestellt | abgelehnt |"))
        #expect(current.contains("| 1 | 1 | Änderung einarbeiten | JC | – |"))
        let clean = await w.run(["audit", "verify"])
        #expect(clean.status == 0, "\(clean.err)")

        // Version 1 changed with the sqlite3 tool: audit verify names it.
        let db = w.database
        let sql = try CommandLineTests.program(
            "sqlite3",
            [
                db,
                "UPDATE minutesVersion SET content = replace(content, 'Empfehlung mit', 'Ablehnung mit') WHERE number = 1",
            ])
        #expect(sql.status == 0, "\(sql.err)")
        let tampered = await w.run(["audit", "verify"])
        #expect(tampered.status == 1)
        #expect(
            tampered.err.contains(
                "(minutes beirat/sitzung 2026-09-01 version 1) the frozen content was changed: it hashes to "),
            "\(tampered.err)")
        // The live content changed behind the tool's back is named too.
        _ = try CommandLineTests.program(
            "sqlite3",
            [
                db,
                "UPDATE minutesVersion SET content = replace(content, 'Ablehnung mit', 'Empfehlung mit') WHERE number = 1",
            ])
        #expect(await w.run(["audit", "verify"]).status == 0)
        _ = try CommandLineTests.program(
            "sqlite3", [db, "UPDATE minutesRecord SET content = replace(content, 'Paula', 'Petra')"])
        let live = await w.run(["audit", "verify"])
        #expect(live.status == 1 && live.err.contains("(minutes-content beirat/sitzung 2026-09-01) the store holds"))
    }
}
