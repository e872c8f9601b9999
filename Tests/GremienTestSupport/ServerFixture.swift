import Coordination
import Definitions
import Foundation
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
    public static let time = LocalDateTime(year: 2026, month: 3, day: 1, hour: 12)

    public let store: any Store
    public let state: ServerState
    public let logs: LogCapture
    /// Secrets by name: coordinatorRunde (jc, runde), coordinatorBeirat, auditor, admin,
    /// feedAnna (jc), feedJA (ja-k, beirat only), revoked, expired.
    public var secrets: [String: String] = [:]
    public var ids: [String: String] = [:]
    private let cleanup: @Sendable () -> Void

    public init(_ kind: Kind, now: LocalDateTime = ServerFixture.time) async throws {
        (store, cleanup) = try kind.make()
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
                    id: id, hash: TokenSecret.hash(secret), person: person, kind: kind, role: role, bodies: bodies,
                    created: sync, expires: expires), actor: "t")
            secrets[name] = secret
            ids[name] = id
        }
        try await store.revokeToken(id: ids["revoked"] ?? "", at: sync, actor: "t")
        let clock = now
        state = ServerState(
            store: store,
            settings: .init(
                publicURL: "http://127.0.0.1:8080", templates: Self.root.appendingPathComponent("templates").path),
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
