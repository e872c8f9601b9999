import Coordination
import Foundation
import Logging
import Platform
import Prometheus
import Publishing
import Storage
import Workflows

/// What the routes share: the store, the feed cache, signed-in web sessions, metrics, settings.
public final class ServerState: Sendable {
    public struct Settings: Sendable {
        /// The address clients use, for subscription links (`http://127.0.0.1:8080`).
        public var publicURL: String
        /// The minutes templates (`templates/`).
        public var templates: String
        /// How often the store is checked for changes made by the command line.
        public var pollInterval: Duration
        /// Addresses of load balancers in front: a request from one of them is taken to come from
        /// the last address of its `X-Forwarded-For` (what sign-in throttling counts by).
        public var trustedProxies: Set<String>

        public init(
            publicURL: String, templates: String = "templates", pollInterval: Duration = .seconds(2),
            trustedProxies: Set<String> = []
        ) {
            self.publicURL = publicURL
            self.templates = templates
            self.pollInterval = pollInterval
            self.trustedProxies = trustedProxies
        }
    }

    /// The client's address: the peer, or behind a trusted proxy the address the proxy added
    /// last to `X-Forwarded-For` (addresses before it came from the client and prove nothing).
    func clientAddress(_ forwarded: String?, peer: String) -> String {
        guard settings.trustedProxies.contains(peer), let forwarded,
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        else { return peer }
        return last
    }

    public let store: any Store
    /// Every use case; the routes only parse, call one, and present.
    public let workflows: Workflows
    public let settings: Settings
    let feeds: FeedCache
    /// What the OParl endpoint shows, read once per build of the feeds (each change of the
    /// store), one reading shared by the requests that arrive while it is made.
    let oparl = SharedReading<ChainHead, Workflows.PublicRecords>()
    public let metrics: PrometheusCollectorRegistry
    /// `gremien_http_requests_total`, shared by the router and the feeds answered before it.
    let requestCounters: RequestCounters
    /// The clock (UTC wall time); tests set it.
    let clock: WallClock

    public init(
        store: any Store, settings: Settings, metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        now: @escaping @Sendable () -> LocalDateTime = {
            LocalDateTime(localSeconds: Int64(Date().timeIntervalSince1970))
        }
    ) {
        self.store = store
        self.settings = settings
        self.metrics = metrics
        requestCounters = RequestCounters(metrics: metrics)
        self.clock = WallClock(now)
        let histogram = metrics.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "gremien", metricName: "feed_build", unitName: "seconds",
                helpText: "Time to build all feeds after a change of the store"),
            buckets: [
                .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5),
            ])
        let feeds = FeedCache(store: store, publicURL: settings.publicURL, onBuild: { histogram.record($0) })
        self.feeds = feeds
        workflows = Workflows(store: store, clock: WallClock(now), planning: { try await feeds.planning() })
    }

    /// Builds the feeds from the store (the application does it before it listens).
    public func prepare() async throws { try await feeds.refresh() }

    /// Refuses to serve without the minutes templates: every minutes download would fail.
    public func checkTemplates() async throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: settings.templates, isDirectory: &isFolder), isFolder.boolValue
        else {
            throw ServerStartError(
                "there is no templates folder \(settings.templates); give the minutes templates with --templates DIR")
        }
        let renderer: MinutesRenderer
        do { renderer = try await MinutesRenderer(folder: settings.templates) } catch {
            throw ServerStartError("\(error); give the minutes templates with --templates DIR")
        }
        let missing = renderer.missingDefaults
        guard missing.isEmpty else {
            throw ServerStartError(
                "the templates folder \(settings.templates) lacks "
                    + missing.map { "\($0).mustache" }.joined(separator: ", ")
                    + "; give the minutes templates with --templates DIR")
        }
    }
}

/// Why the server does not start.
public struct ServerStartError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
