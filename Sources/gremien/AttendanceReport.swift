import Coordination
import Foundation

/// A session's expected members, recorded attendance and quorum, as table or JSON.
struct AttendanceReport {
    let body: Body
    let session: Session
    let key: SessionKey
    let recorded: [AttendanceEntry]
    let district: District
    /// Who holds each office's place that day, by office: regular holders and deputies, by name.
    var holders: [String: (regular: [String], deputies: [String])] = [:]

    var expected: [Membership] { body.expectedOffices(on: key.date) }
    var quorum: QuorumResult? { body.quorum(on: key.date, attendance: recorded) }

    func table() -> String {
        var out =
            "\(body.name) – \(key): \(session.start.iso8601) to \(session.end.local.clock)"
        out += session.location.map { ", \($0)" } ?? ""
        out += "\n"
        var rows = [["OFFICE", "ROLE", "STATUS", "PERSON", "DEPUTY", "ARRIVAL", "DEPARTURE"]]
        for m in expected {
            let entries = recorded.filter { $0.office == m.office }
            if entries.isEmpty {
                rows.append([m.office, m.role.german, "(not recorded)", "", "", "", ""])
            }
            for e in entries {
                rows.append([
                    m.office, m.role.german, e.status.rawValue, e.person ?? "", e.deputy ?? "",
                    e.arrival.map { $0.clock } ?? "",
                    e.departure.map { $0.clock } ?? "",
                ])
            }
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        for row in rows {
            out +=
                row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        let seated = expected.filter {
            !(holders[$0.office]?.regular.isEmpty ?? true) || !(holders[$0.office]?.deputies.isEmpty ?? true)
        }
        if !seated.isEmpty {
            out += "seats:\n"
            for m in seated {
                let h = holders[m.office] ?? ([], [])
                out +=
                    "  \(m.office): " + (h.regular.isEmpty ? "(no regular holder)" : h.regular.joined(separator: ", "))
                if !h.deputies.isEmpty {
                    out +=
                        "; deputies: "
                        + h.deputies.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: ", ")
                }
                out += "\n"
            }
        }
        if let q = quorum {
            out +=
                "quorum (\(q.rule.rawValue)): \(q.present) of \(q.votingMembers) voting members present or represented, "
                + "\(q.required) required: \(q.reached ? "reached" : "not reached")\n"
        }
        return out
    }

    func json() throws -> String {
        struct Expected: Encodable {
            var office, role: String
            var levels: [String]
            /// The regular holders of the office's place that day, and its deputies in order.
            var people, deputies: [String]
        }
        struct Entry: Encodable {
            var office: String
            var person, deputy, arrival, departure: String?
            var status: String

            /// Absent values as `null`, so every entry has the same keys.
            func encode(to encoder: any Encoder) throws {
                enum K: String, CodingKey { case office, person, deputy, arrival, departure, status }
                var c = encoder.container(keyedBy: K.self)
                try c.encode(office, forKey: .office)
                try c.encode(person, forKey: .person)
                try c.encode(deputy, forKey: .deputy)
                try c.encode(arrival, forKey: .arrival)
                try c.encode(departure, forKey: .departure)
                try c.encode(status, forKey: .status)
            }
        }
        struct Quorum: Encodable {
            var rule: String
            var votingMembers, present, required: Int
            var reached: Bool
        }
        struct Report: Encodable {
            var body, series, date, start, end: String
            var expected: [Expected]
            var attendance: [Entry]
            var quorum: Quorum?

            func encode(to encoder: any Encoder) throws {
                enum K: String, CodingKey { case body, series, date, start, end, expected, attendance, quorum }
                var c = encoder.container(keyedBy: K.self)
                try c.encode(body, forKey: .body)
                try c.encode(series, forKey: .series)
                try c.encode(date, forKey: .date)
                try c.encode(start, forKey: .start)
                try c.encode(end, forKey: .end)
                try c.encode(expected, forKey: .expected)
                try c.encode(attendance, forKey: .attendance)
                try c.encode(quorum, forKey: .quorum)
            }
        }
        let report = Report(
            body: body.id, series: key.series, date: key.date.description, start: session.start.iso8601,
            end: session.end.iso8601,
            expected: expected.map {
                Expected(
                    office: $0.office, role: $0.role.rawValue, levels: $0.levels.map(\.rawValue),
                    people: holders[$0.office]?.regular ?? [], deputies: holders[$0.office]?.deputies ?? [])
            },
            attendance: recorded.map {
                Entry(
                    office: $0.office, person: $0.person, deputy: $0.deputy,
                    arrival: $0.arrival.map { $0.clock },
                    departure: $0.departure.map { $0.clock },
                    status: $0.status.rawValue)
            },
            quorum: quorum.map {
                Quorum(
                    rule: $0.rule.rawValue, votingMembers: $0.votingMembers, present: $0.present, required: $0.required,
                    reached: $0.reached)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }
}
