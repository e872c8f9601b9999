import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle
import Storage

/// One route of the application: its method and path template (`/api/v1/bodies/{id}`).
public struct RouteEntry: Sendable, Hashable, CustomStringConvertible {
    public var method: String
    public var path: String
    public var description: String { "\(method) \(path)" }
}

/// Registers routes on the router; the routes themselves are listed by the router.
final class RouteTable: @unchecked Sendable {
    let router: Router<GremienContext>

    init(router: Router<GremienContext>) { self.router = router }

    /// Every route, as the router lists them.
    var entries: [RouteEntry] {
        router.routes.map { RouteEntry(method: $0.method.rawValue, path: $0.path.description) }
    }

    /// The methods of the routes whose template matches `path` (`{id}` stands for one segment,
    /// `{token}.ics` for one ending in `.ics`), sorted; empty when no route has that path.
    func methods(matching path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var found = Set<String>()
        for entry in entries {
            let template = entry.path.split(separator: "/", omittingEmptySubsequences: false)
            guard template.count == segments.count else { continue }
            let matches = zip(template, segments).allSatisfy { t, s in
                guard let open = t.firstIndex(of: "{"), let close = t.firstIndex(of: "}") else { return t == s }
                let prefix = t[..<open]
                let suffix = t[t.index(after: close)...]
                return s.count > prefix.count + suffix.count && s.hasPrefix(prefix) && s.hasSuffix(suffix)
            }
            if matches { found.insert(entry.method) }
        }
        if found.contains("GET") { found.insert("HEAD") }
        return found.sorted()
    }

    func add(
        _ method: HTTPRequest.Method, _ path: String,
        _ handler: @escaping @Sendable (Request, GremienContext) async throws -> Response
    ) {
        router.on(RouterPath(path), method: method, use: handler)
    }
}

/// The router with every route of the server, and the list of them.
public func buildRouter(_ state: ServerState) -> (router: Router<GremienContext>, routes: [RouteEntry]) {
    let router = Router(context: GremienContext.self)
    router.add(middleware: WebErrorMiddleware(state: state))
    router.add(middleware: ObservabilityMiddleware(counters: state.requestCounters))
    let table = RouteTable(router: router)
    router.add(middleware: MethodNotAllowedMiddleware(table: table))
    addFeedRoutes(table, state)
    addAPIRoutes(table, state)
    addWebRoutes(table, state)
    addOParlRoutes(table, state)
    addOperationsRoutes(table, state)
    return (router, table.entries)
}

/// The whole application on `host:port`: the router, and a service that rebuilds the feeds
/// when the store changes behind the server's back. Runs until SIGINT or SIGTERM, then drains
/// open requests (swift-service-lifecycle).
public func buildApplication(
    state: ServerState, host: String, port: Int, limits: ConnectionLimits = .init(), logger: Logger
) async throws -> some ApplicationProtocol {
    try await state.checkTemplates()
    try await state.prepare()
    let (router, _) = buildRouter(state)
    let serverName = "Gremien"
    return Application(
        router: router,
        server: .guardedHTTP1(
            limits,
            feeds: PublicFeedAnswering(feeds: state.feeds, counters: state.requestCounters, serverName: serverName)),
        configuration: .init(
            address: .hostname(host, port: port), serverName: serverName, backlog: 1024,
            availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections, logger: logger)),
        services: [FeedWatcher(state: state, logger: logger)],
        logger: logger)
}

/// Rebuilds the feeds after changes made elsewhere (the command line, another server): checks
/// the store every few seconds, and, on a store that announces its changes (PostgreSQL with
/// several instances), at once after each announcement of a change the feeds may show (records
/// such as attendance wait for the poll). Announcements that arrive while a rebuild runs are
/// taken together into one more.
struct FeedWatcher: Service {
    let state: ServerState
    let logger: Logger

    func run() async throws {
        let (announced, announce) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        await withTaskGroup(of: Void.self) { group in
            if let signal = state.store as? any ChangeSignal {
                group.addTask {
                    await signal.watchChanges { what in
                        if what != .records { announce.yield() }
                    }
                }
                group.addTask {
                    for await _ in announced { await rebuild() }
                }
            }
            group.addTask {
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    await rebuild()
                    try? await Task.sleep(for: state.settings.pollInterval)
                }
                announce.finish()
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func rebuild() async {
        do {
            try await state.feeds.refresh()
        } catch {
            logger.error("feeds could not be rebuilt", metadata: ["error": "\(error)"])
        }
    }
}

/// A path that exists with other methods answers 405 with `Allow`, not 404 (RFC 9110 15.5.6).
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = GremienContext
    let table: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // A route's own 404 (an unknown body) has its method among the allowed ones.
            let allowed = table.methods(matching: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            let allow = allowed.joined(separator: ", ")
            if request.uri.path.hasPrefix("/api/") {
                var refusal = APIError(
                    .methodNotAllowed, "method_not_allowed",
                    "\(request.method.rawValue) is not allowed here; allowed: \(allow)")
                refusal.allow = allow
                throw refusal
            }
            throw HTTPError(.methodNotAllowed, headers: [.allow: allow], message: "Nicht erlaubt: \(allow)")
        }
    }
}
