import CompressNIO
import Coordination
import Foundation
import HTTPTypes
import ICalendar
import NIOCore
import NIOPosix
import Platform
import Publishing
import Storage
import Workflows

/// A feed ready to send: its text and its gzip encoding, with their validators. A class: a
/// request takes it from the cache with one reference, not one per buffer and text.
final class ServedFeed: Sendable {
    let plain: ByteBuffer
    let gzip: ByteBuffer
    /// Strong ETag of the text (`"…"`); the gzip encoding's is `"…-gzip"`.
    let etag: String
    let gzipETag: String
    /// The latest change of what the feed shows (UTC, whole seconds).
    let lastModified: Date

    /// The response headers of a 200 and of a 304 for one encoding.
    struct Headers: Sendable {
        var full: HTTPFields
        var notModified: HTTPFields
        /// The status line and these fields as HTTP/1.1 puts them on the wire, up to the fields
        /// the server adds (`Date`, `Server`) and the blank line: what `PublicFeedHandler`
        /// writes, byte for byte what NIO's response encoder makes of them.
        var wireFull: ByteBuffer
        var wireNotModified: ByteBuffer

        init(full: HTTPFields, notModified: HTTPFields) {
            (self.full, self.notModified) = (full, notModified)
            wireFull = Self.wire("HTTP/1.1 200 OK", full)
            wireNotModified = Self.wire("HTTP/1.1 304 Not Modified", notModified)
        }

        private static func wire(_ status: String, _ fields: HTTPFields) -> ByteBuffer {
            var text = status + "\r\n"
            for field in fields { text += "\(field.name.rawName): \(field.value)\r\n" }
            return ByteBuffer(string: text)
        }
    }

    /// Made once with the feed: [identity, gzip]. Requests only pick one.
    private let headerSets: [Headers]

    func headers(gzip: Bool) -> Headers { headerSets[gzip ? 1 : 0] }

    /// - Parameters:
    ///   - refreshMinutes: the feed's REFRESH-INTERVAL, for `Cache-Control: max-age`.
    ///   - isPrivate: a personal feed (`Cache-Control: private`).
    init(text: String, lastModified: Date, refreshMinutes: Int, isPrivate: Bool) throws {
        var buffer = ByteBuffer(string: text)
        let plain = buffer
        let gzip = try buffer.compress(with: .gzip)
        let digest = SHA256Hex.of(text).prefix(32)
        let etag = "\"\(digest)\""
        let gzipETag = "\"\(digest)-gzip\""
        self.gzipETag = gzipETag
        let lastModifiedText = HTTPDate.format(lastModified)
        (self.plain, self.gzip, self.etag, self.lastModified) = (plain, gzip, etag, lastModified)
        headerSets = [(plain, etag, false), (gzip, gzipETag, true)].map {
            body, tag, gzipped in
            var fields: HTTPFields = [
                .contentType: "text/calendar; charset=utf-8", .eTag: tag, .lastModified: lastModifiedText,
                .cacheControl: "\(isPrivate ? "private" : "public"), max-age=\(refreshMinutes * 60)",
                .vary: "Accept-Encoding",
            ]
            let notModified = fields
            if gzipped { fields[.contentEncoding] = "gzip" }
            fields[.contentLength] = String(body.readableBytes)
            return Headers(full: fields, notModified: notModified)
        }
    }
}

/// The feeds of the store, built once per change of the store and kept: requests never build.
///
/// A change is a new head of the event log (every sync, session change, attendance entry and
/// minutes state moves it); `refresh()` compares heads, and runs after the server's own writes
/// and every few seconds for changes made with the command line.
actor FeedCache {
    /// What requests read without waiting for the actor (which may be building): the public
    /// feeds and the district they were built from, swapped whole after each build.
    struct Published: Sendable {
        var feeds: [String: ServedFeed] = [:]
        var hasDefinitions = false
        var district: District?
        var planner: SessionPlanner?
        /// The items added to sessions' agendas the feeds state.
        var agendas: [SessionKey: [String]] = [:]
        /// Who holds which seat: what the personal feeds show.
        var seats: [Seat] = []
        /// Counts the builds of the feeds.
        var build = 0
        /// The event log's head the feeds are up to date with (a record changed since moves it,
        /// though the feeds stay as they are); `nil` before the first refresh.
        var head: ChainHead?
    }

    nonisolated let published = LockedValue(Published())
    /// Private feeds by token id, with the build they were made from; built by the request that
    /// asks first, outside the actor, so that a large one holds up no other request.
    private nonisolated let personal = LockedValue<[String: PersonalFeed]>([:])

    struct PersonalFeed: Sendable {
        var build: Int
        var feed: ServedFeed
    }
    private let store: any Store
    /// The server's address, for the links in the feeds' descriptions.
    private let publicURL: String?
    private let onBuild: @Sendable (Duration) -> Void

    init(store: any Store, publicURL: String? = nil, onBuild: @escaping @Sendable (Duration) -> Void = { _ in }) {
        self.store = store
        self.publicURL = publicURL
        self.onBuild = onBuild
    }

    /// Rebuilds everything when the store has changed since the last build in a way the feeds
    /// show (definitions or session changes).
    func refresh() async throws {
        let now = try await store.chainHead()
        guard now != published.get().head else { return }
        let clock = ContinuousClock()
        let started = clock.now
        let stored = try await store.definitions()
        let previous = published.get()
        guard let base = stored.district else {
            published.set(Published(build: previous.build, head: now))
            return
        }
        let built = base.applying(try await store.sessionChanges())
        let agendas = try await store.agendas()
        let seats = try await store.seats()
        // Attendance and minutes move the head too, but change nothing a feed shows.
        if built == previous.district && agendas == previous.agendas && seats == previous.seats {
            published.update { $0.head = now }
            return
        }
        let url = publicURL
        // Built on NIO's blocking pool: the event loops go on answering requests meanwhile.
        let (plan, result) = try await NIOThreadPool.singleton.runIfActive {
            let plan = try Planning(district: built, zones: SystemTimeZones.lookup).planner
            var result: [String: ServedFeed] = [:]
            for feed in try FeedBuilder(planner: plan, publicURL: url, agendas: agendas).feeds() {
                result[feed.path] = try ServedFeed(
                    text: feed.text,
                    lastModified: Self.lastModified(built, bodies: Self.bodies(of: feed.path, in: built)),
                    refreshMinutes: built.refreshMinutes, isPrivate: false)
            }
            return (plan, result)
        }
        published.set(
            Published(
                feeds: result, hasDefinitions: true, district: built, planner: plan, agendas: agendas, seats: seats,
                build: previous.build + 1, head: now))
        // Memory only: an entry made from an older build is never served (its build differs).
        personal.set([:])
        onBuild(clock.now - started)
    }

    /// The district and planner the feeds were last built from; built first when there is none.
    nonisolated func planning() async throws -> Planning? {
        var current = published.get()
        if current.district == nil {
            try await refresh()
            current = published.get()
        }
        guard let district = current.district, let planner = current.planner else { return nil }
        return Planning(district: district, planner: planner)
    }

    /// The district's name, or empty before the first sync.
    nonisolated var districtName: String { published.get().district?.name ?? "" }

    /// The private feed of a token: the sessions of its person's seats (of the bodies the token
    /// names, else all), named after the person; deputy seats as the person chose.
    nonisolated func personalFeed(token: AccessToken, person: Person) throws -> ServedFeed? {
        let current = published.get()
        guard let district = current.district, let planner = current.planner else { return nil }
        let build = current.build
        // The person's choice is part of the key: changing it needs no rebuild of the others.
        let key = "\(token.id) \(person.showsDeputySeats)"
        if let cached = personal.get()[key], cached.build == build { return cached.feed }
        let seats = current.seats.filter { $0.person == person.id }
        let office = district.office(person.office)
        let feed = try FeedBuilder(planner: planner, publicURL: publicURL, agendas: current.agendas).personalFeed(
            path: "personal.ics", name: "Meine Gremien – \(person.name)",
            description:
                "Sitzungen der Gremien, in denen \(person.name) (\(office?.shortName ?? person.office)) einen Sitz hat",
            seats: seats, showDeputies: person.showsDeputySeats,
            bodies: token.bodies.isEmpty ? nil : Set(token.bodies))
        let bodies = district.bodies.filter { b in seats.contains { $0.body == b.id } }
        let served = try ServedFeed(
            text: feed.text, lastModified: Self.lastModified(district, bodies: bodies),
            refreshMinutes: district.refreshMinutes, isPrivate: true)
        personal.update { $0[key] = PersonalFeed(build: build, feed: served) }
        return served
    }

    static func bodies(of path: String, in district: District) -> [Body] {
        if path.hasPrefix("bodies/") {
            return district.bodies.filter { "bodies/\($0.id).ics" == path }
        }
        if path.hasPrefix("offices/") {
            return district.bodies.filter { b in b.members.contains { "offices/\($0.office).ics" == path } }
        }
        return district.bodies
    }

    /// The latest `updated` of the bodies' series (a recorded session change raises it).
    static func lastModified(_ district: District, bodies: [Body]) -> Date {
        let latest = bodies.flatMap(\.series).map(\.updated).max() ?? LocalDateTime(localSeconds: 0)
        return Date(timeIntervalSince1970: TimeInterval(latest.localSeconds))
    }
}

/// A value behind a lock, for state that many requests read and a rare writer replaces.
final class LockedValue<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func get() -> Value {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func set(_ new: Value) {
        lock.lock()
        value = new
        lock.unlock()
    }

    /// Reads a part of the value without copying the whole (handed over `inout`: a value
    /// handed as an argument would be copied, one reference at a time).
    func read<Part>(_ part: (inout Value) -> Part) -> Part {
        lock.lock()
        defer { lock.unlock() }
        return part(&value)
    }

    func update(_ change: (inout Value) -> Void) {
        lock.lock()
        change(&value)
        lock.unlock()
    }
}
