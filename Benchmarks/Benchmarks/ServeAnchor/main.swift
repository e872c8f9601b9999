// The ceiling for gremien serve's feed answers (aim 4 of issue 20): SwiftNIO's own HTTP/1.1
// pipeline with one handler that answers every request from memory, nothing else. It sends
// what gremien sends for all.ics (the headers of `curl -D` of gremien's answer, a fresh Date
// each second): 304 when If-None-Match holds the ETag, gzip when Accept-Encoding names it.
// Benchmarks/serve.sh runs it beside nginx and gremien; gremien's share of this server's
// requests/s is what our own code costs, this server's share of nginx's what the stack costs.
// With --raw it leaves out NIO's response encoder too and writes the response's bytes itself
// (what is left then is NIO's event loop, its request decoder and the kernel).
//
//   ServeAnchor [--raw] PORT FEED FEED.gz HEADERS HEADERS.gz
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

let raw = CommandLine.arguments.contains("--raw")
let arguments = CommandLine.arguments.filter { $0 != "--raw" }
guard arguments.count == 6, let port = Int(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: ServeAnchor [--raw] PORT FEED FEED.gz HEADERS HEADERS.gz\n".utf8))
    exit(2)
}

/// The header lines of a saved response, without Date (made per second here).
func headers(_ path: String) throws -> HTTPHeaders {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var fields = HTTPHeaders()
    for line in text.split(separator: "\r\n").dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        let name = String(line[..<colon])
        if name.lowercased() == "date" { continue }
        fields.add(name: name, value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }
    return fields
}

struct Variant: Sendable {
    var full: HTTPHeaders
    var notModified: HTTPHeaders
    var body: ByteBuffer
    var etag: String
}

func variant(body: String, headers path: String) throws -> Variant {
    let full = try headers(path)
    var notModified = full
    notModified.remove(name: "Content-Length")
    notModified.remove(name: "Content-Encoding")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: body))
    return Variant(
        full: full, notModified: notModified, body: ByteBuffer(bytes: bytes), etag: full["ETag"].first ?? "")
}

let plain = try variant(body: arguments[2], headers: arguments[4])
let gzip = try variant(body: arguments[3], headers: arguments[5])

/// What a request gets: the variant (gzip or not), whether unchanged (304), the Date.
struct Chosen {
    var variant: Variant
    var unchanged: Bool
    var withBody: Bool
    var fields: HTTPHeaders

    /// The answer to `head`; `date` is made once a second per connection.
    init(_ head: HTTPRequestHead, date: inout (second: Int, text: String)) {
        let zipped = head.headers["Accept-Encoding"].contains { $0.contains("gzip") }
        variant = zipped ? gzip : plain
        unchanged = head.headers["If-None-Match"].first.map { $0 == plain.etag || $0 == gzip.etag } ?? false
        withBody = !unchanged && head.method != .HEAD
        let now = time(nil)
        if now != date.second {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "GMT")
            f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            date = (now, f.string(from: Date(timeIntervalSince1970: TimeInterval(now))))
        }
        fields = unchanged ? variant.notModified : variant.full
        fields.replaceOrAdd(name: "Date", value: date.text)
    }
}

/// Answers each request from memory: through NIO's response encoder (HTTP parts), or with
/// `raw` as the response's bytes (status line, header lines, body) where there is no encoder.
final class Answer: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    private let raw: Bool
    private var request: HTTPRequestHead?
    private var date = (second: -1, text: "")

    init(raw: Bool) { self.raw = raw }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): request = head
        case .body: break
        case .end:
            guard let head = request else { return }
            let chosen = Chosen(head, date: &date)
            let status: HTTPResponseStatus = chosen.unchanged ? .notModified : .ok
            if raw {
                var out = context.channel.allocator.buffer(capacity: 512)
                out.writeString("HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n")
                for field in chosen.fields { out.writeString("\(field.name): \(field.value)\r\n") }
                out.writeString("\r\n")
                context.write(NIOAny(out), promise: nil)
                if chosen.withBody { context.write(NIOAny(chosen.variant.body), promise: nil) }
                context.flush()
            } else {
                let response = HTTPResponseHead(version: .http1_1, status: status, headers: chosen.fields)
                context.write(wrapOutboundOut(.head(response)), promise: nil)
                if chosen.withBody {
                    context.write(wrapOutboundOut(.body(.byteBuffer(chosen.variant.body))), promise: nil)
                }
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}

let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
let channel = try ServerBootstrap(group: group)
    .serverChannelOption(.backlog, value: 1024)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            if raw {
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
                try channel.pipeline.syncOperations.addHandler(Answer(raw: true))
            } else {
                try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                    withPipeliningAssistance: false, withErrorHandling: false)
                try channel.pipeline.syncOperations.addHandler(Answer(raw: false))
            }
        }
    }
    .bind(host: "127.0.0.1", port: port).wait()
print("ServeAnchor\(raw ? " --raw" : "") on 127.0.0.1:\(port)")
try channel.closeFuture.wait()
