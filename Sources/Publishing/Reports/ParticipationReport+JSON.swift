import Coordination
import Foundation

extension ParticipationReport {
    /// The report as JSON, described by `schemas/participation-report.schema.json`: keys sorted,
    /// rates as fractions with four decimals, hours with two, absent values as `null`.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Plain strings, integers and rounded numbers: encoding cannot fail.
        let data = (try? encoder.encode(Document(self))) ?? Data()
        return data + Data("\n".utf8)
    }

    private static func round(_ v: Double, _ digits: Int) -> Double {
        let f = pow(10, Double(digits))
        return (v * f).rounded() / f
    }

    private struct Document: Encodable {
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
