import Coordination
import Definitions
import Foundation
import Glibc
import Hummingbird
import HummingbirdTesting
import Logging
import NIOFoundationEssentialsCompat
import Platform
import Server
import Storage
import StorageSQLite
import Testing

/// The real application on a store of the small fixture district (runde: jc chair, ja-k member;
/// beirat: jc chair, ja-k advisory until 2026-06-30, aa member), with people and tokens, on the
/// in-memory store or on SQLite; the clock stands at 2026-03-01 12:00 UTC.
public struct ServerFixture: Sendable {
    public typealias Kind = StoreKind

    public static let root = TestDistrict.root
    public static let time = LocalDateTime(year: 2026, month: 10, day: 1, hour: 12)

    public let store: any Store
    public let state: ServerState
    public let logs: LogCapture
    /// Secrets by name: coordinatorRunde (jc, runde), coordinatorBeirat, auditor, admin,
    /// feedAnna (jc), feedJA (ja-k, beirat only), revoked, expired.
    public var secrets: [String: String] = [:]
    public var ids: [String: String] = [:]
    private let cleanup: @Sendable () -> Void

    public init(_ kind: Kind, now: LocalDateTime = ServerFixture.time, templates: String? = nil) async throws {
        (store, cleanup) = try await kind.make()
        let district = try TestDistrict.district()
        let sync = LocalDateTime(year: 2026, month: 1, day: 2)
        try await store.apply(
            SyncPlan.between(stored: StoredDefinitions(), files: district, at: sync), at: sync, actor: "t")
        for (name, office) in [
            ("Anna Beispiel", "jc"), ("Jana Jugend", "ja-k"), ("Ben Vertreter", "aa"), ("Rita Prüfer", "jc"),
        ] {
            try await store.save(Person(name: name, office: office, level: .sgl), at: sync, actor: "t")
        }
        let tokens: [(String, String, AccessToken.Kind, AccessToken.Role?, [String], LocalDateTime?)] = [
            ("coordinatorRunde", "Anna Beispiel", .api, .coordinator, ["runde"], nil),
            ("coordinatorBeirat", "Ben Vertreter", .api, .coordinator, ["beirat"], nil),
            ("auditor", "Rita Prüfer", .api, .auditor, [], nil),
            ("admin", "Rita Prüfer", .api, .admin, [], nil),
            ("feedAnna", "Anna Beispiel", .feed, nil, [], nil),
            ("feedJA", "Jana Jugend", .feed, nil, ["beirat"], nil),
            ("revoked", "Anna Beispiel", .api, .coordinator, ["runde"], nil),
            ("expired", "Anna Beispiel", .api, .coordinator, ["runde"], LocalDateTime(year: 2026, month: 2, day: 1)),
        ]
        for (name, person, kind, role, bodies, expires) in tokens {
            let secret = Secrets.token(prefix: TokenSecret.prefix(for: kind))
            let id = Secrets.handle(prefix: "t-")
            try await store.save(
                AccessToken(
                    id: id, hash: TokenSecret.hash(secret), person: Person.id(from: person), kind: kind, role: role,
                    bodies: bodies,
                    created: sync, expires: expires), actor: "t")
            secrets[name] = secret
            ids[name] = id
        }
        try await store.revokeToken(id: ids["revoked"] ?? "", at: sync, actor: "t")
        let clock = now
        state = ServerState(
            store: store,
            settings: .init(
                publicURL: "http://127.0.0.1:8080",
                templates: templates ?? Self.root.appendingPathComponent("templates").path),
            now: { clock })
        logs = LogCapture()
    }

    public func remove() { cleanup() }

    /// Runs `test` against the application (HummingbirdTesting's router framework, no port).
    public func test(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await state.prepare()
        let (router, _) = buildRouter(state)
        let captured = logs
        let logger = Logger(label: "test") { _ in captured }
        let app = Application(router: router, logger: logger)
        try await app.test(.router) { client in try await test(client) }
    }

    public func bearer(_ name: String) -> HTTPFields { [.authorization: "Bearer \(secrets[name] ?? "")"] }
}

/// Every log line of the application, message and metadata, for checking that no token leaks.
public final class LogCapture: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    public init() {}
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        lock.lock()
        lines.append(
            "\(event.level) \(event.message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })")
        lock.unlock()
    }

    public var text: String {
        lock.lock()
        defer { lock.unlock() }
        return lines.joined(separator: "\n")
    }
}

extension TestResponse {
    public var text: String { String(buffer: body) }
    public var json: Any? { try? JSONSerialization.jsonObject(with: Data(buffer: body)) }
    public var errorCode: String? { ((json as? [String: Any])?["error"] as? [String: Any])?["code"] as? String }
}

extension ServerFixture {
    /// Runs `test` against the application as `gremien serve` runs it (connection rules and
    /// limits included) on a free port of 127.0.0.1; `test` gets the port.
    public func live(
        limits: ConnectionLimits = .init(), _ test: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        let captured = logs
        let logger = Logger(label: "test") { _ in captured }
        let app = try await buildApplication(state: state, host: "127.0.0.1", port: 0, limits: limits, logger: logger)
        try await app.test(.live) { client in try await test(client.port ?? 0) }
    }
}

/// A plain TCP connection to the server under test, for what an HTTP client library hides:
/// partial requests, HTTP/1.0, `Expect: 100-continue`, a connection left open.
public final class RawConnection: @unchecked Sendable {
    public let fd: Int32

    public init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawConnectionError("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            throw RawConnectionError("connect: errno \(errno)")
        }
    }

    deinit { close(fd) }

    public func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until the server closes the connection, `until` is found, or `timeout` passes; on
    /// a thread of its own, so that the server's tasks keep the concurrency pool's threads.
    public func read(until marker: String? = nil, timeout: Double) async -> (text: String, closed: Bool) {
        let result = await timedRead(until: marker, timeout: timeout)
        return (result.text, result.closed)
    }

    /// `read`, with the moment it ended as the reading thread saw it. For a test that measures
    /// how long the server took: the end of `read` is only seen once the concurrency pool
    /// resumes the test, which a busy pool (other tests running at once) once delayed by 13 s.
    public func timedRead(until marker: String? = nil, timeout: Double) async -> (
        text: String, closed: Bool, ended: Date
    ) {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let (text, closed) = self.blockingRead(until: marker, timeout: timeout)
                continuation.resume(returning: (text, closed, Date()))
            }
        }
    }

    /// `read` on the calling thread (for a test's own thread, whose timing the concurrency
    /// pool's load does not delay).
    public func blockingRead(until marker: String?, timeout: Double) -> (text: String, closed: Bool) {
        var data: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = Int32(max(1, deadline.timeIntervalSinceNow * 1000))
            guard poll(&poller, 1, left) > 0 else { break }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return (String(decoding: data, as: UTF8.self), true) }
            data += buffer[0..<n]
            if let marker, String(decoding: data, as: UTF8.self).contains(marker) { break }
        }
        return (String(decoding: data, as: UTF8.self), false)
    }
}

public struct RawConnectionError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The tests that measure time or put load on the machine run alone (`scripts/test` runs them
/// after the others with `GREMIEN_LOAD_TESTS=1`), so that the rest does not slow them down.
public enum LoadTests {
    public static let enabled = ProcessInfo.processInfo.environment["GREMIEN_LOAD_TESTS"] == "1"
}

/// One HTTP/1.1 exchange over a fresh connection (`Connection: close`): the status, the
/// headers (lower-case names) and the body.
public struct RawExchange: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: String

    public static func send(
        port: Int, _ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil,
        timeout: Double = 30
    ) async throws -> RawExchange {
        let c = try RawConnection(port: port)
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        if let body {
            request += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        } else {
            request += "\r\n"
        }
        c.send(request)
        let text = await c.read(timeout: timeout).text
        guard let split = text.range(of: "\r\n\r\n") else {
            throw RawConnectionError("no response: \(text.prefix(200))")
        }
        let lines = text[..<split.lowerBound].split(separator: "\r\n")
        let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return RawExchange(status: status, headers: fields, body: String(text[split.upperBound...]))
    }
}
