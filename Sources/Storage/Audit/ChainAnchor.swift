import Crypto
import Foundation

/// The head of the event log at one moment, signed with a key of the auditors and kept by them
/// outside the store. Whoever deletes the newest entries of the log together with their records
/// leaves a chain that still verifies on its own; against an anchor it does not, because the
/// anchored entry is gone or has another hash.
///
/// The file is text, one field a line, the signature over every line before it:
///
///     gremien-anchor v1
///     store: sqlite:gremien.sqlite
///     head: 1234:9f86d0…
///     time: 2026-11-30T14:05:00Z
///     key: <the public key, base64>
///     signature: <Ed25519 over the lines above, base64>
public struct ChainAnchor: Sendable, Hashable {
    public static let header = "gremien-anchor v1"

    public var store: String
    public var head: ChainHead
    /// When the anchor was written (UTC, ISO 8601).
    public var time: String
    public var publicKey: Data
    public var signature: Data

    /// The signed lines.
    var signedText: String {
        "\(Self.header)\nstore: \(store)\nhead: \(head)\ntime: \(time)\nkey: \(publicKey.base64EncodedString())\n"
    }

    /// The file's text.
    public var text: String { signedText + "signature: \(signature.base64EncodedString())\n" }

    /// Signs `head` with the auditors' private key.
    public init(store: String, head: ChainHead, time: String, signingWith key: AuditorKey) throws(AnchorError) {
        self.store = store
        self.head = head
        self.time = time
        self.publicKey = key.publicKey
        self.signature = Data()
        do {
            signature = try key.privateKey.signature(for: Data(signedText.utf8))
        } catch {
            throw AnchorError("cannot sign the anchor: \(error)")
        }
    }

    /// Reads an anchor file and checks its signature against the key it names; `trusting`, when
    /// given, must be that key (the auditors' public key kept apart from the anchor).
    public init(text: String, named name: String, trusting trusted: Data? = nil) throws(AnchorError) {
        var fields: [String: String] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        guard lines.first == Self.header else {
            throw AnchorError("\(name) is not a chain anchor: its first line is not '\(Self.header)'")
        }
        for (i, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw AnchorError("\(name):\(i + 1): expected 'field: value'")
            }
            let key = String(line[..<colon])
            fields[key] = String(line[line.index(after: colon)...].drop { $0 == " " })
        }
        func field(_ key: String) throws(AnchorError) -> String {
            guard let value = fields[key], !value.isEmpty else {
                throw AnchorError("\(name): the field \(key) is missing")
            }
            return value
        }
        store = try field("store")
        guard let head = ChainHead(try field("head")) else {
            throw AnchorError("\(name): head '\(fields["head"] ?? "")' is not SEQ:HASH")
        }
        self.head = head
        time = try field("time")
        guard let key = Data(base64Encoded: try field("key")), key.count == 32 else {
            throw AnchorError("\(name): key is not an Ed25519 public key in base64")
        }
        publicKey = key
        guard let signature = Data(base64Encoded: try field("signature")) else {
            throw AnchorError("\(name): signature is not base64")
        }
        self.signature = signature
        if let trusted, trusted != key {
            throw AnchorError("\(name) was signed with another key than the auditors' public key given")
        }
        guard let verifier = try? Curve25519.Signing.PublicKey(rawRepresentation: key),
            verifier.isValidSignature(signature, for: Data(signedText.utf8))
        else {
            throw AnchorError("\(name): the signature does not match its content; the anchor was altered")
        }
    }
}

/// Why an anchor or a key cannot be made or read.
public struct AnchorError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The auditors' Ed25519 key pair, as files: the private one stays with the auditors (it signs
/// anchors), the public one may go with every anchor and report.
public struct AuditorKey: Sendable {
    public static let privateHeader = "gremien-auditor-key v1"
    public static let publicHeader = "gremien-auditor-public-key v1"

    let privateKey: Curve25519.Signing.PrivateKey

    /// A new random key pair.
    public init() { privateKey = Curve25519.Signing.PrivateKey() }

    /// Reads a private key file written by `privateText`.
    public init(privateText text: String, named name: String) throws(AnchorError) {
        let raw = try Self.body(of: text, header: Self.privateHeader, named: name)
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw AnchorError("\(name) holds no Ed25519 private key")
        }
        privateKey = key
    }

    public var publicKey: Data { privateKey.publicKey.rawRepresentation }
    public var privateText: String { "\(Self.privateHeader)\n\(privateKey.rawRepresentation.base64EncodedString())\n" }
    public var publicText: String { Self.publicText(publicKey) }

    public static func publicText(_ key: Data) -> String { "\(publicHeader)\n\(key.base64EncodedString())\n" }

    /// Reads a public key file written by `publicText`.
    public static func publicKey(text: String, named name: String) throws(AnchorError) -> Data {
        let raw = try body(of: text, header: publicHeader, named: name)
        guard raw.count == 32 else { throw AnchorError("\(name) holds no Ed25519 public key") }
        return raw
    }

    private static func body(of text: String, header: String, named name: String) throws(AnchorError) -> Data {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard lines.first == header else { throw AnchorError("\(name): its first line is not '\(header)'") }
        guard lines.count == 2, let raw = Data(base64Encoded: lines[1]) else {
            throw AnchorError("\(name): expected one line of base64 after '\(header)'")
        }
        return raw
    }
}
