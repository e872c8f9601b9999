import Coordination
import Definitions
import Foundation
import GremienTestSupport
import ICalendar
import Platform
import Testing

/// Broken definitions and the exact diagnostics a coordinator gets: file, line, field, message.
@Suite struct InvalidDefinitionsTests {
    static func diagnostics(_ folder: String) throws -> [String] {
        let fixtures = TestDistrict.fixtures + "/\(folder)"
        let report = DefinitionsLoader(directory: fixtures, zone: { try? SystemTimeZones.rules(for: $0) }).load()
        #expect(report.validDistrict == nil)
        return report.diagnostics.map { $0.description.replacingOccurrences(of: fixtures + "/", with: "") }
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let expected = [
            "bodies/a.yaml:4: chair: unknown office 'xx'; known offices: jc, soza",
            "bodies/a.yaml:9: members[1].office: unknown office 'nope'; known offices: jc, soza",
            "bodies/a.yaml:13: members[2].from: 2025-06-01 is before the body exists (valid_from 2026-01-01)",
            "bodies/b.yaml:6: valid_until: 2026-01-31 is before valid_from 2026-06-01; the end must not come before the start",
            "bodies/b.yaml:12: series[0].start: 2026-06-09 is after the body ends (valid_until 2026-01-31)",
            "bodies/b.yaml:14: series[0].rrule: RRULE BYDAY=2XX is not valid; allowed: comma-separated MO, TU, WE, TH, FR, SA, SU, each optionally numbered -5 to -1 or 1 to 5 (2TU, -1TH)",
            "bodies/b.yaml:18: series[1].start: 2026-06-09 is after the body ends (valid_until 2026-01-31)",
            "bodies/b.yaml:20: series[1].time_zone: unknown time zone 'Europe/Dueren'; use an IANA name such as Europe/Berlin",
            "bodies/b.yaml:24: series[2].start: 2026-06-09 is after the body ends (valid_until 2026-01-31)",
            "bodies/b.yaml:28: series[2].loction: unknown field; allowed: id, title, start, duration, time_zone, rrule, location, kind, holidays, updated, sequence, exceptions, agenda, effective_from",
            "bodies/b.yaml:31: series[2].exceptions[0]: 2026-06-10 is not a date of this series (start 2026-06-09T14:00:00, rrule FREQ=WEEKLY;BYDAY=TU)",
            "bodies/c.yaml:1: id: duplicate body id 'a'; also used in bodies/a.yaml:1",
            "bodies/d.yaml:3: file: not valid YAML: did not find expected ',' or ']' while parsing a flow sequence",
            "bodies/e.yaml:1: document: expected a mapping of fields (key: value)",
            "offices.yaml:10: offices[2].id: duplicate office id 'jc'; first used on line 2",
            "offices.yaml:13: offices[2].administration: 'inside' is not allowed; allowed: district, external",
        ]
        let found = try Self.diagnostics("invalid")
        #expect(found == expected)
    }

    @Test func missingFolderAndFiles() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("gremien-empty-\(getpid())")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let report = DefinitionsLoader(directory: empty.path, zone: { _ in nil }).load()
        #expect(
            report.diagnostics.map { String($0.description.dropFirst(empty.path.count + 1)) } == [
                "bodies:1: folder: missing; put one file per body in bodies/",
                "district.yaml:1: file: missing; every calendars/ folder needs district.yaml",
                "offices.yaml:1: file: missing; list the offices in offices.yaml",
            ])
        let none = DefinitionsLoader(directory: empty.path + "/nowhere", zone: { _ in nil }).load()
        #expect(none.diagnostics.map(\.field) == ["folder"])
    }
}

/// Hardening (issue 12): keys that are not text are refused before anything hashes them.
@Suite struct YAMLKeyHardeningTests {
    /// A copy of the test district with one more body file.
    static func folder(with body: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gremien-yaml-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: TestDistrict.calendars), to: folder)
        try body.write(to: folder.appendingPathComponent("bodies/alias.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    static func load(_ folder: URL) -> [String] {
        DefinitionsLoader(directory: folder.path, zone: TestDistrict.zones).load().diagnostics.map {
            $0.description.replacingOccurrences(of: folder.path + "/", with: "")
        }
    }

    /// 381 bytes of nested aliases used as keys kept `validate` busy for minutes (Yams hashes
    /// every expanded key to find duplicates); now the file is refused at the first such key.
    @Test func nestedAliasesAsKeysAreRefusedAtOnce() throws {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x]\n"
        for level in 1...12 {
            let previous = "*a\(level - 1)"
            yaml += "a\(level): &a\(level) {? \(previous) : 1, ? [\(previous), \(previous)] : 2}\n"
        }
        let folder = try Self.folder(with: yaml)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(
            Self.load(folder) == ["bodies/alias.yaml:2: file: a field name must be plain text, not an alias (*name)"])
    }

    @Test func listAndMappingKeysAreNamed() throws {
        let list = try Self.folder(with: "id: x\n? [a, b]\n: 1\n")
        defer { try? FileManager.default.removeItem(at: list) }
        #expect(Self.load(list) == ["bodies/alias.yaml:2: file: a field name must be plain text, not a list"])
        let mapping = try Self.folder(with: "id: x\nseries:\n  - ? {a: 1}\n    : 2\n")
        defer { try? FileManager.default.removeItem(at: mapping) }
        #expect(Self.load(mapping) == ["bodies/alias.yaml:3: file: a field name must be plain text, not a mapping"])
    }

    /// Aliases as values stay allowed: a shared list of members is ordinary YAML.
    @Test func aliasesAsValuesStayAllowed() throws {
        let folder = try Self.folder(with: "a: &x [1, 2]\nb: *x\nc: {d: *x}\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let found = Self.load(folder)
        #expect(!found.isEmpty && !found.contains { $0.contains("plain text") })
    }
}

/// Hardening (issue 12): control characters written as YAML escapes ("\x01") reached feeds and minutes.
@Suite struct YAMLControlCharacterTests {
    @Test func aControlCharacterInATextFieldIsNamed() throws {
        let yaml = SeriesRuleBoundsTests.body(
            name: "\"Extra\\x01runde\"", rrule: "FREQ=WEEKLY",
            more: "    agenda: [\"Begrüßung\", \"Haushalt\\u0007\"]\n")
        let folder = try YAMLKeyHardeningTests.folder(with: yaml)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(
            YAMLKeyHardeningTests.load(folder) == [
                "bodies/alias.yaml:2: name: contains the control character U+0001 (character 6); remove it",
                "bodies/alias.yaml:15: series[0].agenda[1]: contains the control character U+0007 (character 9); remove it",
            ])
    }
}

/// Hardening (issue 12): a series' rule could make unbounded work (FREQ=SECONDLY;COUNT=10000000
/// passed validate; generate then took 40 s and 650 MB).
@Suite struct SeriesRuleBoundsTests {
    /// A body file with one series; `more` adds lines to the series.
    static func body(name: String = "Extrarunde", rrule: String, more: String = "") -> String {
        """
        id: extra
        name: \(name)
        kind: Runde
        chair: jc
        members:
          - office: jc
            role: chair
        series:
          - id: s
            start: 2026-01-05T10:00
            duration: 60
            rrule: \(rrule)
            kind: Austausch
            updated: 2025-12-15T10:30:00Z
        \(more)
        """
    }

    @Test(arguments: [
        (
            "FREQ=SECONDLY;COUNT=1000000",
            "FREQ=SECONDLY is not allowed for a series: a body meets at most once a day; use DAILY, WEEKLY, MONTHLY or YEARLY"
        ),
        (
            "FREQ=HOURLY",
            "FREQ=HOURLY is not allowed for a series: a body meets at most once a day; use DAILY, WEEKLY, MONTHLY or YEARLY"
        ),
        ("FREQ=DAILY;BYHOUR=10,11,12", "BYHOUR is not allowed for a series: the time of its sessions comes from start"),
        (
            "FREQ=WEEKLY;BYMINUTE=0,30",
            "BYMINUTE is not allowed for a series: the time of its sessions comes from start"
        ),
    ])
    func subDailyRulesAreRefused(rrule: String, message: String) throws {
        let folder = try YAMLKeyHardeningTests.folder(with: Self.body(rrule: rrule))
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(YAMLKeyHardeningTests.load(folder) == ["bodies/alias.yaml:12: series[0].rrule: \(message)"])
    }

    @Test func planUntilIsBounded() throws {
        let folder = try YAMLKeyHardeningTests.folder(with: Self.body(rrule: "FREQ=DAILY"))
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("district.yaml")
        let text = try String(contentsOf: path, encoding: .utf8)
        try text.replacingOccurrences(of: "plan_until: 2026-12-31", with: "plan_until: 9999-12-31").write(
            to: path, atomically: true, encoding: .utf8)
        #expect(
            YAMLKeyHardeningTests.load(folder) == [
                "district.yaml:3: plan_until: 9999-12-31 lies too far ahead; plan at most until 2100-12-31"
            ])
    }
}

/// Invitations (issue 17): a body's Ladungsfrist and an office's mailbox are read and checked.
@Suite struct InvitationDefinitionsTests {
    @Test func invitationDaysAndMailboxes() throws {
        let yaml = SeriesRuleBoundsTests.body(rrule: "FREQ=WEEKLY").replacingOccurrences(
            of: "chair: jc\n", with: "chair: jc\ninvitation_days: 14\n")
        let folder = try YAMLKeyHardeningTests.folder(with: yaml)
        defer { try? FileManager.default.removeItem(at: folder) }
        let loaded = DefinitionsLoader(directory: folder.path, zone: TestDistrict.zones).load()
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.district?.body("extra")?.ladungDays == 14)
        #expect(loaded.district?.body("runde")?.ladungDays == 7)

        let bad = yaml.replacingOccurrences(of: "invitation_days: 14", with: "invitation_days: 120")
        try bad.write(to: folder.appendingPathComponent("bodies/alias.yaml"), atomically: true, encoding: .utf8)
        let offices = folder.appendingPathComponent("offices.yaml")
        let text = try String(contentsOf: offices, encoding: .utf8)
        let withMailbox = text.replacingOccurrences(
            of: "  - id: jc\n", with: "  - id: jc\n    mailbox: jobcenter at kreis.example\n")
        #expect(withMailbox != text)
        try withMailbox.write(to: offices, atomically: true, encoding: .utf8)
        let problems = YAMLKeyHardeningTests.load(folder)
        #expect(problems.contains("bodies/alias.yaml:5: invitation_days: '120' is not a whole number from 0 to 90"))
        #expect(
            problems.contains {
                $0.hasPrefix("offices.yaml:")
                    && $0.hasSuffix(
                        "mailbox: 'jobcenter at kreis.example' is not an e-mail address (write it as amt56-gremien@kreis.example)"
                    )
            }, "\(problems)")
    }
}

/// OParl (issue 19): `public:` is read; anything but true or false is named.
@Suite struct PublicBodyDefinitionsTests {
    @Test func publicIsAFlag() throws {
        let yaml = SeriesRuleBoundsTests.body(rrule: "FREQ=WEEKLY").replacingOccurrences(
            of: "chair: jc\n", with: "chair: jc\npublic: true\n")
        let folder = try YAMLKeyHardeningTests.folder(with: yaml)
        defer { try? FileManager.default.removeItem(at: folder) }
        let loaded = DefinitionsLoader(directory: folder.path, zone: TestDistrict.zones).load()
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.district?.body("extra")?.isPublic == true)
        #expect(loaded.district?.body("runde")?.isPublic == false)
        try yaml.replacingOccurrences(of: "public: true", with: "public: vielleicht").write(
            to: folder.appendingPathComponent("bodies/alias.yaml"), atomically: true, encoding: .utf8)
        #expect(
            YAMLKeyHardeningTests.load(folder) == [
                "bodies/alias.yaml:5: public: 'vielleicht' is neither true nor false"
            ])
    }
}
