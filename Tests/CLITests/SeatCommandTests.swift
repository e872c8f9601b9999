import Foundation
import Testing

/// `gremien person` and `gremien seat` on a synced store (issue 15).
@Suite struct SeatCommandTests {
    @Test func peopleAndSeatsFromTheCommandLine() async throws {
        let w = try SessionCommandTests.Workspace()
        defer { w.remove() }
        let added = await w.run([
            "person", "add", "Anna Beispiel", "--office", "jc", "--level", "SGL", "--email", "anna@kreis.example",
        ])
        #expect(added.out == "anna-beispiel\n" && added.status == 0)
        // Regression: adding the same name again moved the record to the other office.
        let again = await w.run(["person", "add", "Anna Beispiel", "--office", "ja-k", "--level", "TL"])
        #expect(again.out == "anna-beispiel-2\n")
        let bad = await w.run(["person", "add", "X", "--office", "jc", "--level", "TL", "--email", "x@"])
        #expect(bad.status == 1 && bad.err == "Error: 'x@' is not an e-mail address (name@example.org)\n")
        let listed = await w.run(["person", "list", "--format", "json"])
        let people = try #require(JSONSerialization.jsonObject(with: Data(listed.out.utf8)) as? [[String: Any]])
        #expect(people.map { $0["id"] as? String } == ["anna-beispiel", "anna-beispiel-2"])
        #expect(people.map { $0["office"] as? String } == ["jc", "ja-k"])
        #expect(people.first?["email"] as? String == "anna@kreis.example")
        #expect(people.allSatisfy { Set($0.keys) == ["id", "name", "office", "level", "email", "until"] })

        let seat = await w.run([
            "seat", "assign", "runde", "--office", "jc", "--person", "anna-beispiel", "--from", "2026-03-01",
        ])
        #expect(seat.out == "1\n" && seat.status == 0)
        let ambiguous = await w.run(["seat", "assign", "runde", "--office", "jc", "--person", "Anna Beispiel"])
        #expect(
            ambiguous.err
                == "Error: 2 people are named Anna Beispiel (ids anna-beispiel, anna-beispiel-2); name one by its id\n")
        let deputy = await w.run([
            "seat", "assign", "runde", "--office", "ja-k", "--person", "anna-beispiel-2", "--deputy", "--from",
            "2026-03-01",
        ])
        #expect(deputy.out == "2\n")
        let seats = try #require(
            JSONSerialization.jsonObject(
                with: Data(await w.run(["seat", "list", "runde", "--format", "json"]).out.utf8))
                as? [[String: Any]])
        #expect(
            seats.map { "\($0["person"] ?? "") \($0["role"] ?? "") \($0["rank"] ?? "")" } == [
                "anna-beispiel-2 deputy 1", "anna-beispiel regular 0",  // by office, then rank
            ])
        let ended = await w.run(["seat", "end", "1", "--on", "2026-06-30"])
        #expect(ended.out == "seat 1 of anna-beispiel in runde ends on 2026-06-30\n")
        #expect(
            await w.run(["seat", "end", "1", "--on", "2026-06-30"]).err == "Error: seat 1 ended on 2026-06-30 already\n"
        )
        #expect(
            await w.run(["seat", "end", "9"]).err == "Error: there is no seat 9; list them with: gremien seat list\n")
        let left = await w.run(["person", "update", "anna-beispiel-2", "--until", "2026-12-31"])
        #expect(left.out == "updated anna-beispiel-2: Anna Beispiel (ja-k, TL), last day 2026-12-31\n")
        let after = await w.run(["seat", "list", "runde"])
        #expect(
            after.out.contains("2  runde  ja-k  anna-beispiel-2 (Anna Beispiel)  deputy 1  2026-03-01 to 2026-12-31\n"))

        // Seats and people are in the event log: `audit verify` counts the seats, and a seat or a
        // person changed behind gremien's back is named.
        let clean = await w.run(["audit", "verify"])
        #expect(clean.status == 0 && clean.out.contains(", 2 seats\n"), "\(clean.err)")
        let db = w.database
        for (sql, message) in [
            (
                "UPDATE seat SET validUntil = NULL WHERE id = 1",
                "(seat 1) the seat table says anna-beispiel regular for jc in runde, 2026-03-01…open, the log says anna-beispiel regular for jc in runde, 2026-03-01…2026-06-30"
            ),
            (
                "UPDATE person SET office = 'jc' WHERE id = 'anna-beispiel-2'",
                "(person anna-beispiel-2) the store says Anna Beispiel, jc, TL, no e-mail, until 2026-12-31, the log says Anna Beispiel, ja-k, TL, no e-mail, until 2026-12-31"
            ),
        ] {
            let copy = w.folder.appendingPathComponent("copy.sqlite").path
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: db, toPath: copy)
            let changed = try CommandLineTests.program("sqlite3", [copy, sql])
            #expect(changed.status == 0, "\(changed.err)")
            let tampered = await CommandLineTests.inProcess(["audit", "verify", "--store", "sqlite:" + copy])
            #expect(tampered.status == 1 && tampered.err.contains(message), "\(tampered.err)")
        }
    }
}
