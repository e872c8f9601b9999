import Coordination
import Foundation

/// A participation summary as an auditor takes it away: CSV for a spreadsheet, JSON for further
/// processing (schema: `schemas/participation-report.schema.json`), or one printable HTML page.
///
/// The same summary and stamp give the same bytes: `gremien audit verify --report` relies on it.
public struct ParticipationReport: Sendable {
    public var summary: ParticipationSummary
    public var stamp: ReportStamp

    public init(summary: ParticipationSummary, stamp: ReportStamp) {
        self.summary = summary
        self.stamp = stamp
    }

    /// The report in the stamp's format.
    public func rendered() -> Data {
        switch stamp.format {
        case .csv: return csvData()
        case .json: return json()
        case .html: return html()
        }
    }

    /// The report in the stamp's format, handed to `sink` in order as it is made (the same bytes
    /// as `rendered()`): a file is written while the rest is made, and the report is never held
    /// whole.
    public func write(to sink: @escaping ReportSink) {
        switch stamp.format {
        case .csv: _ = csvData(sink: sink)
        case .json: _ = json(sink: sink)
        case .html: _ = html(sink: sink)
        }
    }

    // MARK: Figures as text

    /// A number with `digits` decimals, with a decimal comma for German Excel (and in HTML).
    func decimal(_ value: Double, _ digits: Int, comma: Bool) -> String {
        let text = String(format: "%.\(digits)f", value)
        return comma ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// Whether this is a version 2 report (rates over recorded sessions, sessions listed, pairs once).
    var v2: Bool { stamp.version >= 2 }

    /// Whether this is a version 3 report (the seat holders of every office listed).
    var v3: Bool { stamp.version >= 3 }

    /// A seat with its holders for the office table: `AG 78 (Mitglied): Jana Jugend; Vertretung:
    /// Paul Probe (ab 01.02.2027)`; before version 3 the body and role only.
    func seatText(_ seat: OfficeParticipation.Seat) -> String {
        let text = "\(seat.bodyName) (\(seat.role.german))"
        guard v3 else { return text }
        let regular = seat.holders.filter { $0.role == .regular }.map(holderText)
        let deputies = seat.holders.filter { $0.role == .deputy }.map(holderText)
        var parts: [String] = []
        if !regular.isEmpty { parts.append(regular.joined(separator: ", ")) }
        if !deputies.isEmpty { parts.append("Vertretung: " + deputies.joined(separator: ", ")) }
        return parts.isEmpty ? text + ": niemand benannt" : text + ": " + parts.joined(separator: "; ")
    }

    /// A holder's name with the seat's days when it has a first or last day.
    func holderText(_ h: OfficeParticipation.Holder) -> String {
        switch (h.from, h.until) {
        case (nil, nil): return h.name
        case (let f?, nil): return "\(h.name) (ab \(f.german))"
        case (nil, let u?): return "\(h.name) (bis \(u.german))"
        case (let f?, let u?): return "\(h.name) (\(f.german)–\(u.german))"
        }
    }

    /// The rate a report shows: over expected sessions (v1), over recorded ones (v2).
    func rate(_ counts: AttendanceCounts) -> Double? { v2 ? counts.recordedRate : counts.rate }

    func percent(_ counts: AttendanceCounts) -> String {
        if v2 && counts.expected > 0 && counts.recorded == 0 { return "nicht erfasst" }
        return rate(counts).map { decimal($0 * 100, 1, comma: true) + " %" } ?? "–"
    }

    /// The pairs a report lists: v1 every ordered pair of the summary; v2 each pair once, and
    /// only those with a joint held session unless the stamp asks for all.
    public var shownPairs: [PairParticipation] {
        guard v2 else { return summary.pairs }
        var seen: Set<[String]> = []
        return summary.pairs.filter { p in
            guard stamp.allPairs || p.jointSessions > 0 else { return false }
            return seen.insert([p.office, p.partner].sorted()).inserted
        }
    }

    func hours(_ minutes: Int) -> Double { Double(minutes) / 60 }

    func name(_ office: String) -> String { summary.shortNames[office] ?? office }

    /// Mean days from session to approval, `nil` when none was approved.
    func meanDays(_ days: [Int]) -> Double? {
        days.isEmpty ? nil : Double(days.reduce(0, +)) / Double(days.count)
    }

    var periodText: String { "\(summary.from.german) bis \(summary.through.german)" }
}
