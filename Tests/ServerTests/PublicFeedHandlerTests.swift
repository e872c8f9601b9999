import CompressNIO
import Foundation
import GremienTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypesHTTP1
import Testing

@testable import Server

/// Public feeds answered on the event loop (`PublicFeedHandler`): the same answer as the feed
/// routes, everything else handed on, responses in the order of the requests.
@Suite struct PublicFeedHandlerTests {
    static func request(_ uri: String, method: HTTPMethod = .GET, _ headers: [(String, String)] = [])
        -> HTTPRequestHead
    {
        HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: HTTPHeaders([("Host", "x")] + headers))
    }

    /// The handler after NIO's response encoder, as in the server.
    static func channel(_ f: ServerFixture) async throws -> EmbeddedChannel {
        try await f.state.prepare()
        let answering = PublicFeedAnswering(
            feeds: f.state.feeds, counters: f.state.requestCounters, serverName: "Gremien")
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(HTTPResponseEncoder())
        try channel.pipeline.syncOperations.addHandler(PublicFeedHandler(answering, logger: Logger(label: "test")))
        return channel
    }

    /// The bytes written for one request (nil: none).
    static func answer(_ channel: EmbeddedChannel) throws -> String? {
        var bytes: [UInt8] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { bytes += buffer.readableBytesView }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }

    /// What NIO's response encoder writes for a response's fields, converted as Hummingbird's
    /// pipeline converts them: what a route's response becomes on the wire.
    static func encoded(_ status: HTTPResponseStatus, _ fields: HTTPFields, date: String, body: ByteBuffer?) throws
        -> String
    {
        let channel = EmbeddedChannel(handler: HTTPResponseEncoder())
        var headers = HTTPHeaders(fields)
        headers.add(name: "Date", value: date)
        headers.add(name: "Server", value: "Gremien")
        try channel.writeOutbound(
            HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
        if let body { try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(body))) }
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        return try answer(channel) ?? ""
    }

    /// The value of the `Date` line of a response's text.
    static func date(_ text: String) -> String {
        text.split(separator: "\r\n").first { $0.hasPrefix("Date: ") }.map { String($0.dropFirst(6)) } ?? ""
    }

    @Test func answersPublicFeedsWithTheRoutesBytesAndHandsOnTheRest() async throws {
        let f = try await ServerFixture(.memory)
        defer { f.remove() }
        let channel = try await Self.channel(f)
        let feed = try #require(f.state.feeds.published.get().feeds["all.ics"])
        // A plain GET: byte for byte what NIO's encoder makes of the route's response.
        try channel.writeInbound(HTTPServerRequestPart.head(Self.request("/feeds/all.ics?x=1")))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        let plain = try #require(try Self.answer(channel))
        let date = Self.date(plain)
        #expect(HTTPDate.parse(date) != nil)
        #expect(plain == (try Self.encoded(.ok, feed.headers(gzip: false).full, date: date, body: feed.plain)))
        #expect(plain.hasPrefix("HTTP/1.1 200 OK\r\nContent-Type: text/calendar; charset=utf-8\r\n"))
        #expect(plain.contains("\r\nServer: Gremien\r\n\r\nBEGIN:VCALENDAR\r\n"))
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == nil)
        // gzip with its ETag given back (two lines of If-None-Match): 304 without a body.
        try channel.writeInbound(
            HTTPServerRequestPart.head(
                Self.request(
                    "/feeds/all.ics",
                    [("Accept-Encoding", "gzip"), ("if-none-match", "\"old\""), ("If-None-Match", feed.gzipETag)])))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        let unchanged = try #require(try Self.answer(channel))
        #expect(
            unchanged
                == (try Self.encoded(
                    .notModified, feed.headers(gzip: true).notModified, date: Self.date(unchanged), body: nil)))
        #expect(unchanged.contains("ETag: \(feed.gzipETag)\r\n"))
        // gzip: the packed text.
        try channel.writeInbound(
            HTTPServerRequestPart.head(Self.request("/feeds/all.ics", [("accept-encoding", "deflate, gzip")])))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        let packed = try #require(try Self.answer(channel))
        #expect(
            packed == (try Self.encoded(.ok, feed.headers(gzip: true).full, date: Self.date(packed), body: feed.gzip)))
        // HEAD: the headers of GET, no body.
        try channel.writeInbound(HTTPServerRequestPart.head(Self.request("/feeds/bodies/runde.ics", method: .HEAD)))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        let head = try #require(try Self.answer(channel))
        let runde = try #require(f.state.feeds.published.get().feeds["bodies/runde.ics"])
        #expect(head == (try Self.encoded(.ok, runde.headers(gzip: false).full, date: Self.date(head), body: nil)))
        // Handed on: personal feeds, unknown or malformed feeds, other methods and paths, a body.
        let handedOn: [HTTPRequestHead] = [
            Self.request("/feeds/personal/gf_x.ics"), Self.request("/feeds/bodies/nope.ics"),
            Self.request("/feeds/bodies/NOPE_.ics"), Self.request("/feeds/all.ics", method: .POST),
            Self.request("/healthz"), Self.request("/feeds/all.ics", [("Content-Length", "3")]),
            Self.request("/feeds/all.ics", [("Connection", "close")]),
            HTTPRequestHead(version: .http1_0, method: .GET, uri: "/feeds/all.ics"),
        ]
        for request in handedOn {
            try channel.writeInbound(HTTPServerRequestPart.head(request))
            try channel.writeInbound(HTTPServerRequestPart.end(nil))
            guard case .head(let passed)? = try channel.readInbound(as: HTTPServerRequestPart.self) else {
                Issue.record("\(request.method) \(request.uri) was not handed on")
                continue
            }
            #expect(passed.uri == request.uri)
            #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == .end(nil))
            #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        }
        _ = try channel.finish()
    }

    /// A feed asked for while a request handed on before it waits for its response goes the same
    /// way, so that its response comes after; once that response has ended, feeds are answered
    /// here again.
    @Test func pipelinedRequestsKeepTheirOrder() async throws {
        let f = try await ServerFixture(.memory)
        defer { f.remove() }
        let channel = try await Self.channel(f)
        for uri in ["/healthz", "/feeds/all.ics"] {
            try channel.writeInbound(HTTPServerRequestPart.head(Self.request(uri)))
            try channel.writeInbound(HTTPServerRequestPart.end(nil))
        }
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        for uri in ["/healthz", "/feeds/all.ics"] {
            guard case .head(let passed)? = try channel.readInbound(as: HTTPServerRequestPart.self) else {
                Issue.record("\(uri) was not handed on")
                return
            }
            #expect(passed.uri == uri)
            #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == .end(nil))
        }
        // The router answers both; then the next feed is answered here.
        for _ in 0..<2 {
            let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "0"])
            try channel.writeOutbound(HTTPServerResponsePart.head(head))
            try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        }
        #expect(try Self.answer(channel) == String(repeating: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", count: 2))
        try channel.writeInbound(HTTPServerRequestPart.head(Self.request("/feeds/all.ics")))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        #expect(try Self.answer(channel)?.hasPrefix("HTTP/1.1 200 OK\r\nContent-Type: text/calendar") == true)
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == nil)
        _ = try channel.finish()
    }

    /// On a running server: each kind of feed request gets the router's answer (status, headers
    /// but the date, body), is counted under its route, and a connection that polls feeds stays
    /// open while it asks, and is closed when it has been silent for the idle time.
    @Test func aRunningServerAnswersFeedsAsTheRouterDoes() async throws {
        let f = try await ServerFixture(.memory)
        defer { f.remove() }
        let etag = LockedBox<String>("")
        try await f.test { client in
            etag.value = try await client.execute(uri: "/feeds/all.ics", method: .get).headers[.eTag] ?? ""
        }
        let asked: [(String, String, [String: String])] = [
            ("GET", "/feeds/all.ics", [:]), ("GET", "/feeds/all.ics", ["If-None-Match": etag.value]),
            ("GET", "/feeds/all.ics", ["Accept-Encoding": "gzip"]), ("HEAD", "/feeds/all.ics", [:]),
            ("GET", "/feeds/all.ics", ["If-Modified-Since": "Tue, 01 Dec 2099 08:00:00 GMT"]),
            ("GET", "/feeds/bodies/runde.ics", [:]), ("GET", "/feeds/offices/aa.ics?x=1", [:]),
        ]
        let routed = LockedBox<[(status: Int, headers: [String: String], body: String)]>([])
        try await f.test { client in
            for (method, uri, headers) in asked {
                var fields = HTTPFields()
                for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
                let response = try await client.execute(uri: uri, method: .init(method)!, headers: fields)
                var names: [String: String] = [:]
                for field in response.headers { names[field.name.canonicalName] = field.value }
                routed.value.append((Int(response.status.code), names, response.text))
            }
        }
        let limits = ConnectionLimits(header: .seconds(2), body: .seconds(2), idle: .seconds(2), maxConnections: 4000)
        try await f.live(limits: limits) { port in
            let before = try await Self.counts(port)
            for ((method, uri, headers), expected) in zip(asked, routed.value) {
                let got = try await RawExchange.send(port: port, method, uri, headers: headers)
                #expect(got.status == expected.status, "\(method) \(uri) \(headers)")
                let mine = got.headers.filter { !["date", "server", "connection"].contains($0.key) }
                // The router's test client adds `Content-Length: 0` to a 304; the server sends none.
                let routers = expected.headers.filter {
                    $0.key != "date" && !(expected.status == 304 && $0.key == "content-length")
                }
                #expect(mine == routers, "\(method) \(uri) \(headers)")
                #expect(got.headers["server"] == "Gremien")
                if headers["Accept-Encoding"] == nil { #expect(got.body == expected.body, "\(method) \(uri)") }
            }
            let after = try await Self.counts(port)
            var counted: [String: Int] = [:]
            for (key, count) in after where count != before[key] { counted[key] = count - (before[key] ?? 0) }
            let expected: [String: Int] = [
                "GET /feeds/all.ics 200": 2, "GET /feeds/all.ics 304": 2, "HEAD /feeds/all.ics 200": 1,
                "GET /feeds/bodies/{id}.ics 200": 1, "GET /feeds/offices/{id}.ics 200": 1,
                "GET /metrics 200": 1,
            ]
            #expect(counted == expected)
            // Polled every 0.3 s for 3 s (longer than the idle time) on one connection: all
            // answered. On a thread of its own: a busy concurrency pool would delay the pauses.
            let c = try RawConnection(port: port)
            let request = "GET /feeds/all.ics HTTP/1.1\r\nHost: x\r\nIf-None-Match: \(etag.value)\r\n\r\n"
            let answers = await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    var answers: [(text: String, closed: Bool)] = []
                    for _ in 0..<10 {
                        c.send(request)
                        answers.append(c.blockingRead(until: "\r\n\r\n", timeout: 2))
                        Thread.sleep(forTimeInterval: 0.3)
                    }
                    continuation.resume(returning: answers)
                }
            }
            for (n, answer) in answers.enumerated() {
                #expect(!answer.closed && answer.text.hasPrefix("HTTP/1.1 304 Not Modified"), "poll \(n + 1)")
            }
            // Silent for longer than the idle time: closed.
            #expect(await c.read(timeout: 5).closed)
        }
    }
}

extension PublicFeedHandlerTests {
    /// `gremien_http_requests_total` by "method route status".
    static func counts(_ port: Int) async throws -> [String: Int] {
        let text = try await RawExchange.send(port: port, "GET", "/metrics").body
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("gremien_http_requests_total{") {
            guard let found = line.firstMatch(of: /method="([^"]*)",route="([^"]*)",status="([^"]*)"\} (\d+)/)
            else { continue }
            counts["\(found.1) \(found.2) \(found.3)"] = Int(found.4)
        }
        return counts
    }
}

/// A value tests set inside a closure and read after it.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
