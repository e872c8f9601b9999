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
        case .csv: return Data(csv().utf8)
        case .json: return json()
        case .html: return Data(html().utf8)
        }
    }

    // MARK: Figures as text

    /// A number with `digits` decimals, with a decimal comma for German Excel (and in HTML).
    func decimal(_ value: Double, _ digits: Int, comma: Bool) -> String {
        let text = String(format: "%.\(digits)f", value)
        return comma ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    func percent(_ counts: AttendanceCounts) -> String {
        counts.rate.map { decimal($0 * 100, 1, comma: true) + " %" } ?? "–"
    }

    func hours(_ minutes: Int) -> Double { Double(minutes) / 60 }

    func name(_ office: String) -> String { summary.shortNames[office] ?? office }

    /// Mean days from session to approval, `nil` when none was approved.
    func meanDays(_ days: [Int]) -> Double? {
        days.isEmpty ? nil : Double(days.reduce(0, +)) / Double(days.count)
    }

    var periodText: String { "\(summary.from.german) bis \(summary.through.german)" }
}
