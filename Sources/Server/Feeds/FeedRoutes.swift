import Coordination
import Foundation
import Hummingbird
import NIOPosix
import Prometheus
import Storage
import Workflows

/// `GET|HEAD /feeds/all.ics`, `/feeds/bodies/{id}.ics`, `/feeds/offices/{id}.ics` (public, no
/// names of staff) and `/feeds/personal/{token}.ics` (private).
func addFeedRoutes(_ table: RouteTable, _ state: ServerState) {
    for method in [HTTPRequest.Method.get, .head] {
        for route in PublicFeedRoute.allCases {
            table.add(method, route.template) { request, context in
                try servePublic(state, request, path: try route.key(id: context.parameters.get("id")))
            }
        }
        table.add(method, "/feeds/personal/{token}.ics") { request, context in
            let secret = context.parameters.get("token") ?? ""
            // The token ends with the membership: a seat of the person's office in its bodies today.
            let (token, person) = try await state.run { try await state.workflows.feedHolder(secret: secret) }
            // Built (when not cached) on NIO's blocking pool, not on an event loop.
            let feed = try await NIOThreadPool.singleton.runIfActive {
                try state.feeds.personalFeed(token: token, person: person)
            }
            guard let feed else {
                throw APIError.notFound("no feed for \(person.office)")
            }
            return respond(feed, request)
        }
    }
}

/// The public feed routes: the template each is registered (and counted and logged) under, and
/// the key of its feeds in the cache (`FeedCache.Published.feeds`). `PublicFeedHandler`, which
/// answers them before the router, reads the same.
enum PublicFeedRoute: Int, CaseIterable {
    case all, body, office

    var template: String {
        switch self {
        case .all: return "/feeds/all.ics"
        case .body: return "/feeds/bodies/{id}.ics"
        case .office: return "/feeds/offices/{id}.ics"
        }
    }

    /// The cache key for the route's `{id}` (400 for one that is not an id).
    func key(id: String?) throws -> String {
        switch self {
        case .all: return "all.ics"
        case .body: return "bodies/\(try validID(id ?? "", "body")).ics"
        case .office: return "offices/\(try validID(id ?? "", "office")).ics"
        }
    }

    /// The route whose feeds have keys like `key` (`all.ics`, `bodies/…`, `offices/…`).
    init?(key: Substring) {
        if key == "all.ics" {
            self = .all
        } else if key.utf8.starts(with: "bodies/".utf8) {
            self = .body
        } else if key.utf8.starts(with: "offices/".utf8) {
            self = .office
        } else {
            return nil
        }
    }
}

private func servePublic(_ state: ServerState, _ request: Request, path: String) throws -> Response {
    let published = state.feeds.published.get()
    guard let feed = published.feeds[path] else {
        if !published.hasDefinitions {
            throw APIError(.serviceUnavailable, "no_definitions", "the store holds no definitions yet")
        }
        throw APIError.notFound("there is no feed \(path)")
    }
    return respond(feed, request)
}

/// The feed with its validators (`FeedAnswer`); the header sets are made with the feed
/// (`ServedFeed.headers`). Requests for public feeds are mostly answered before they reach
/// the router (`PublicFeedHandler`); this answers the rest and the personal feeds.
func respond(_ feed: ServedFeed, _ request: Request) -> Response {
    let answer = FeedAnswer(
        feed, acceptEncoding: request.headers[.acceptEncoding], ifNoneMatch: request.headers[.ifNoneMatch],
        ifModifiedSince: request.headers[.ifModifiedSince])
    let fields = feed.headers(gzip: answer.gzip)
    if answer.notModified { return Response(status: .notModified, headers: fields.notModified) }
    if request.method == .head { return Response(status: .ok, headers: fields.full) }
    return Response(status: .ok, headers: fields.full, body: .init(byteBuffer: answer.body(of: feed)))
}

/// What a request for a feed gets: 304 when `If-None-Match` holds its ETag (or, without it,
/// `If-Modified-Since` is not before its last change); the gzip encoding when the client
/// accepts it. Header values as HTTP gives them (several lines of one field joined by ", ").
struct FeedAnswer {
    var gzip: Bool
    var notModified: Bool

    init(_ feed: ServedFeed, acceptEncoding: String?, ifNoneMatch: String?, ifModifiedSince: String?) {
        gzip = acceptsGzip(acceptEncoding)
        if let tags = ifNoneMatch {
            notModified = tags == feed.etag || tags == feed.gzipETag || matchesAny(tags, feed)
        } else if let since = ifModifiedSince, let date = HTTPDate.parse(since) {
            notModified = feed.lastModified <= date
        } else {
            notModified = false
        }
    }

    func body(of feed: ServedFeed) -> ByteBuffer { gzip ? feed.gzip : feed.plain }
}

/// `If-None-Match` with several tags, weak tags or `*`.
private func matchesAny(_ tags: String, _ feed: ServedFeed) -> Bool {
    tags.split(separator: ",").contains { tag in
        let t = tag.trimmingCharacters(in: .whitespaces)
        let strong = t.hasPrefix("W/") ? String(t.dropFirst(2)) : t
        return strong == "*" || strong == feed.etag || strong == feed.gzipETag
    }
}

/// Whether `Accept-Encoding` admits gzip (and does not give it q=0).
func acceptsGzip(_ header: String?) -> Bool {
    guard let header, header.contains("gzip") else { return false }
    if header == "gzip" || (!header.contains("q=") && !header.contains("Q=")) { return true }
    for part in header.split(separator: ",") {
        let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let name = fields.first?.lowercased(), name == "gzip" || name == "x-gzip" else { continue }
        return !fields.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "") == "q=0" || $0 == "q=0.0" }
    }
    return false
}

/// `GET /healthz` and `GET /metrics` (Prometheus text format).
func addOperationsRoutes(_ table: RouteTable, _ state: ServerState) {
    table.add(.get, "/healthz") { _, _ in
        let head = try await state.run { try await state.workflows.chainHead() }
        let problems = state.workflows.storeProblems()
        var text = "{\"status\":\"\(problems.isEmpty ? "ok" : "degraded")\",\"chainHead\":\(head.seq)"
        if let listed = try? JSONSerialization.data(withJSONObject: problems, options: [.withoutEscapingSlashes]),
            !problems.isEmpty
        {
            text += ",\"problems\":" + String(decoding: listed, as: UTF8.self)
        }
        let body = Data((text + "}").utf8)
        var headers: HTTPFields = [.contentType: "application/json"]
        if !problems.isEmpty { headers[.retryAfter] = "60" }
        return Response(
            status: problems.isEmpty ? .ok : .serviceUnavailable, headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
    table.add(.get, "/metrics") { _, _ in
        var bytes: [UInt8] = []
        state.metrics.emit(into: &bytes)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
