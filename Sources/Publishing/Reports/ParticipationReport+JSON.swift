import Coordination
import Foundation

extension ParticipationReport {
    /// The report as JSON, described by `schemas/participation-report.schema.json`: keys sorted,
    /// rates as fractions with four decimals, hours with two, absent values as `null`; written
    /// as it is made (`PrettyJSONWriter`, in the form `JSONEncoder` gives with pretty printing
    /// and sorted keys).
    /// - Parameter sink: where the bytes go as they are made (the `Data` returned is then empty).
    public func json(sink: ReportSink? = nil) -> Data {
        var w = PrettyJSONWriter(sink: sink)
        let s = summary
        w.beginObject()
        w.key("bodies")
        w.beginArray()
        for b in s.bodies { body(b, &w) }
        w.endArray()
        let head = stamp.head.split(separator: ":")
        w.key("chainHead")
        w.beginObject()
        w.field("hash", head.count == 2 ? String(head[1]) : "")
        w.field("seq", head.first.flatMap { Int($0) } ?? 0)
        w.endObject()
        w.key("filters")
        w.beginObject()
        w.field("body", stamp.body)
        w.field("office", stamp.office)
        w.endObject()
        w.field("madeAt", "\(s.madeAt)Z")
        w.key("offices")
        w.beginArray()
        for o in s.offices { office(o, &w) }
        w.endArray()
        w.key("pairs")
        w.beginArray()
        for p in shownPairs { pair(p, &w) }
        w.endArray()
        w.key("period")
        w.beginObject()
        w.field("from", s.from.description)
        w.field("through", s.through.description)
        w.endObject()
        w.field("report", "participation")
        w.field("stamp", stamp.line)
        if v2 {
            w.field("version", stamp.version)
        }
        w.endObject()
        w.lineBreak()
        return w.takeData()
    }

    /// Version 2 adds `recorded` and gives `rate` over the recorded sessions; version 1's keys
    /// and values stay as they were.
    private func counts(_ c: AttendanceCounts, _ w: inout PrettyJSONWriter) {
        w.beginObject()
        w.field("absent", c.absent)
        w.field("attended", c.attended)
        w.field("excused", c.excused)
        w.field("expected", c.expected)
        w.field("rate", (v2 ? c.recordedRate : c.rate).map { Self.round($0, 4) })
        if v2 {
            w.field("recorded", c.recorded)
        }
        w.field("unrecorded", c.unrecorded)
        w.endObject()
    }

    private func office(_ o: OfficeParticipation, _ w: inout PrettyJSONWriter) {
        w.beginObject()
        w.key("attendance")
        counts(o.counts, &w)
        w.field("name", o.name)
        w.field("office", o.office)
        w.field("personHours", Self.round(hours(o.personMinutes), 2))
        w.key("seats")
        w.beginArray()
        for seat in o.seats {
            w.beginObject()
            w.field("body", seat.body)
            w.field("bodyName", seat.bodyName)
            if v3 {
                w.key("holders")
                w.beginArray()
                for h in seat.holders {
                    w.beginObject()
                    w.field("from", h.from?.description)
                    w.field("name", h.name)
                    w.field("person", h.person)
                    w.field("rank", h.rank)
                    w.field("role", h.role.rawValue)
                    w.field("until", h.until?.description)
                    w.endObject()
                }
                w.endArray()
            }
            w.field("role", seat.role.rawValue)
            w.endObject()
        }
        w.endArray()
        if v2 {
            w.key("sessions")
            w.beginArray()
            for session in o.sessions {
                w.beginObject()
                w.field("body", session.body)
                w.field("date", session.date.description)
                w.field("outcome", session.outcome.rawValue)
                w.endObject()
            }
            w.endArray()
        }
        w.field("shortName", o.shortName)
        w.endObject()
    }

    private func pair(_ p: PairParticipation, _ w: inout PrettyJSONWriter) {
        func strings(_ list: [String]) {
            w.beginArray()
            for item in list { w.string(item) }
            w.endArray()
        }
        w.beginObject()
        w.key("agreements")
        strings(p.agreements)
        w.field("bothAttended", p.bothAttended)
        w.field("jointSessions", p.jointSessions)
        w.key("kinds")
        strings(p.kinds.map(\.rawValue))
        w.key("legalBases")
        strings(p.legalBases)
        w.field("office", p.office)
        w.field("officeAttended", p.officeAttended)
        w.field("partner", p.partner)
        w.field("partnerAttended", p.partnerAttended)
        w.key("sharedBodies")
        strings(p.sharedBodies)
        w.endObject()
    }

    private func body(_ b: BodyParticipation, _ w: inout PrettyJSONWriter) {
        w.beginObject()
        w.field("archived", b.archived)
        w.key("attendance")
        w.beginArray()
        for a in b.attendance {
            w.beginObject()
            w.key("attendance")
            counts(a.counts, &w)
            w.field("office", a.office)
            w.field("role", a.role.rawValue)
            w.endObject()
        }
        w.endArray()
        w.field("body", b.body)
        w.field("cancelled", b.cancelled)
        w.field("held", b.held)
        w.field("kind", b.kind.rawValue)
        w.key("minutes")
        w.beginObject()
        w.field("approved", b.minutesApproved)
        w.key("daysToApproval")
        w.beginArray()
        for d in b.approvalDays { w.int(d) }
        w.endArray()
        w.field("meanDaysToApproval", meanDays(b.approvalDays).map { Self.round($0, 1) })
        w.endObject()
        w.field("moved", b.moved)
        w.field("name", b.name)
        w.field("planned", b.planned)
        w.key("quorum")
        if let reached = b.quorumReached {
            w.beginObject()
            w.field("missed", b.quorumMissed ?? 0)
            w.field("reached", reached)
            w.field("unrecorded", b.quorumUnrecorded ?? 0)
            w.endObject()
        } else {
            w.null()
        }
        if v2 {
            w.key("sessions")
            w.beginArray()
            for session in b.sessions {
                w.beginObject()
                w.field("date", session.date.description)
                w.field("expectedOffices", session.expectedOffices)
                w.field("moved", session.moved)
                w.field("recordedOffices", session.recordedOffices)
                w.field("state", session.state.rawValue)
                w.endObject()
            }
            w.endArray()
        }
        w.field("upcoming", b.upcoming)
        w.endObject()
    }

    static func round(_ v: Double, _ digits: Int) -> Double {
        let f = pow(10, Double(digits))
        return (v * f).rounded() / f
    }
}
