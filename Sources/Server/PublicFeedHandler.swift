import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Prometheus

/// What `PublicFeedHandler` needs of the server: the feeds built last, the request counters,
/// and the name the `Server` header gives.
struct PublicFeedAnswering: Sendable {
    let feeds: FeedCache
    let counters: RequestCounters
    let serverName: String
}

/// Answers `GET` and `HEAD` of a public feed (`/feeds/all.ics`, `/feeds/bodies/{id}.ics`,
/// `/feeds/offices/{id}.ics`) on the event loop, from the feeds built last, with the same
/// status, headers and body as the feed routes (`FeedAnswer`, `ServedFeed.headers`, then
/// `Date` and `Server` as the application adds them), counted and logged as the router's
/// requests are. Calendar clients poll these feeds all day; in the router each request
/// costs a task and several thread switches, here none (`Benchmarks/serve.sh`).
///
/// Everything else goes on to the router unchanged: other paths, personal feeds (they need
/// the store), a feed that does not exist (404, 400 or 503 as the routes word it), a request
/// with a body, and every request that arrives while one handed on before it is not answered
/// yet (pipelined requests), so that responses keep the order of the requests. It sits after
/// `ConnectionRulesHandler`, whose time limits, `Connection: close` and HTTP/1.0 rules hold for
/// what it answers.
final class PublicFeedHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let answering: PublicFeedAnswering
    private let logger: Logger
    /// Requests handed on whose response has not ended: while there are any, all are handed on.
    private var handedOn = 0
    /// The request answered here, read up to its end.
    private var pending: Pending?
    /// Whether a part was handed on since the last end of a read: only then do the handlers
    /// after this one hear of the read's end.
    private var handedOnInRead = false
    /// `Date` of the second it was made for.
    private var dateSecond = -1
    private var dateText = ""
    /// The counters by route, method and status (`Pending.counterIndex`), looked up once each.
    private var counters = [Counter?](repeating: nil, count: Route.allCases.count * 4)

    enum Route: Int, CaseIterable {
        case all, body, office

        /// The route's template, as the router names it in metrics and logs.
        var template: String {
            switch self {
            case .all: return "/feeds/all.ics"
            case .body: return "/feeds/bodies/{id}.ics"
            case .office: return "/feeds/offices/{id}.ics"
            }
        }
    }

    private struct Pending {
        var feed: ServedFeed
        var answer: FeedAnswer
        var route: Route
        var isHead: Bool
        var started: ContinuousClock.Instant?

        var counterIndex: Int { route.rawValue * 4 + (isHead ? 2 : 0) + (answer.notModified ? 1 : 0) }
    }

    init(_ answering: PublicFeedAnswering, logger: Logger) {
        self.answering = answering
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if handedOn == 0, let taken = take(head) {
                pending = taken
            } else {
                handedOn += 1
                handOn(data, context)
            }
        case .body:
            // A request answered here has no body (`take`): the parts are the router's.
            if pending == nil { handOn(data, context) }
        case .end:
            if let answered = pending {
                pending = nil
                answer(answered, context)
            } else {
                handOn(data, context)
            }
        }
    }

    private func handOn(_ data: NIOAny, _ context: ChannelHandlerContext) {
        handedOnInRead = true
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        guard handedOnInRead else { return }
        handedOnInRead = false
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { handedOn = max(0, handedOn - 1) }
        context.write(data, promise: promise)
    }

    /// The feed a request asks for, when this handler answers it.
    private func take(_ head: HTTPRequestHead) -> Pending? {
        guard head.method == .GET || head.method == .HEAD else { return nil }
        let uri = head.uri.utf8
        guard uri.starts(with: "/feeds/".utf8) else { return nil }
        let key = Substring(
            uri[uri.index(uri.startIndex, offsetBy: 7)..<(uri.firstIndex(of: UInt8(ascii: "?")) ?? uri.endIndex)])
        let route: Route
        if key == "all.ics" {
            route = .all
        } else if key.utf8.starts(with: "bodies/".utf8) {
            route = .body
        } else if key.utf8.starts(with: "offices/".utf8) {
            route = .office
        } else {
            return nil
        }
        let length = head.headers["Content-Length"]
        guard length.isEmpty || length == ["0"], !head.headers.contains(name: "Transfer-Encoding"),
            let feed = answering.feeds.published.read({ $0.feeds[String(key)] })
        else { return nil }
        let answer = FeedAnswer(
            feed, acceptEncoding: Self.field(head.headers, "Accept-Encoding"),
            ifNoneMatch: Self.field(head.headers, "If-None-Match"),
            ifModifiedSince: Self.field(head.headers, "If-Modified-Since"))
        return Pending(
            feed: feed, answer: answer, route: route, isHead: head.method == .HEAD,
            started: logger.logLevel <= .debug ? .now : nil)
    }

    private func answer(_ pending: Pending, _ context: ChannelHandlerContext) {
        let fields = pending.feed.headers(gzip: pending.answer.gzip)
        let notModified = pending.answer.notModified
        var headers = notModified ? fields.http1NotModified : fields.http1Full
        headers.add(name: "Date", value: date())
        headers.add(name: "Server", value: answering.serverName)
        let status: HTTPResponseStatus = notModified ? .notModified : .ok
        let head = HTTPResponseHead(version: .http1_1, status: status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !notModified && !pending.isHead {
            context.write(wrapOutboundOut(.body(.byteBuffer(pending.answer.body(of: pending.feed)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        count(pending, status: Int(status.code))
    }

    private func count(_ pending: Pending, status: Int) {
        let index = pending.counterIndex
        let method = pending.isHead ? "HEAD" : "GET"
        if counters[index] == nil {
            counters[index] = answering.counters.counter(method: method, route: pending.route.template, status: status)
        }
        counters[index]?.increment()
        if let started = pending.started {
            ObservabilityMiddleware.log(logger, status: status) {
                ObservabilityMiddleware.requestMetadata(
                    method: method, route: pending.route.template, status: status, since: started)
            }
        }
    }

    /// IMF-fixdate of now, made once a second.
    private func date() -> String {
        let second = time(nil)
        if second != dateSecond {
            dateSecond = second
            dateText = HTTPDate.format(Date(timeIntervalSince1970: TimeInterval(second)))
        }
        return dateText
    }

    /// A request header's value as HTTP gives it: several lines of the field joined by ", ".
    private static func field(_ headers: HTTPHeaders, _ name: String) -> String? {
        let values = headers[name]
        if values.count <= 1 { return values.first }
        return values.joined(separator: ", ")
    }
}
