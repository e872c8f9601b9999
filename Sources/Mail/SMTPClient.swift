import Foundation
import NIOCore
import NIOExtras
import NIOPosix
import NIOSSL

/// Where and how messages are sent: `smtp://[user@]host:port`; the password comes from the
/// environment or a file, never from the address (it would show in process lists and logs).
public struct SMTPConfiguration: Sendable, Hashable {
    public enum Security: String, Sendable, Hashable {
        /// STARTTLS when the server offers it; required before a password is sent unless the
        /// server is this machine.
        case startTLS = "starttls"
        /// STARTTLS or nothing is sent.
        case requireTLS = "require-tls"
        /// Plain text (a relay on this machine).
        case none
    }

    public var host: String
    public var port: Int
    public var user: String?
    public var password: String?
    public var security: Security
    /// A PEM file of certificates to trust besides the system's (a district's own CA).
    public var caFile: String?
    /// The name this machine gives in EHLO.
    public var heloName: String
    /// Seconds for the whole exchange of one message.
    public var timeout: Int

    public init(
        host: String, port: Int = 25, user: String? = nil, password: String? = nil, security: Security = .startTLS,
        caFile: String? = nil, heloName: String = "gremien.localhost", timeout: Int = 60
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.security = security
        self.caFile = caFile
        self.heloName = heloName
        self.timeout = timeout
    }

    /// Reads `smtp://[user@]host[:port]`; a password in the address is refused.
    public init(url text: String, password: String? = nil) throws(SMTPError) {
        guard text.hasPrefix("smtp://") else {
            throw .configuration("the mail server is given as smtp://[user@]host:port, not '\(text.prefix(40))'")
        }
        var rest = String(text.dropFirst("smtp://".count))
        if rest.hasSuffix("/") { rest.removeLast() }
        var user: String?
        if let at = rest.lastIndex(of: "@") {
            let who = String(rest[..<at])
            if who.contains(":") {
                throw .configuration(
                    "no password in the mail server's address; give it in GREMIEN_SMTP_PASSWORD or --smtp-password-file"
                )
            }
            user = who.removingPercentEncoding ?? who
            rest = String(rest[rest.index(after: at)...])
        }
        var host = rest
        var port = 25
        if let colon = rest.lastIndex(of: ":") {
            guard let p = Int(rest[rest.index(after: colon)...]), (1...65535).contains(p) else {
                throw .configuration("the mail server's port in '\(text.prefix(60))' is not a number from 1 to 65535")
            }
            host = String(rest[..<colon])
            port = p
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || ".-[]:".contains($0) }) else {
            throw .configuration("the mail server's host in '\(text.prefix(60))' is not a host name")
        }
        self.init(host: host, port: port, user: user, password: password)
    }

    var isLoopback: Bool { host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]" }
}

/// Why a message was not sent: the server's reply (with its code, so that a worker knows
/// whether trying again can help), the connection, or the configuration.
public enum SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    case configuration(String)
    case connection(String)
    /// The server answered `code` to `command`.
    case refused(command: String, code: Int, text: String)

    public var description: String {
        switch self {
        case .configuration(let m), .connection(let m): return m
        case .refused(let command, let code, let text): return "the mail server answered \(code) to \(command): \(text)"
        }
    }

    /// 4xx and lost connections may pass when tried again; 5xx and configuration errors do not.
    public var isTransient: Bool {
        switch self {
        case .configuration: return false
        case .connection: return true
        case .refused(_, let code, _): return code < 500
        }
    }
}

/// An SMTP client on SwiftNIO (RFC 5321): EHLO, STARTTLS (swift-nio-ssl), AUTH PLAIN or LOGIN,
/// MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT. One connection per call of `send`.
public struct SMTPClient: Sendable {
    public var configuration: SMTPConfiguration

    public init(_ configuration: SMTPConfiguration) { self.configuration = configuration }

    /// Sends `data` (a rendered message) from `sender` to `recipients`.
    public func send(_ data: String, from sender: String, to recipients: [String]) async throws(SMTPError) {
        guard !recipients.isEmpty else { throw .configuration("a message needs at least one recipient") }
        let config = configuration
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await Self.exchange(config, data, sender, recipients) }
                group.addTask {
                    try await Task.sleep(for: .seconds(config.timeout))
                    throw SMTPError.connection("the mail server did not finish within \(config.timeout) s")
                }
                try await group.next()
                group.cancelAll()
            }
        } catch let error as SMTPError {
            throw error
        } catch {
            throw .connection("\(config.host):\(config.port): \(error)")
        }
    }

    private static func exchange(_ c: SMTPConfiguration, _ data: String, _ sender: String, _ recipients: [String])
        async throws
    {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(Int64(min(c.timeout, 30))))
                .connect(host: c.host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: c.port) { ch in
                    ch.eventLoop.makeCompletedFuture {
                        try ch.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: ch)
                    }
                }
        } catch {
            throw SMTPError.connection("cannot reach the mail server \(c.host):\(c.port): \(error)")
        }
        try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            func reply(_ command: String, expect: ClosedRange<Int>) async throws -> [String] {
                var texts: [String] = []
                while true {
                    guard var line = try await lines.next() else {
                        throw SMTPError.connection("the mail server closed the connection after \(command)")
                    }
                    let text = line.readString(length: line.readableBytes) ?? ""
                    let trimmed = text.hasSuffix("\r") ? String(text.dropLast()) : text
                    guard trimmed.count >= 3, let code = Int(trimmed.prefix(3)) else {
                        throw SMTPError.connection("the mail server answered '\(trimmed.prefix(80))' to \(command)")
                    }
                    texts.append(String(trimmed.dropFirst(4)))
                    if trimmed.count == 3 || trimmed[trimmed.index(trimmed.startIndex, offsetBy: 3)] == " " {
                        guard expect.contains(code) else {
                            throw SMTPError.refused(command: command, code: code, text: texts.joined(separator: " "))
                        }
                        return texts
                    }
                }
            }
            func say(_ line: String, _ command: String? = nil, expect: ClosedRange<Int> = 200...299) async throws
                -> [String]
            {
                try await outbound.write(ByteBuffer(string: line + "\r\n"))
                return try await reply(command ?? String(line.prefix(4)), expect: expect)
            }
            _ = try await reply("the greeting", expect: 220...220)
            var features = try await say("EHLO \(c.heloName)", "EHLO")
            let offersTLS = features.contains { $0.uppercased() == "STARTTLS" }
            if c.security != .none {
                if offersTLS {
                    _ = try await say("STARTTLS", expect: 220...220)
                    var tls = TLSConfiguration.makeClientConfiguration()
                    if let ca = c.caFile { tls.trustRoots = .file(ca) }
                    let context = try NIOSSLContext(configuration: tls)
                    let name = c.host.first?.isNumber == true || c.host.contains(":") ? nil : c.host
                    // Made and added on the channel's event loop: a TLS handler is not Sendable.
                    let ch = channel.channel
                    try await ch.eventLoop.submit {
                        let handler = try NIOSSLClientHandler(context: context, serverHostname: name)
                        try ch.pipeline.syncOperations.addHandler(handler, position: .first)
                    }.get()
                    features = try await say("EHLO \(c.heloName)", "EHLO after STARTTLS")
                } else if c.security == .requireTLS || (c.password != nil && !c.isLoopback) {
                    throw SMTPError.configuration(
                        "\(c.host) does not offer STARTTLS; nothing was sent (a password is never sent in plain text)")
                }
            }
            if let user = c.user {
                guard let password = c.password else {
                    throw SMTPError.configuration(
                        "a user is named for the mail server, but no password (GREMIEN_SMTP_PASSWORD or --smtp-password-file)"
                    )
                }
                let auth = features.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased() ?? ""
                if auth.contains("PLAIN") || !auth.contains("LOGIN") {
                    let token = Data("\0\(user)\0\(password)".utf8).base64EncodedString()
                    _ = try await say("AUTH PLAIN \(token)", "AUTH PLAIN", expect: 235...235)
                } else {
                    _ = try await say("AUTH LOGIN", expect: 334...334)
                    _ = try await say(Data(user.utf8).base64EncodedString(), "AUTH LOGIN (user)", expect: 334...334)
                    _ = try await say(
                        Data(password.utf8).base64EncodedString(), "AUTH LOGIN (password)", expect: 235...235)
                }
            }
            _ = try await say("MAIL FROM:<\(sender)>", "MAIL FROM")
            for r in recipients { _ = try await say("RCPT TO:<\(r)>", "RCPT TO <\(r)>") }
            _ = try await say("DATA", expect: 354...354)
            try await outbound.write(ByteBuffer(string: dotStuffed(data)))
            _ = try await reply("the message (DATA)", expect: 250...250)
            _ = try? await say("QUIT", expect: 221...221)
        }
    }

    /// The message with CRLF line ends, every line starting with "." given another, and the
    /// closing "." line.
    static func dotStuffed(_ data: String) -> String {
        var out = ""
        out.reserveCapacity(data.utf8.count + 16)
        for line in data.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        {
            if line.hasPrefix(".") { out += "." }
            out += line + "\r\n"
        }
        return out + ".\r\n"
    }
}

/// What sends a rendered message: the SMTP client, or in tests something that keeps it.
public protocol MailSending: Sendable {
    func send(_ data: String, from sender: String, to recipients: [String]) async throws(SMTPError)
}

extension SMTPClient: MailSending {}
