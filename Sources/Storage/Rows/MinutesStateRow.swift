import Coordination
import Foundation

/// A row of the `minutesState` table, as every backend keeps it;
/// `domain()` reads it back, refusing what cannot be read.
public struct MinutesStateRow: Codable, Sendable {
    public var bodyId: String
    public var seriesId: String
    public var date: String
    public var status: String
    public var time: String
    public var actor: String
    public var reason: String?
    public var version: Int?
    public var contentHash: String?

    public init(_ m: MinutesState) {
        (bodyId, seriesId, date) = (m.session.body, m.session.series, m.session.date.description)
        (status, time, actor, reason) = (m.status.rawValue, m.time.description, m.actor, m.reason)
        (version, contentHash) = (m.version, m.contentHash)
    }

    public func domain() throws(StorageError) -> MinutesState {
        guard let day = CivilDate(iso: date), let t = LocalDateTime(iso: time),
            let s = MinutesState.Status(rawValue: status)
        else { throw .unreadable(what: "minutes state \(bodyId)/\(seriesId) \(date)", reason: "date, time or status") }
        return MinutesState(
            session: SessionKey(body: bodyId, series: seriesId, date: day), status: s, time: t, actor: actor,
            reason: reason, version: version, contentHash: contentHash)
    }
}

/// A row of the `minutesRecord` table: the written content of a session's minutes as JSON.
public struct MinutesRecordRow: Codable, Sendable {
    public var bodyId: String
    public var seriesId: String
    public var date: String
    public var revision: Int
    public var content: String

    public init(_ r: MinutesRecord) {
        (bodyId, seriesId, date) = (r.session.body, r.session.series, r.session.date.description)
        revision = r.revision
        content = AuditPayload.encode(r)
    }

    public func domain() throws(StorageError) -> MinutesRecord {
        guard var record = AuditPayload.decode(MinutesRecord.self, from: content) else {
            throw .unreadable(what: "minutes content \(bodyId)/\(seriesId) \(date)", reason: "its JSON")
        }
        record.revision = revision
        return record
    }
}

/// A row of the `minutesVersion` table: approved minutes as frozen.
public struct MinutesVersionRow: Codable, Sendable {
    public var bodyId: String
    public var seriesId: String
    public var date: String
    public var number: Int
    public var approved: String
    public var actor: String
    public var content: String
    public var hash: String

    public init(_ v: MinutesVersion) {
        (bodyId, seriesId, date) = (v.session.body, v.session.series, v.session.date.description)
        (number, approved, actor, content, hash) = (v.number, v.approved.description, v.actor, v.content, v.hash)
    }

    public func domain() throws(StorageError) -> MinutesVersion {
        guard let day = CivilDate(iso: date), let t = LocalDateTime(iso: approved) else {
            throw .unreadable(what: "minutes version \(bodyId)/\(seriesId) \(date) \(number)", reason: "date or time")
        }
        return MinutesVersion(
            session: SessionKey(body: bodyId, series: seriesId, date: day), number: number, approved: t, actor: actor,
            content: content, hash: hash)
    }
}
