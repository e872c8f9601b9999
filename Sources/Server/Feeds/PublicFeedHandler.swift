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
/// The response is written as bytes made with the feed (`ServedFeed.Headers.wireFull`, then a
/// `Date` and `Server` line made once a second, then the body), past NIO's response encoder,
/// which would write the same bytes from HTTP parts at a cost that matters for a 304 of a few
/// hundred bytes; `ConnectionRulesHandler` hears of it (`ResponseWritten`) and waits for the
/// next request under its time limit.
///
/// Everything else goes on to the router unchanged: other paths, personal feeds (they need
/// the store), a feed that does not exist (404, 400 or 503 as the routes word it), a request
/// with a body, one that ends the connection (HTTP/1.0, `Connection: close`: the rules
/// handler words those responses), and every request that arrives while one handed on before
/// it is not answered yet (pipelined requests), so that responses keep the order of the
/// requests.
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
    /// Where the response's bytes are written: the context of NIO's response encoder, whose
    /// writes go to the socket.
    private var wire: ChannelHandlerContext?
    /// `Date: …` and `Server: …` lines and the blank line, for `dateSecond`.
    private var trailer = ByteBuffer()
    /// The counters by route, method and status (`Pending.counterIndex`), looked up once each.
    private var counters = [Counter?](repeating: nil, count: PublicFeedRoute.allCases.count * 4)

    private struct Pending {
        var feed: ServedFeed
        var answer: FeedAnswer
        var route: PublicFeedRoute
        var isHead: Bool
        var started: ContinuousClock.Instant?

        var counterIndex: Int { route.rawValue * 4 + (isHead ? 2 : 0) + (answer.notModified ? 1 : 0) }
    }

    init(_ answering: PublicFeedAnswering, logger: Logger) {
        self.answering = answering
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        wire = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self)
    }

    func handlerRemoved(context: ChannelHandlerContext) { wire = nil }

    func channelInactive(context: ChannelHandlerContext) {
        wire = nil
        context.fireChannelInactive()
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
        guard head.method == .GET || head.method == .HEAD, head.isKeepAlive, wire != nil else { return nil }
        let uri = head.uri.utf8
        guard uri.starts(with: "/feeds/".utf8) else { return nil }
        let key = Substring(
            uri[uri.index(uri.startIndex, offsetBy: 7)..<(uri.firstIndex(of: UInt8(ascii: "?")) ?? uri.endIndex)])
        guard let route = PublicFeedRoute(key: key) else { return nil }
        let fields = RequestFields(head.headers)
        guard !fields.hasBody, let feed = answering.feeds.published.read({ $0.feeds[String(key)] })
        else { return nil }
        let answer = FeedAnswer(
            feed, acceptEncoding: fields.acceptEncoding, ifNoneMatch: fields.ifNoneMatch,
            ifModifiedSince: fields.ifModifiedSince)
        return Pending(
            feed: feed, answer: answer, route: route, isHead: head.method == .HEAD,
            started: logger.logLevel <= .debug ? .now : nil)
    }

    private func answer(_ pending: Pending, _ context: ChannelHandlerContext) {
        guard let wire else { return }
        let fields = pending.feed.headers(gzip: pending.answer.gzip)
        let notModified = pending.answer.notModified
        wire.write(NIOAny(notModified ? fields.wireNotModified : fields.wireFull), promise: nil)
        wire.write(NIOAny(dateAndServer()), promise: nil)
        if !notModified && !pending.isHead {
            wire.write(NIOAny(pending.answer.body(of: pending.feed)), promise: nil)
        }
        wire.flush()
        context.triggerUserOutboundEvent(ConnectionRulesHandler.ResponseWritten(), promise: nil)
        count(pending, status: notModified ? 304 : 200)
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

    /// The `Date` (IMF-fixdate of now) and `Server` lines and the blank line ending the head,
    /// made once a second.
    private func dateAndServer() -> ByteBuffer {
        let second = time(nil)
        if second != dateSecond {
            dateSecond = second
            let date = HTTPDate.format(Date(timeIntervalSince1970: TimeInterval(second)))
            trailer = ByteBuffer(string: "Date: \(date)\r\nServer: \(answering.serverName)\r\n\r\n")
        }
        return trailer
    }

}

/// The request's fields a feed's answer depends on, in one pass over the header lines; values
/// as HTTP gives them (several lines of a field joined by ", ").
struct RequestFields {
    var acceptEncoding: String?
    var ifNoneMatch: String?
    var ifModifiedSince: String?
    /// `Content-Length` other than 0, or `Transfer-Encoding`.
    var hasBody = false

    init(_ headers: HTTPHeaders) {
        for (name, value) in headers {
            switch name.utf8.count {
            case 13 where name.caseInsensitiveEquals("If-None-Match"): Self.add(value, to: &ifNoneMatch)
            case 15 where name.caseInsensitiveEquals("Accept-Encoding"): Self.add(value, to: &acceptEncoding)
            case 17 where name.caseInsensitiveEquals("If-Modified-Since"): Self.add(value, to: &ifModifiedSince)
            case 14 where name.caseInsensitiveEquals("Content-Length"): hasBody = hasBody || value != "0"
            case 17 where name.caseInsensitiveEquals("Transfer-Encoding"): hasBody = true
            default: continue
            }
        }
    }

    private static func add(_ value: String, to field: inout String?) {
        field = field.map { $0 + ", " + value } ?? value
    }
}

extension String {
    /// Equal to `other` but for the case of ASCII letters (header names are ASCII).
    fileprivate func caseInsensitiveEquals(_ other: StaticString) -> Bool {
        let a = utf8
        guard a.count == other.utf8CodeUnitCount else { return false }
        return other.withUTF8Buffer { b in
            zip(a, b).allSatisfy { x, y in x == y || (x | 0x20 == y | 0x20 && (y | 0x20) >= 0x61 && (y | 0x20) <= 0x7A)
            }
        }
    }
}
