import Coordination
import Definitions
import Foundation
import ICalendar
import Platform
import Testing

/// The repository's `calendars/`: the Kreis Düren network of DOMAIN.md, loaded and checked.
@Suite struct ShippedCalendarsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let calendars = root.appendingPathComponent("calendars").path

    static func load() -> DefinitionsReport {
        DefinitionsLoader(directory: calendars, zone: { try? SystemTimeZones.rules(for: $0) }).load()
    }

    @Test func everyFileLoadsWithoutAnyDiagnostic() throws {
        let report = Self.load()
        #expect(report.diagnostics.map(\.description) == [])
        let district = try #require(report.validDistrict)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.calendars + "/bodies")
            .filter { $0.hasSuffix(".yaml") }
        #expect(district.bodies.count == files.count)
        #expect(district.bodies.count >= 15)
    }

    /// The bodies DOMAIN.md names, with the members and roles the report describes.
    static let expected: [(id: String, chair: String, members: [String: Membership.Role])] = [
        ("al-sgl-runde", "jc", ["jc": .chair, "ja-k": .member, "ja-s": .member]),
        ("sgl-tl-runde", "ja-k", ["ja-k": .chair, "jc": .member, "ja-s": .member]),
        ("ag-78", "ja-k", ["ja-k": .chair, "jc": .advisory, "in-via": .member, "fhf": .member]),
        ("beirat-18d", "jc", ["jc": .chair, "ja-k": .member, "ja-s": .member, "aa": .member]),
        ("praeventionsteam", "pb", ["pb": .chair, "soza": .member, "ja-k": .member, "jc": .member]),
        ("jugendberufsagentur", "jc", ["jc": .chair, "ja-k": .member, "ja-s": .member, "aa": .member]),
        ("ak-jugendberufshilfe", "ja-k", ["ja-k": .chair, "jc": .member, "ja-s": .member]),
        ("ak-alleinerziehende", "jc", ["jc": .chair, "ja-k": .member]),
        ("ak-demenz", "isar", ["isar": .chair, "soza": .member, "ja-k": .member]),
        ("ak-armut", "isar", ["isar": .chair, "soza": .member, "ja-k": .member]),
        ("praeventionskonferenz-kreis", "ja-k", ["ja-k": .chair, "soza": .member, "jc": .member, "pb": .member]),
        ("praeventionskonferenz-lokal", "ja-k", ["ja-k": .chair, "soza": .member, "jc": .member]),
        ("runder-tisch-energiearmut", "jc", ["jc": .chair, "ja-k": .member, "mieterverein": .guest]),
        ("kaoa-austausch", "ja-k", ["ja-k": .chair, "jc": .member]),
        ("rechtsangelegenheiten", "soza", ["soza": .chair, "jc": .member]),
        ("kdu-ag", "jc", ["jc": .chair, "soza": .member]),
        ("gemeinsame-fortbildungen", "jc", ["jc": .chair, "ja-k": .member, "ja-s": .member]),
    ]

    @Test(arguments: 0..<expected.count)
    func bodyHasTheMembersOfTheReport(index: Int) throws {
        let row = Self.expected[index]
        let district = try #require(Self.load().validDistrict)
        let body = try #require(district.body(row.id), "body \(row.id) missing")
        #expect(body.chair == row.chair)
        #expect(Dictionary(uniqueKeysWithValues: body.members.map { ($0.office, $0.role) }) == row.members)
        #expect(!body.series.isEmpty)
    }

    @Test func sozialamtsleitungenHasTheFifteenMunicipalitiesAndTheJobcenterAsGuest() throws {
        let district = try #require(Self.load().validDistrict)
        let body = try #require(district.body("sozialamtsleitungen"))
        #expect(body.members.filter { $0.office.hasPrefix("sa-") && $0.role == .member }.count == 15)
        #expect(body.members.first { $0.office == "jc" }?.role == .guest)
        #expect(district.offices.filter { $0.id.hasPrefix("sa-") }.count == 15)
        for id in ["soza", "ja-k", "jc", "pb", "rpa"] {
            #expect(district.office(id)?.administration == .district, "\(id)")
        }
        for id in ["ja-s", "aa", "isar", "fhf", "in-via", "mieterverein"] {
            #expect(district.office(id)?.administration == .external, "\(id)")
        }
    }

    @Test func legalBasesAndAgreements() throws {
        let district = try #require(Self.load().validDistrict)
        #expect(district.body("ag-78")?.legalBasis == ["§ 78 SGB VIII"])
        #expect(district.body("beirat-18d")?.agreements == ["Geschäftsordnung des Beirats"])
        #expect(district.body("kdu-ag")?.legalBasis == ["§ 22 SGB II", "§ 35 SGB XII"])
        #expect(district.holidays.closingDays.map(\.name) == ["Rosenmontag", "Heiligabend", "Silvester"])
    }

    /// Every cadence is an assumption (the report gives none) and must say so next to the rule.
    @Test func everyCadenceIsMarkedAsAnAssumption() throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.calendars + "/bodies") {
            let text = try String(contentsOfFile: Self.calendars + "/bodies/" + name, encoding: .utf8)
            let rules = text.components(separatedBy: "rrule:").count - 1
            let marks = text.components(separatedBy: "# Assumption").count - 1
            #expect(marks >= rules, "\(name): \(rules) rules, \(marks) assumption comments")
        }
    }

    /// The complete example in calendars/README.md is valid: docs and reader agree.
    @Test func readmeExampleValidates() throws {
        let readme = try String(contentsOfFile: Self.calendars + "/README.md", encoding: .utf8)
        let afterIntro = try #require(
            readme.components(separatedBy: "with every optional field shown):\n\n```yaml\n").last)
        let example = try #require(afterIntro.components(separatedBy: "```").first)
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("gremien-readme-\(getpid())")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(atPath: Self.calendars, toPath: copy.path)
        try Data(example.utf8).write(to: copy.appendingPathComponent("bodies/ag-78.yaml"))
        let report = DefinitionsLoader(directory: copy.path, zone: { try? SystemTimeZones.rules(for: $0) }).load()
        #expect(report.diagnostics.map(\.description) == [])
        let body = try #require(report.validDistrict?.body("ag-78"))
        #expect(body.series.first?.exceptions.count == 3)
        #expect(body.members.first { $0.office == "jc" }?.validFrom == CivilDate(year: 2024, month: 1, day: 1))
    }
}
