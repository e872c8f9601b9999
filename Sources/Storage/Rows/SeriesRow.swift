import Coordination
import Foundation

/// A row of the `series` table, as every backend keeps it;
/// `domain()` reads it back, refusing what cannot be read.
public struct SeriesRow: Codable, Sendable {
    public var bodyId: String
    public var id: String
    public var position: Int
    public var title: String?
    public var start: String
    public var durationMinutes: Int
    public var timeZone: String
    public var rule: String?
    public var location: String?
    public var kind: String
    public var holidayPolicy: String
    public var exceptions: [SeriesException]
    public var agenda: [String]
    public var updated: String
    public var sequence: Int
    public var archived: Bool
    public var earlier: [SeriesVersion]
    public var versionFrom: String?

    public init(_ s: Series, body: String, position: Int, archived: Bool) {
        bodyId = body
        id = s.id
        self.position = position
        title = s.title
        start = s.start.description
        durationMinutes = s.durationMinutes
        timeZone = s.timeZone
        rule = s.rule?.description
        location = s.location
        kind = s.kind.rawValue
        holidayPolicy = s.holidayPolicy.rawValue
        exceptions = s.exceptions
        agenda = s.agenda
        updated = s.updated.description
        sequence = s.sequence
        self.archived = archived
        earlier = s.earlier
        versionFrom = s.versionFrom?.description
    }

    public func domain() throws(StorageError) -> Series {
        let what = "series \(bodyId)/\(id)"
        guard let start = LocalDateTime(iso: start), let updated = LocalDateTime(iso: updated) else {
            throw .unreadable(what: what, reason: "start or updated is not YYYY-MM-DDTHH:MM:SS")
        }
        let kind: Series.MeetingKind = try value(kind, "kind", of: what)
        let policy: Series.HolidayPolicy = try value(holidayPolicy, "holiday policy", of: what)
        var parsed: RecurrenceRule?
        if let rule {
            do { parsed = try RecurrenceRule(parsing: rule) } catch {
                throw .unreadable(what: what, reason: "rrule: \(error.description)")
            }
        }
        var series = Series(
            id: id, title: title, start: start, durationMinutes: durationMinutes, timeZone: timeZone, rule: parsed,
            location: location, kind: kind, holidayPolicy: policy, exceptions: exceptions, updated: updated,
            sequence: sequence, agenda: agenda)
        series.earlier = earlier
        series.versionFrom = try date(versionFrom, what)
        return series
    }
}
