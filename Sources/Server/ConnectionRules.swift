import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// How long a client may take, and how many may be connected at once. A client that sends its
/// request slowly (a byte every few seconds) holds a connection; without limits, enough of them
/// lock everyone else out.
public struct ConnectionLimits: Sendable {
    /// From the connection's start, or the end of the last response, to a request's complete head.
    public var header: TimeAmount
    /// From a request's head to the end of its body.
    public var body: TimeAmount
    /// A kept-alive connection without a request in flight is closed after this.
    public var idle: TimeAmount
    /// Connections beyond this wait in the listen queue until others close.
    public var maxConnections: Int

    public init(
        header: TimeAmount = .seconds(10), body: TimeAmount = .seconds(30), idle: TimeAmount = .seconds(60),
        maxConnections: Int = 4000
    ) {
        self.header = header
        self.body = body
        self.idle = idle
        self.maxConnections = maxConnections
    }
}

/// Hummingbird's HTTP/1.1 channel with the rules HTTP/1.1 sets and Hummingbird leaves out:
/// `ConnectionRulesHandler` sits between NIO's decoder and the conversion to HTTP types, where
/// the request's version and `Expect` are still known; after it `PublicFeedHandler` answers
/// requests for public feeds. The idle time between requests is the rules handler's too
/// (Hummingbird's own idle timer does not see the requests answered before the router).
struct GuardedHTTP1Channel: ServerChildChannel {
    let inner: HTTP1Channel
    let limits: ConnectionLimits
    let feeds: PublicFeedAnswering?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let codec = try operations.handler(type: HTTP1ToHTTPServerCodec.self)
            try operations.addHandler(ConnectionRulesHandler(limits: limits), position: .before(codec))
            if let feeds {
                try operations.addHandler(PublicFeedHandler(feeds, logger: logger), position: .before(codec))
            }
            return value
        }
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with Gremien's connection rules and limits, and public feeds answered before
    /// the router.
    static func guardedHTTP1(_ limits: ConnectionLimits, feeds: PublicFeedAnswering?) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GuardedHTTP1Channel(
                inner: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: nil)),
                limits: limits, feeds: feeds)
        }
    }
}

/// Per connection:
/// - a request head must be complete within `limits.header` and its body within `limits.body`
///   (else the connection is closed: a slow client cannot hold it);
/// - an HTTP/1.0 request without `Connection: keep-alive`, and any request with
///   `Connection: close`, ends the connection after its response (`Connection: close` is handed
///   on, which Hummingbird honours, and the response says so);
/// - `Expect: 100-continue` is answered with `100 Continue` before the body is read.
final class ConnectionRulesHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let limits: ConnectionLimits
    /// When the connection is closed unless what it waits for comes first; `nil`: not waiting.
    private var deadline: NIODeadline?
    /// The one timer that checks `deadline`: moving the deadline (twice a request) only sets the
    /// variable, and the timer, when it fires early, waits again for the deadline as it then is.
    private var timer: Scheduled<Void>?
    /// Whether the response in flight ends the connection.
    private var closeAfterResponse = false
    private var requestVersion = HTTPVersion.http1_1

    init(limits: ConnectionLimits) { self.limits = limits }

    /// How long a connection waits for a request's head: the header limit, or the idle time
    /// when that is shorter.
    private var waiting: TimeAmount { min(limits.header, limits.idle) }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(waiting, context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(waiting, context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { stop() }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(var head):
            requestVersion = head.version
            closeAfterResponse = !head.isKeepAlive
            arm(limits.body, context)
            let expectsContinue =
                head.headers.contains(name: "Expect")
                && head.headers["Expect"].contains { $0.lowercased() == "100-continue" }
            guard closeAfterResponse || expectsContinue else {
                // Nothing to change: the part as it came, without wrapping it anew.
                context.fireChannelRead(data)
                return
            }
            if closeAfterResponse { head.headers.replaceOrAdd(name: "Connection", value: "close") }
            if expectsContinue && head.version != .http1_0 {
                head.headers.remove(name: "Expect")
                let interim = HTTPResponseHead(version: head.version, status: .continue)
                context.writeAndFlush(wrapOutboundOut(.head(interim)), promise: nil)
            }
            context.fireChannelRead(wrapInboundOut(.head(head)))
        case .body:
            context.fireChannelRead(data)
        case .end:
            disarm()
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where head.status.code >= 200:
            if closeAfterResponse {
                head.headers.replaceOrAdd(name: "Connection", value: "close")
                head.version = requestVersion == .http1_0 ? .http1_0 : head.version
            }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end(let trailers):
            let closing = closeAfterResponse
            let written = promise ?? context.eventLoop.makePromise()
            context.write(wrapOutboundOut(.end(trailers)), promise: written)
            if closing {
                written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            } else {
                arm(waiting, context)
            }
        default:
            context.write(data, promise: promise)
        }
    }

    /// A handler after this one has written a whole response past it (`PublicFeedHandler`): the
    /// connection waits for the next request, as after a response that went through here.
    struct ResponseWritten {}

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is ResponseWritten else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        arm(waiting, context)
        promise?.succeed()
    }

    private func arm(_ limit: TimeAmount, _ context: ChannelHandlerContext) {
        deadline = .now() + limit
        if timer == nil { schedule(context) }
    }

    private func schedule(_ context: ChannelHandlerContext) {
        guard let deadline else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
            guard let self else { return }
            self.timer = nil
            guard let due = self.deadline else { return }
            if due <= .now() {
                context.close(promise: nil)
            } else {
                self.schedule(context)
            }
        }
    }

    private func disarm() {
        deadline = nil
    }

    /// Stops the timer for good (the handler leaves the pipeline, the connection closed).
    private func stop() {
        deadline = nil
        timer?.cancel()
        timer = nil
    }
}
