import Coordination
import Foundation

extension ParticipationReport {
    /// The report as one CSV table: a heading block (period, time made, chain head, stamp), then
    /// the sections Büros, Paare and Gremien, each with its own header row, an empty row between.
    public func csv() -> String { String(decoding: csvData(), as: UTF8.self) }

    /// The CSV as UTF-8 bytes (what `rendered()` writes).
    /// - Parameter sink: where the bytes go as they are made (the `Data` returned is then empty).
    func csvData(sink: ReportSink? = nil) -> Data {
        let comma = stamp.excel
        let officeHeader =
            v2
            ? [
                "Büro", "Kurzname", "Name", "Gremien (Rolle)", "Sitzungen erwartet", "erfasst", "besucht",
                "entschuldigt", "unentschuldigt", "nicht erfasst", "Teilnahmequote (von erfassten)", "Personenstunden",
            ]
            : [
                "Büro", "Kurzname", "Name", "Gremien (Rolle)", "Sitzungen erwartet", "besucht", "entschuldigt",
                "unentschuldigt", "nicht erfasst", "Teilnahmequote", "Personenstunden",
            ]
        let officeSessionHeader = ["Büro", "Gremium", "Datum", "Ergebnis"]
        let holderHeader = ["Büro", "Gremium", "Person", "Name", "Sitz", "Rang", "von", "bis"]
        let pairHeader = [
            "Büro", "Partner", "gemeinsame Gremien", "gemeinsame Sitzungen", "Büro anwesend", "Partner anwesend",
            "beide anwesend", "Sitzungsarten", "Rechtsgrundlagen", "Vereinbarungen",
        ]
        let bodyHeader = [
            "Gremium", "Name", "Art", "archiviert", "geplant", "gehalten", "abgesagt", "verlegt", "anstehend",
            "beschlussfähig", "nicht beschlussfähig", "Beschlussfähigkeit nicht erfasst", "Protokolle genehmigt",
            "Tage bis Genehmigung (Mittel)", "Teilnahme nach Büro (besucht/erwartet)",
        ]
        let bodySessionHeader = ["Gremium", "Datum", "Stand", "verlegt", "Büros erfasst", "Büros erwartet"]
        // Every row has as many fields as its section's header (the heading block two).
        let width =
            [officeHeader, officeSessionHeader, holderHeader, pairHeader, bodyHeader, bodySessionHeader]
            .map(\.count).max() ?? 2
        var t = CSVTable(separator: comma ? ";" : ",", byteOrderMark: comma, width: width, sink: sink)
        func number(_ v: Double, _ digits: Int) -> String { decimal(v, digits, comma: comma) }
        t.append(["Bericht", "Teilnahme an Gremien"])
        t.append(["Zeitraum", "\(summary.from) bis \(summary.through)"])
        t.append(["Erstellt (UTC)", "\(summary.madeAt)"])
        t.append(["Kettenkopf", stamp.head])
        t.append(["Filter", filterText])
        t.append(["Kennung", stamp.line])
        t.append([])
        t.append(["Büros"])
        t.append(officeHeader)
        for o in summary.offices {
            let c = o.counts
            t.append(
                [
                    o.office, o.shortName, o.name,
                    o.seats.map { "\($0.bodyName) (\($0.role.german))" }.joined(separator: "; "),
                ]
                    + ["\(c.expected)"] + (v2 ? ["\(c.recorded)"] : [])
                    + [
                        "\(c.attended)", "\(c.excused)", "\(c.absent)", "\(c.unrecorded)",
                        rate(c).map { number($0, 4) } ?? "", number(hours(o.personMinutes), 2),
                    ])
        }
        if v2 {
            t.append([])
            t.append(["Sitzungen je Büro"])
            t.append(officeSessionHeader)
            let offices = summary.offices
            t.appendParts(offices.count) { i, part in
                let o = offices[i]
                for s in o.sessions { part.append([o.office, s.body, "\(s.date)", s.outcome.german]) }
            }
        }
        if v3 {
            t.append([])
            t.append(["Sitzinhaber"])
            t.append(holderHeader)
            for o in summary.offices {
                for seat in o.seats {
                    for h in seat.holders {
                        t.append([
                            o.office, seat.body, h.person, h.name, h.role.german, h.role == .deputy ? "\(h.rank)" : "",
                            h.from.map(\.description) ?? "", h.until.map(\.description) ?? "",
                        ])
                    }
                }
            }
        }
        t.append([])
        t.append(["Paare"])
        t.append(pairHeader)
        for p in shownPairs {
            t.append([
                p.office, p.partner, p.sharedBodies.joined(separator: "; "), "\(p.jointSessions)",
                "\(p.officeAttended)", "\(p.partnerAttended)", "\(p.bothAttended)",
                p.kinds.map(\.rawValue).joined(separator: "; "), p.legalBases.joined(separator: "; "),
                p.agreements.joined(separator: "; "),
            ])
        }
        t.append([])
        t.append(["Gremien"])
        t.append(bodyHeader)
        for b in summary.bodies {
            t.append([
                b.body, b.name, b.kind.rawValue, b.archived ? "ja" : "nein", "\(b.planned)", "\(b.held)",
                "\(b.cancelled)", "\(b.moved)", "\(b.upcoming)", b.quorumReached.map(String.init) ?? "",
                b.quorumMissed.map(String.init) ?? "", b.quorumUnrecorded.map(String.init) ?? "",
                "\(b.minutesApproved)", meanDays(b.approvalDays).map { number($0, 1) } ?? "",
                b.attendance.map {
                    v2
                        ? "\($0.office) \($0.counts.attended)/\($0.counts.recorded) (erwartet \($0.counts.expected))"
                        : "\($0.office) \($0.counts.attended)/\($0.counts.expected)"
                }.joined(separator: "; "),
            ])
        }
        if v2 {
            t.append([])
            t.append(["Sitzungen je Gremium"])
            t.append(bodySessionHeader)
            let bodies = summary.bodies
            t.appendParts(bodies.count) { i, part in
                let b = bodies[i]
                for s in b.sessions {
                    part.append([
                        b.body, "\(s.date)", s.state.german, s.moved ? "ja" : "nein",
                        s.state == .held ? "\(s.recordedOffices)" : "", s.state == .held ? "\(s.expectedOffices)" : "",
                    ])
                }
            }
        }
        return t.takeData()
    }

    var filterText: String {
        if v2 && stamp.allPairs { return filterBase + "; alle Paare" }
        return filterBase
    }

    private var filterBase: String {
        var parts: [String] = []
        if let o = stamp.office { parts.append("Büro \(o)") }
        if let b = stamp.body { parts.append("Gremium \(b)") }
        return parts.isEmpty ? "alle Büros und Gremien" : parts.joined(separator: ", ")
    }
}
