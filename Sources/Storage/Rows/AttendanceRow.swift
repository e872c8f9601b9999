import Coordination
import Foundation

/// A row of the `attendance` table, as every backend keeps it;
/// `domain()` reads it back, refusing what cannot be read.
public struct AttendanceRow: Codable, Sendable {
    public var bodyId: String
    public var seriesId: String
    public var date: String
    public var office: String
    public var person: String
    public var status: String
    public var deputy: String?
    public var arrival: String?
    public var departure: String?

    public init(
        bodyId: String, seriesId: String, date: String, office: String, person: String, status: String,
        deputy: String?, arrival: String?, departure: String?
    ) {
        (self.bodyId, self.seriesId, self.date, self.office, self.person) = (bodyId, seriesId, date, office, person)
        (self.status, self.deputy, self.arrival, self.departure) = (status, deputy, arrival, departure)
    }

    public init(_ e: AttendanceEntry) {
        bodyId = e.session.body
        seriesId = e.session.series
        date = e.session.date.description
        office = e.office
        person = e.person ?? ""
        status = e.status.rawValue
        deputy = e.deputy
        arrival = e.arrival?.description
        departure = e.departure?.description
    }

    public func domain() throws(StorageError) -> AttendanceEntry {
        guard let day = CivilDate(iso: date), let s = AttendanceEntry.Status(rawValue: status) else {
            throw .unreadable(
                what: "attendance \(bodyId)/\(seriesId) \(date) \(office)",
                reason: "date '\(date)' or status '\(status)'")
        }
        return AttendanceEntry(
            session: SessionKey(body: bodyId, series: seriesId, date: day), office: office,
            person: person.isEmpty ? nil : person, status: s, deputy: deputy,
            arrival: arrival.flatMap(LocalDateTime.init(iso:)),
            departure: departure.flatMap(LocalDateTime.init(iso:)))
    }
}
