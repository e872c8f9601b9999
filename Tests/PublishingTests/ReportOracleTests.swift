import Foundation
import Mustache
import Testing

@testable import Coordination
@testable import Publishing

/// The JSON report is written as it is made (`PrettyJSONWriter`); it must be byte for byte what
/// `JSONEncoder` (pretty printed, sorted keys, slashes unescaped) made of the same report before,
/// or reports made earlier would no longer verify (`gremien audit verify --report`). The encoder
/// and the document it encoded are kept here as the oracle.
struct ReportJSONTests {
    /// Names a coordinator could type: quotes, backslashes, slashes, every control character,
    /// umlauts, an emoji, line and paragraph separators, DEL.
    static let names = [
        "Jugendamt \"Nord\"", "C:\\Pfad\\", "a/b </script>", "Zeile\nUmbruch\r\tTab",
        String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }), "Umlaute äöü ß – § 🙂", "\u{2028}\u{2029}\u{7F}",
        "",
    ]

    static func summary() -> ParticipationSummary {
        let day = CivilDate(year: 2026, month: 3, day: 2)
        var counts = AttendanceCounts()
        (counts.expected, counts.attended, counts.excused, counts.absent, counts.unrecorded) = (7, 3, 1, 1, 2)
        let offices = names.enumerated().map { i, name in
            OfficeParticipation(
                office: "o\(i)", name: name, shortName: "O\(i)",
                seats: i % 3 == 0
                    ? []
                    : [
                        OfficeParticipation.Seat(
                            body: "b\(i)", bodyName: name, role: i % 2 == 0 ? .chair : .member,
                            holders: i % 2 == 0
                                ? []
                                : [
                                    OfficeParticipation.Holder(
                                        person: "p\(i)", name: name, role: .regular, rank: 0, from: day, until: nil),
                                    OfficeParticipation.Holder(
                                        person: "q\(i)", name: "Vertretung", role: .deputy, rank: 2, from: nil,
                                        until: day),
                                ])
                    ],
                counts: i == 2 ? AttendanceCounts() : counts, personMinutes: [0, 1, 90, 61, 6_000_001, 7, 59, 100][i],
                sessions: i % 2 == 0
                    ? []
                    : [
                        SessionOutcome(body: "b\(i)", date: day, outcome: .attended),
                        SessionOutcome(body: "b", date: day, outcome: .unrecorded),
                    ])
        }
        let pairs = [
            PairParticipation(
                office: "o0", partner: "o1", sharedBodies: ["b1", "b/2"], jointSessions: 4, officeAttended: 3,
                partnerAttended: 2, bothAttended: 1, kinds: [.austausch, .fallbesprechung], legalBases: [names[0]],
                agreements: []),
            PairParticipation(
                office: "o1", partner: "o0", sharedBodies: [], jointSessions: 0, officeAttended: 0, partnerAttended: 0,
                bothAttended: 0, kinds: [], legalBases: [], agreements: [names[3]]),
        ]
        let bodies = names.enumerated().map { i, name in
            BodyParticipation(
                body: "b\(i)", name: name, kind: Body.Kind.allCases[i % Body.Kind.allCases.count], archived: i == 1,
                planned: 10 + i, held: 5, cancelled: 1, moved: i, upcoming: 3,
                attendance: i == 0
                    ? [] : [BodyParticipation.OfficeAttendance(office: "o\(i)", role: .member, counts: counts)],
                quorumReached: i % 2 == 0 ? 2 : nil, quorumMissed: i % 2 == 0 ? 1 : nil,
                quorumUnrecorded: i % 2 == 0 ? 0 : nil, minutesApproved: i % 3,
                approvalDays: Array([4, 9, 30].prefix(i % 4)),
                sessions: i == 0
                    ? []
                    : [
                        BodySession(date: day, state: .held, moved: true, recordedOffices: 2, expectedOffices: 3),
                        BodySession(date: day, state: .cancelled, moved: false, recordedOffices: 0, expectedOffices: 0),
                    ])
        }
        return ParticipationSummary(
            from: day, through: CivilDate(year: 2026, month: 12, day: 31),
            madeAt: LocalDateTime(year: 2026, month: 11, day: 30, hour: 9), offices: offices,
            shortNames: Dictionary(uniqueKeysWithValues: offices.map { ($0.office, $0.shortName) }), pairs: pairs,
            bodies: bodies)
    }

    @Test(arguments: [(1, nil, nil), (2, "o1", nil), (3, nil, "b/2"), (3, "o\"1", "b1")] as [(Int, String?, String?)])
    func writtenAsJSONEncoderWroteIt(version: Int, office: String?, body: String?) throws {
        for allPairs in [false, true] {
            try Self.expectAsEncoderWritesIt(
                Self.summary(), version: version, office: office, body: body, allPairs: allPairs)
        }
    }

    /// The writer stages its bytes and moves them on 64 KB at a time, a long string 128 bytes at
    /// a time: thousands of sessions, and names of 100,000 bytes whose escapes (up to six bytes
    /// each) fall on every boundary, must still be what the encoder writes.
    @Test func aLargeReportWithLongNamesAsJSONEncoderWroteIt() throws {
        var summary = ReportStreamingTests.large()
        let pattern = Self.names.joined()
        for (i, step) in [1, 7, 64, 127, 128, 129, 1000].enumerated() {
            // Names of different lengths and offsets: the escapes land at different places in a piece.
            let long = String(
                repeating: pattern + String(repeating: "x", count: step), count: 100_000 / pattern.utf8.count)
            summary.offices[i].name = long
            summary.bodies[i].name = String(long.dropFirst(step))
            summary.offices[i].sessions[step].body = long
        }
        try Self.expectAsEncoderWritesIt(summary, version: 3, office: nil, body: nil, allPairs: true)
    }

    /// The report of `summary` with the stamp the tests share (core offices o0 and o1, a fixed head).
    static func report(
        _ summary: ParticipationSummary, format: ReportStamp.Format, excel: Bool = false, version: Int,
        office: String? = nil, body: String? = nil, allPairs: Bool = false
    ) -> ParticipationReport {
        let stamp = ReportStamp(
            from: summary.from, through: summary.through, office: office, body: body, core: ["o0", "o1"],
            format: format, excel: excel, madeAt: summary.madeAt, head: "12:" + String(repeating: "ab", count: 32),
            version: version, allPairs: allPairs)
        return ParticipationReport(summary: summary, stamp: stamp)
    }

    static func expectAsEncoderWritesIt(
        _ summary: ParticipationSummary, version: Int, office: String?, body: String?, allPairs: Bool
    ) throws {
        let report = Self.report(
            summary, format: .json, version: version, office: office, body: body, allPairs: allPairs)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let expected = try encoder.encode(Oracle.Document(report)) + Data("\n".utf8)
        let written = report.json()
        #expect(written == expected, "version \(version), \(String(decoding: written.prefix(300), as: UTF8.self))")
        if written != expected {
            let a = String(decoding: written, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let b = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            Issue.record(
                "first difference at line \(i + 1): \(i < a.count ? String(a[i].prefix(300)) : "-") vs \(i < b.count ? String(b[i].prefix(300)) : "-")"
            )
        }
        // And it is JSON.
        #expect(try JSONSerialization.jsonObject(with: written) is [String: Any])
    }
}

/// The encoder's document of a report, as the report was made before it was written as made.
private enum Oracle {
    struct Document: Encodable {
        struct Period: Encodable { var from, through: String }
        struct Head: Encodable {
            var seq: Int
            var hash: String
        }
        struct Filters: Encodable {
            var office, body: Nullable<String>
        }
        /// Version 2 adds `recorded` and gives `rate` over the recorded sessions; version 1's
        /// keys and values stay as they were (absent optionals are left out).
        struct Counts: Encodable {
            var expected, attended, excused, absent, unrecorded: Int
            var recorded: Int?
            var rate: Nullable<Double>
            init(_ c: AttendanceCounts, v2: Bool) {
                (expected, attended, excused, absent, unrecorded) = (
                    c.expected, c.attended, c.excused, c.absent, c.unrecorded
                )
                recorded = v2 ? c.recorded : nil
                rate = Nullable((v2 ? c.recordedRate : c.rate).map { ParticipationReport.round($0, 4) })
            }
        }
        struct SessionRow: Encodable { var body, date, outcome: String }
        struct BodySessionRow: Encodable {
            var date, state: String
            var moved: Bool
            var recordedOffices, expectedOffices: Int
        }
        struct Holder: Encodable {
            var person, name, role: String
            var rank: Int
            var from, until: Nullable<String>
        }
        struct Seat: Encodable {
            var body, bodyName, role: String
            /// Version 3.
            var holders: [Holder]?
        }
        struct Office: Encodable {
            var office, name, shortName: String
            var seats: [Seat]
            var attendance: Counts
            var personHours: Double
            var sessions: [SessionRow]?
        }
        struct Pair: Encodable {
            var office, partner: String
            var sharedBodies: [String]
            var jointSessions, officeAttended, partnerAttended, bothAttended: Int
            var kinds, legalBases, agreements: [String]
        }
        struct OfficeAttendance: Encodable {
            var office, role: String
            var attendance: Counts
        }
        struct Quorum: Encodable { var reached, missed, unrecorded: Int }
        struct Minutes: Encodable {
            var approved: Int
            var daysToApproval: [Int]
            var meanDaysToApproval: Nullable<Double>
        }
        struct Body: Encodable {
            var body, name, kind: String
            var archived: Bool
            var planned, held, cancelled, moved, upcoming: Int
            var attendance: [OfficeAttendance]
            var quorum: Nullable<Quorum>
            var minutes: Minutes
            var sessions: [BodySessionRow]?
        }

        var report = "participation"
        var version: Int?
        var stamp: String
        var period: Period
        var madeAt: String
        var chainHead: Head
        var filters: Filters
        var offices: [Office]
        var pairs: [Pair]
        var bodies: [Body]

        init(_ r: ParticipationReport) {
            let s = r.summary
            let v2 = r.v2
            version = v2 ? r.stamp.version : nil
            stamp = r.stamp.line
            period = Period(from: s.from.description, through: s.through.description)
            madeAt = "\(s.madeAt)Z"
            let head = r.stamp.head.split(separator: ":")
            chainHead = Head(seq: head.first.flatMap { Int($0) } ?? 0, hash: head.count == 2 ? String(head[1]) : "")
            filters = Filters(office: Nullable(r.stamp.office), body: Nullable(r.stamp.body))
            offices = s.offices.map { o in
                Office(
                    office: o.office, name: o.name, shortName: o.shortName,
                    seats: o.seats.map { seat in
                        Seat(
                            body: seat.body, bodyName: seat.bodyName, role: seat.role.rawValue,
                            holders: r.v3
                                ? seat.holders.map {
                                    Holder(
                                        person: $0.person, name: $0.name, role: $0.role.rawValue, rank: $0.rank,
                                        from: Nullable($0.from?.description), until: Nullable($0.until?.description))
                                } : nil)
                    },
                    attendance: Counts(o.counts, v2: v2),
                    personHours: ParticipationReport.round(r.hours(o.personMinutes), 2),
                    sessions: v2
                        ? o.sessions.map {
                            SessionRow(body: $0.body, date: $0.date.description, outcome: $0.outcome.rawValue)
                        }
                        : nil)
            }
            pairs = r.shownPairs.map { p in
                Pair(
                    office: p.office, partner: p.partner, sharedBodies: p.sharedBodies, jointSessions: p.jointSessions,
                    officeAttended: p.officeAttended, partnerAttended: p.partnerAttended, bothAttended: p.bothAttended,
                    kinds: p.kinds.map(\.rawValue), legalBases: p.legalBases, agreements: p.agreements)
            }
            bodies = s.bodies.map { b in
                Body(
                    body: b.body, name: b.name, kind: b.kind.rawValue, archived: b.archived, planned: b.planned,
                    held: b.held, cancelled: b.cancelled, moved: b.moved, upcoming: b.upcoming,
                    attendance: b.attendance.map {
                        OfficeAttendance(
                            office: $0.office, role: $0.role.rawValue, attendance: Counts($0.counts, v2: v2))
                    },
                    quorum: Nullable(
                        b.quorumReached.map {
                            Quorum(reached: $0, missed: b.quorumMissed ?? 0, unrecorded: b.quorumUnrecorded ?? 0)
                        }),
                    minutes: Minutes(
                        approved: b.minutesApproved, daysToApproval: b.approvalDays,
                        meanDaysToApproval: Nullable(
                            r.meanDays(b.approvalDays).map { ParticipationReport.round($0, 1) })),
                    sessions: v2
                        ? b.sessions.map {
                            BodySessionRow(
                                date: $0.date.description, state: $0.state.rawValue, moved: $0.moved,
                                recordedOffices: $0.recordedOffices, expectedOffices: $0.expectedOffices)
                        } : nil)
            }
        }
    }
}

/// The HTML report's session lists are escaped by us and taken as they are by the template
/// (`{{{sessions}}}`); they must read as swift-mustache's own `{{sessions}}` made them.
struct ReportHTMLEscapeTests {
    @Test(arguments: [
        "02.01.2020 body-0000 anwesend · 09.01.2020 body-0000 entschuldigt", "<b>&amp; \"x\" 'y'</b>",
        "a < b > c & d", "<\u{0301} combining after <, &\u{0308} after &", "Umlaute äöü ß – § 🙂", "", "'\"'\"",
    ])
    func sessionListsReadAsTheTemplateEscapedThem(_ text: String) throws {
        struct View { var value: String }
        let escapedByMustache = try MustacheTemplate(string: "{{value}}").render(View(value: text))
        #expect(ParticipationReport.mustacheEscaped(text) == escapedByMustache)
        let asIs = try MustacheTemplate(string: "{{{value}}}").render(
            View(value: ParticipationReport.mustacheEscaped(text)))
        #expect(asIs == escapedByMustache)
    }
}
