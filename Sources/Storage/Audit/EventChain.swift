import Coordination
import Crypto

/// Links event-log entries by SHA-256: each entry's hash covers its own fields and the hash of
/// the entry before it.
///
/// The canonical encoding hashed is the tag `gremien-event-v1` followed by the fields previous
/// hash, seq, time (`2026-03-10T14:00:00`), actor, kind, subject and payload, each written as
/// `<number of UTF-8 bytes>:<bytes>,` (a netstring), so no choice of text in one field can
/// imitate another field.
public struct EventChain: Sendable {
    public private(set) var head: ChainHead

    public init(head: ChainHead = .genesis) {
        self.head = head
    }

    /// Gives `draft` the next number, links it to the head and makes it the new head.
    public mutating func append(_ draft: AuditEvent.Draft) -> AuditEvent {
        let seq = head.seq + 1
        let hash = Self.hash(
            previous: head.hash, seq: seq, time: draft.time, actor: draft.actor, kind: draft.kind,
            subject: draft.subject, payload: draft.payload)
        let event = AuditEvent(
            seq: seq, time: draft.time, actor: draft.actor, kind: draft.kind, subject: draft.subject,
            payload: draft.payload, previous: head.hash, hash: hash)
        head = ChainHead(seq: seq, hash: hash)
        return event
    }

    /// The hash of an entry with these fields, as lowercase hex.
    public static func hash(
        previous: String, seq: Int, time: LocalDateTime, actor: String, kind: AuditEvent.Kind, subject: String,
        payload: String
    ) -> String {
        // The whole message in one buffer, hashed at once: `audit verify` hashes every entry,
        // and a hash update per field (three per field) cost more than the hashing itself.
        var message: [UInt8] = []
        message.reserveCapacity(160 + subject.utf8.count + payload.utf8.count)
        message += tag
        // Each field as `<bytes>:<field>,`.
        func add(_ field: String) {
            var field = field
            field.withUTF8 { utf8 in
                AuditPayload.appendDecimal(utf8.count, to: &message)
                message.append(UInt8(ascii: ":"))
                message.append(contentsOf: utf8)
                message.append(UInt8(ascii: ","))
            }
        }
        add(previous)
        add(String(seq))
        add(time.description)
        add(actor)
        add(kind.rawValue)
        add(subject)
        add(payload)
        var sha = SHA256()
        message.withUnsafeBytes { sha.update(bufferPointer: $0) }
        return SHA256Hex.hex(sha.finalize())
    }

    private static let tag = Array("gremien-event-v1".utf8)

    /// The hash an entry should have from its own fields.
    public static func expectedHash(of event: AuditEvent) -> String {
        hash(
            previous: event.previous, seq: event.seq, time: event.time, actor: event.actor, kind: event.kind,
            subject: event.subject, payload: event.payload)
    }
}

/// SHA-256 as lowercase hex: the form of the event log's hashes, token hashes and ETags.
public enum SHA256Hex {
    public static func of(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    static func hex(_ digest: SHA256.Digest) -> String {
        String(unsafeUninitializedCapacity: 64) { out in
            var at = 0
            for byte in digest {
                out[at] = digits[Int(byte >> 4)]
                out[at + 1] = digits[Int(byte & 0x0f)]
                at += 2
            }
            return 64
        }
    }

    private static let digits = Array("0123456789abcdef".utf8)

    public static func of(_ text: String) -> String { of(Array(text.utf8)) }
}
