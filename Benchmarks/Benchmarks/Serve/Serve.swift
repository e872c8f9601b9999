import Benchmark
import Coordination
import Definitions
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
// Aim 4 of issue 20, in process: what the router does per request for the shipped calendars'
// all.ics (middleware, feed cache, ETag, gzip) without the network, through Hummingbird's router
// test client: the way personal feeds, and public ones the event loop hands on, take.
// `gremien serve` answers public feeds before the router (PublicFeedHandler); that, and the
// load run against nginx over loopback, is Benchmarks/serve.sh (wrk).
import Logging
import Platform
import Server
import Storage
import StorageSQLite

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], maxDuration: .seconds(10),
        maxIterations: 20)
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    let zone: @Sendable (String) -> ZoneRules? = { try? SystemTimeZones.rules(for: $0) }
    guard
        let district = DefinitionsLoader(directory: root.appendingPathComponent("calendars").path, zone: zone).load()
            .validDistrict
    else {
        print("cannot read \(root.path)/calendars")
        return
    }
    let requests = 1_000
    for (name, headers) in [
        ("200", HTTPFields()), ("304 (If-None-Match)", HTTPFields()), ("200 gzip", [.acceptEncoding: "gzip"]),
    ] {
        Benchmark("serve /feeds/all.ics \(name), \(requests) requests in process") { benchmark in
            let path = FileManager.default.temporaryDirectory.appendingPathComponent(
                "serve-\(UUID().uuidString).sqlite"
            ).path
            defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
            let store = try SQLiteStore(path: path)
            let now = LocalDateTime(year: 2026, month: 11, day: 30, hour: 12)
            try await store.apply(
                SyncPlan.between(stored: StoredDefinitions(), files: district, at: now), at: now, actor: "bench")
            let state = ServerState(
                store: store,
                settings: .init(
                    publicURL: "http://127.0.0.1:8080", templates: root.appendingPathComponent("templates").path),
                now: { now })
            try await state.prepare()
            let app = Application(
                router: buildRouter(state).router, logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
            // The test client's closure is @Sendable; the benchmark is only used inside it.
            nonisolated(unsafe) let benchmark = benchmark
            try await app.test(.router) { client in
                var fields = headers
                if name.hasPrefix("304") {
                    let first = try await client.execute(uri: "/feeds/all.ics", method: .get)
                    fields[.ifNoneMatch] = first.headers[.eTag] ?? ""
                }
                let expected: HTTPResponse.Status = name.hasPrefix("304") ? .notModified : .ok
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    for _ in 0..<requests {
                        let response = try await client.execute(uri: "/feeds/all.ics", method: .get, headers: fields)
                        precondition(response.status == expected)
                        blackHole(response.body)
                    }
                }
                benchmark.stopMeasurement()
            }
        }
    }
}
