import Coordination
import Foundation
import GremienTestSupport
import Publishing
import Storage
import Testing
import Workflows

/// People by stable id and the seats they hold (issue 15). The clock stands at 1 October 2026.
@Suite struct SeatTests {
    static let local = Principal.localOperator("betrieb")
    static func day(_ m: Int, _ d: Int) -> CivilDate { CivilDate(year: 2026, month: m, day: d) }
    static func runde(_ m: Int, _ d: Int) -> SessionTarget { SessionTarget(body: "runde", date: day(m, d)) }

    /// A seat that ends mid-year is expected until then; a deputy stands behind it; a person who
    /// changes office loses the seat the day before (regression: people were keyed by name, and
    /// adding one again moved the record to the other office and dropped its e-mail).
    @Test(arguments: StoreKind.allCases)
    func seatsHaveTheirPeriodsAndEndWithAChangeOfOffice(kind: StoreKind) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(kind)
        defer { cleanup() }
        let carl = try await w.savePerson(
            name: "Carl Stellvertreter", office: "jc", level: .tl, email: nil, by: Self.local)
        let regular = try await w.assignSeat(
            .init(body: "runde", office: "jc", person: "anna-beispiel", from: Self.day(3, 1), until: Self.day(6, 30)),
            by: Self.local)
        let later = try await w.assignSeat(
            .init(body: "runde", office: "jc", person: "Anna Beispiel", from: Self.day(9, 1)), by: Self.local)
        let deputy = try await w.assignSeat(
            .init(body: "runde", office: "jc", person: carl.id, deputy: true, from: Self.day(3, 1)), by: Self.local)
        #expect(regular.role == .regular && deputy.role == .deputy && deputy.rank == 1)
        // March: Anna expected, Carl her deputy; July: nobody regular (the seat ended in June).
        let march = try await w.attendance(of: Self.runde(3, 2))
        #expect(march.expectedPeople("jc") == ["Anna Beispiel"] && march.deputies("jc") == ["Carl Stellvertreter"])
        let july = try await w.attendance(of: Self.runde(7, 6))
        #expect(july.expectedPeople("jc").isEmpty && july.deputies("jc") == ["Carl Stellvertreter"])
        #expect(try await w.attendance(of: Self.runde(9, 7)).expectedPeople("jc") == ["Anna Beispiel"])
        // The deputy steps in: Anna represented by Carl.
        try await w.recordAttendance(
            [
                AttendanceLine(
                    label: "1", session: Self.runde(9, 7), office: "jc", person: "Anna Beispiel", status: "represented",
                    deputy: "Carl Stellvertreter")
            ], by: Self.local)
        let minutes = try await w.minutesView(Self.runde(9, 7))
        #expect(minutes.chair == "Anna Beispiel (Amt 56 – job-com)")
        // An office without a recorded entry is named with the person expected for it.
        _ = try await w.assignSeat(
            .init(body: "runde", office: "ja-k", person: "jana-jugend", from: Self.day(9, 1)), by: Self.local)
        let named = try await w.minutesView(Self.runde(9, 7)).members.first { $0.office == "JA-K" }?.attendance
        #expect(named == "nicht erfasst (Sitz: Jana Jugend)")
        // Anna moves to the youth office on 1 October: her jc seat ends on 30 September; her
        // e-mail and her id stay.
        let moved = try await w.updatePerson("anna-beispiel", PersonChange(office: "ja-k"), by: Self.local)
        #expect(moved.id == "anna-beispiel" && moved.office == "ja-k")
        let seats = try await w.seats(body: "runde", by: Self.local)
        #expect(seats.first { $0.seat.id == later.id }?.seat.validUntil == Self.day(9, 30))
        #expect(seats.first { $0.seat.id == regular.id }?.seat.validUntil == Self.day(6, 30))
        #expect(try await w.attendance(of: Self.runde(10, 5)).expectedPeople("jc").isEmpty)
        // Ended is ended: her place for jc cannot be hers again, she works for ja-k now.
        await #expect(
            throws: WorkflowError.invalid([
                "Anna Beispiel (anna-beispiel) works for ja-k, not jc"
            ])
        ) {
            try await w.assignSeat(.init(body: "runde", office: "jc", person: "anna-beispiel"), by: Self.local)
        }
        // A last day ends the deputy seat then.
        _ = try await w.updatePerson(carl.id, PersonChange(until: Self.day(12, 31)), by: Self.local)
        #expect(
            try await w.seats(body: "runde", by: Self.local).first { $0.seat.id == deputy.id }?.seat.validUntil
                == Self.day(12, 31))
        // Every seat change is in the change log and the event log.
        let log = try await w.changeLog(by: Self.local).map(\.subject)
        #expect(log.filter { $0.hasPrefix("seat ") }.count == 6)
    }

    @Test func seatsAreRefusedWithTheirReason() async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(.memory)
        defer { cleanup() }
        let cases: [(SeatRequest, String)] = [
            (
                .init(body: "runde", office: "aa", person: "ben-vertreter"),
                "aa has no seat in runde on 2026-10-01; its seats come from calendars/"
            ),
            (
                .init(body: "runde", office: "jc", person: "jana-jugend"),
                "Jana Jugend (jana-jugend) works for ja-k, not jc"
            ),
            (
                .init(
                    body: "runde", office: "jc", person: "anna-beispiel", from: Self.day(10, 1), until: Self.day(9, 1)),
                "the seat ends (2026-09-01) before it begins (2026-10-01)"
            ),
            (
                .init(
                    body: "beirat", office: "ja-k", person: "jana-jugend", from: Self.day(1, 1), until: Self.day(12, 31)
                ),
                "ja-k has no seat in beirat on 2026-01-01 or 2026-12-31; its seats come from calendars/"
            ),
        ]
        for (request, message) in cases {
            await #expect(throws: WorkflowError.invalid([Problem(message)])) {
                try await w.assignSeat(request, by: Self.local)
            }
        }
        await #expect(throws: WorkflowError.self) {
            try await w.assignSeat(.init(body: "nope", office: "jc", person: "anna-beispiel"), by: Self.local)
        }
        _ = try await w.assignSeat(.init(body: "runde", office: "jc", person: "anna-beispiel"), by: Self.local)
        await #expect(
            throws: WorkflowError.invalid([
                "Anna Beispiel (anna-beispiel) already holds this regular seat of jc in runde then"
            ])
        ) { try await w.assignSeat(.init(body: "runde", office: "jc", person: "anna-beispiel"), by: Self.local) }
        // Only an admin or a coordinator of the body.
        let other = Principal(actor: "B", roles: [.coordinator], bodies: ["beirat"])
        await #expect(throws: WorkflowError.forbidden("only an admin or a coordinator of runde assigns its seats")) {
            try await w.assignSeat(.init(body: "runde", office: "jc", person: "anna-beispiel"), by: other)
        }
        #expect(try await w.seats(by: Self.local).count == 1)
    }

    /// Two people of the same name both exist, each with an id; a name names one only while it is
    /// unique. A bad e-mail address is refused with a clear message.
    @Test(arguments: StoreKind.allCases)
    func twoPeopleOfOneNameAndABadEmail(kind: StoreKind) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(kind)
        defer { cleanup() }
        let second = try await w.savePerson(
            name: "Anna Beispiel", office: "ja-k", level: .tl, email: "a.beispiel@kreis.example", by: Self.local)
        #expect(second.id == "anna-beispiel-2")
        let both = try await w.people().filter { $0.name == "Anna Beispiel" }
        #expect(both.map(\.id) == ["anna-beispiel", "anna-beispiel-2"] && both.map(\.office) == ["jc", "ja-k"])
        await #expect(
            throws: WorkflowError.invalid([
                "2 people are named Anna Beispiel (ids anna-beispiel, anna-beispiel-2); name one by its id"
            ])
        ) { try await w.person("Anna Beispiel") }
        #expect(try await w.person("anna-beispiel-2").office == "ja-k")
        for bad in [
            "anna", "anna@", "@kreis.example", "anna@kreis", "anna beispiel@kreis.example", "anna@kreis..example",
            "anna@-kreis.example", ".anna@kreis.example",
        ] {
            await #expect(
                throws: WorkflowError.invalid([Problem("'\(bad)' is not an e-mail address (name@example.org)")])
            ) {
                try await w.savePerson(name: "X", office: "jc", level: .tl, email: bad, by: Self.local)
            }
        }
        #expect(try await w.people().count == 4)
        let updated = try await w.updatePerson(
            "anna-beispiel-2", PersonChange(email: "anna.b@kreis.example"), by: Self.local)
        #expect(updated.email == "anna.b@kreis.example" && updated.name == "Anna Beispiel")
    }

    /// No staff name in a public feed, even with seats held, nor anywhere in `calendars/`.
    @Test func noStaffNameInPublicFeedsOrCalendars() async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(.memory)
        defer { cleanup() }
        _ = try await w.assignSeat(.init(body: "runde", office: "jc", person: "anna-beispiel"), by: Self.local)
        _ = try await w.assignSeat(
            .init(body: "runde", office: "ja-k", person: "jana-jugend", deputy: true), by: Self.local)
        let planning = try await w.planning()
        let names = try await w.people().map(\.name)
        #expect(names.count == 3)
        let feeds = try FeedBuilder(planner: planning.planner, publicURL: "https://gremien.example").feeds()
        #expect(feeds.count > 3)
        for feed in feeds {
            let unfolded = feed.text.replacingOccurrences(of: "\r\n ", with: "")
            for name in names { #expect(!unfolded.contains(name), "\(feed.path) names \(name)") }
        }
        // calendars/: the shipped files name offices, never people (the README's and the tests'
        // example people, and any field that would hold a person).
        let folder = URL(fileURLWithPath: TestDistrict.shippedCalendars)
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count > 10)
        let people =
            names + ["Rita Prüfer", "Carla Muster", "Karl Koordinator", "Sina Jobcenter", "Erste Administration"]
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for name in people { #expect(!text.contains(name), "calendars/\(file) names \(name)") }
            #expect(!text.contains("person:") && !text.contains("email:"), "calendars/\(file) has a field for a person")
        }
    }
}
