import Foundation
import Testing

/// `gremien person` and `gremien attendance` on a synced store of the small fixture district.
struct AttendanceCommandTests {
    static func workspace() async throws -> SessionCommandTests.Workspace {
        let w = try SessionCommandTests.Workspace()
        for (name, office, level) in [
            ("Anna Beispiel", "jc", "AL"), ("Ben Vertreter", "aa", "SGL"), ("Carla Muster", "aa", "AL"),
        ] {
            #expect(await w.run(["person", "add", name, "--office", office, "--level", level]).status == 0)
        }
        return w
    }

    @Test func recordShowAndQuorum() async throws {
        let w = try await Self.workspace()
        defer { w.remove() }
        #expect(
            await w.run([
                "attendance", "record", "beirat", "2026-09-01", "--office", "jc", "--person", "Anna Beispiel",
                "--status", "present", "--arrival", "14:58",
            ]).status == 0)
        let show1 = await w.run(["attendance", "show", "beirat", "2026-09-01"])
        // Voting members on 2026-09-01: jc (chair) and aa; ja-k's advisory seat ended on 2026-06-30.
        #expect(show1.out.contains("jc      Vorsitz   present         Anna Beispiel          14:58\n"))
        #expect(show1.out.contains("aa      Mitglied  (not recorded)\n"))
        #expect(!show1.out.contains("ja-k"))
        #expect(
            show1.out.hasSuffix(
                "quorum (majority-of-voting-members): 1 of 2 voting members present or represented, 2 required: not reached\n"
            ))
        #expect(
            await w.run([
                "attendance", "record", "beirat", "2026-09-01", "--office", "aa", "--person", "Carla Muster",
                "--status",
                "represented", "--by", "Ben Vertreter",
            ]).status == 0)
        let json = await w.run(["attendance", "show", "beirat", "2026-09-01", "--format", "json"]).out
        let report = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let quorum = try #require(report["quorum"] as? [String: Any])
        #expect(quorum["reached"] as? Bool == true)
        #expect(quorum["present"] as? Int == 2)
        #expect((report["expected"] as? [[String: Any]])?.map { $0["office"] as? String } == ["jc", "aa"])
        #expect(json.contains("\"departure\" : null"))  // absent values are null, not left out
    }

    @Test(arguments: [
        (
            ["--office", "aa", "--person", "Anna Beispiel", "--status", "present"],
            "Error: Anna Beispiel works for jc, not aa\n"
        ),
        (
            ["--office", "aa", "--status", "represented", "--by", "Anna Beispiel"],
            "Error: deputy Anna Beispiel works for jc, not aa: a deputy must be of the same office\n"
        ),
        (["--office", "aa", "--status", "represented"], "Error: status represented needs the deputy (--by NAME)\n"),
        (
            ["--office", "ja-s", "--status", "present"],
            "Error: office ja-s is not a member of beirat on 2026-09-01; expected: jc, aa\n"
        ),
        (
            ["--office", "aa", "--status", "da"],
            "Error: status 'da' is not allowed; allowed: present, excused, absent, represented\n"
        ),
    ])
    func invalidRecordsAreRefused(extra: [String], message: String) async throws {
        let w = try await Self.workspace()
        defer { w.remove() }
        let run = await w.run(["attendance", "record", "beirat", "2026-09-01"] + extra)
        #expect(run.status == 1)
        #expect(run.err == message)
        #expect(
            await w.run(["attendance", "show", "beirat", "2026-09-01"]).out.contains("aa      Mitglied  (not recorded)")
        )
    }

    @Test func importIsAllOrNothing() async throws {
        let w = try await Self.workspace()
        defer { w.remove() }
        let csv = w.folder.appendingPathComponent("liste.csv")
        try Data(
            """
            body;date;office;person;status;by;arrival;departure
            beirat;2026-09-01;jc;Anna Beispiel;present;;15:00;17:00
            beirat;2026-09-01;aa;Carla Muster;represented;Anna Beispiel;;
            beirat;2026-09-02;aa;;present;;;

            """.utf8
        ).write(to: csv)
        let bad = await w.run(["attendance", "import", csv.path])
        #expect(bad.status == 1)
        #expect(
            bad.err == """
                \(csv.path):3: deputy Anna Beispiel works for jc, not aa: a deputy must be of the same office
                \(csv.path):4: beirat has no session planned on 2026-09-02; nearest: 2026-09-01
                Error: 2 of 3 row(s) are not valid; nothing was imported

                """)
        #expect(
            await w.run(["attendance", "show", "beirat", "2026-09-01"]).out.contains("jc      Vorsitz   (not recorded)")
        )
        try Data(
            """
            body,date,office,person,status,by,arrival,departure
            beirat , 2026-09-01,jc\t,Anna Beispiel\u{A0},present,,15:00,17:00
            beirat,2026-09-01,aa,Carla Muster,represented,Ben Vertreter,,

            """.utf8
        ).write(to: csv)
        // A quote that is not doubled: the line is named, nothing is imported.
        let malformed = w.folder.appendingPathComponent("kaputt.csv")
        try Data("body,date,office,status\nbeirat,2026-09-01,jc,present\nbeirat,\"2026-09-01\"x,aa,present\n".utf8)
            .write(to: malformed)
        let refused = await w.run(["attendance", "import", malformed.path])
        #expect(refused.status == 1)
        #expect(
            refused.err
                == "Error: \(malformed.path):3: not valid CSV: a quote in a quoted cell must be doubled (\"\"), or the cell must end after its closing quote\n"
        )
        #expect(
            await w.run(["attendance", "show", "beirat", "2026-09-01"]).out.contains("jc      Vorsitz   (not recorded)")
        )
        let empty = w.folder.appendingPathComponent("leer.csv")
        try Data().write(to: empty)
        #expect(
            await w.run(["attendance", "import", empty.path]).err
                == "Error: \(empty.path) is empty; its first line names the columns: body,date,office,person,status,by,arrival,departure\n"
        )
        let good = await w.run(["attendance", "import", csv.path])
        #expect(good.out == "imported 2 row(s) from \(csv.path)\n")
        // Cells are trimmed of spaces, tabs and other Unicode spaces (here a no-break space).
        let shown = await w.run(["attendance", "show", "beirat", "2026-09-01"]).out
        #expect(shown.contains("2 required: reached") && shown.contains("Anna Beispiel") && !shown.contains("\u{A0}"))
    }

    @Test func personRecordsAreChecked() async throws {
        let w = try await Self.workspace()
        defer { w.remove() }
        #expect(
            await w.run(["person", "add", "X", "--office", "nope", "--level", "AL"]).err.hasPrefix(
                "Error: unknown office 'nope'; known offices: "))
        #expect(
            await w.run(["person", "add", "X", "--office", "jc", "--level", "Chef"]).err
                == "Error: --level 'Chef' is not allowed; allowed: AL, SGL, TL, staff\n")
        #expect(
            await w.run(["person", "add", " ", "--office", "jc", "--level", "AL"]).err
                == "Error: the name must not be empty\n")
        #expect(
            await w.run(["person", "list"]).out
                == "anna-beispiel\tAnna Beispiel\tjc\tAL\t\nben-vertreter\tBen Vertreter\taa\tSGL\t\n"
                + "carla-muster\tCarla Muster\taa\tAL\t\n")
        #expect(
            await w.run(["agenda", "add", "runde", "2026-03-09", "x"]).err
                == "Error: runde of 2026-03-09 is cancelled; it has no agenda\n")
    }

    /// An added session (a crisis counselling talk) takes attendance like any other.
    @Test func attendanceOfAnAddedSession() async throws {
        let w = try await Self.workspace()
        defer { w.remove() }
        let run = await w.run(["attendance", "record", "runde", "2026-03-25", "--office", "jc", "--status", "present"])
        #expect(run.out == "recorded jc: present for runde/montag 2026-03-25\n")
        let show = await w.run(["attendance", "show", "runde", "2026-03-25"]).out
        #expect(show.hasPrefix("Leitungsrunde; JC, JA-K – runde/montag 2026-03-25: 2026-03-25T09:00:00+01:00 to 10:00"))
        #expect(show.contains("jc      Vorsitz   present"))
    }
}
