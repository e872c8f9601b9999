import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// One route of the application: its method and path template (`/api/v1/bodies/{id}`).
public struct RouteEntry: Sendable, Hashable, CustomStringConvertible {
    public var method: String
    public var path: String
    public var description: String { "\(method) \(path)" }
}

/// Registers routes on the router and remembers them, so a test can hold them against
/// `openapi.yaml`.
final class RouteTable: @unchecked Sendable {
    let router: Router<GremienContext>
    private(set) var entries: [RouteEntry] = []

    init(router: Router<GremienContext>) { self.router = router }

    func add(
        _ method: HTTPRequest.Method, _ path: String,
        _ handler: @escaping @Sendable (Request, GremienContext) async throws -> Response
    ) {
        router.on(RouterPath(path), method: method, use: handler)
        entries.append(RouteEntry(method: method.rawValue, path: path))
    }
}

/// The router with every route of the server, and the list of them.
public func buildRouter(_ state: ServerState) -> (router: Router<GremienContext>, routes: [RouteEntry]) {
    let router = Router(context: GremienContext.self)
    router.add(middleware: ObservabilityMiddleware(metrics: state.metrics))
    let table = RouteTable(router: router)
    addFeedRoutes(table, state)
    addAPIRoutes(table, state)
    addWebRoutes(table, state)
    addOperationsRoutes(table, state)
    return (router, table.entries)
}

/// The whole application on `host:port`: the router, and a service that rebuilds the feeds
/// when the store changes behind the server's back. Runs until SIGINT or SIGTERM, then drains
/// open requests (swift-service-lifecycle).
public func buildApplication(state: ServerState, host: String, port: Int, logger: Logger) async throws
    -> some ApplicationProtocol
{
    try await state.prepare()
    let (router, _) = buildRouter(state)
    return Application(
        router: router,
        configuration: .init(address: .hostname(host, port: port), serverName: "Gremien"),
        services: [FeedWatcher(state: state, logger: logger)],
        logger: logger)
}

/// Checks the store every few seconds and rebuilds the feeds after changes made elsewhere
/// (the command line, another server).
struct FeedWatcher: Service {
    let state: ServerState
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await state.feeds.refresh()
            } catch {
                logger.error("feeds could not be rebuilt", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: state.settings.pollInterval)
        }
    }
}
