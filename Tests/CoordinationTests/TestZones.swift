import Coordination
import Foundation

/// Zones for tests, read from the system's zoneinfo (tests may do IO; Coordination may not).
enum TestZones {
    static func rules(_ identifier: String) throws -> ZoneRules {
        if identifier == "UTC" { return .utc }
        let path = "/usr/share/zoneinfo/" + identifier
        guard let data = FileManager.default.contents(atPath: path) else { throw CocoaError(.fileNoSuchFile) }
        return try ZoneRules(tzif: [UInt8](data), identifier: identifier)
    }

    /// Local `YYYY-MM-DDTHH:MM:SS` or `YYYY-MM-DD`.
    static func local(_ text: String) -> LocalDateTime {
        let compact = text.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        switch ICalDateText.parse(compact) {
        case .date(let d): return LocalDateTime(date: d)
        case .dateTime(let t, _): return t
        case nil: return LocalDateTime(year: 1, month: 1, day: 1)
        }
    }

    static func expand(
        _ start: String, _ rule: String, zone: String = "Europe/Berlin", limit: Int = 1000,
        from: String? = nil, to: String? = nil
    ) throws -> Expansion {
        let set = RecurrenceSet(
            start: .dateTime(local(start)), zone: try rules(zone), rules: [try RecurrenceRule(parsing: rule)])
        try set.validate()
        return set.expand(from: from.map(local), to: to.map(local), limit: limit)
    }
}
