import Coordination
import Foundation

/// The value an event-log entry records, as canonical JSON: keys sorted, no whitespace, slashes
/// unescaped. The hash covers the text as stored; reading it back gives the domain value again,
/// so `gremien audit verify` can compare the log with the tables and rebuild the records as they
/// stood at any entry.
public enum AuditPayload {
    /// The canonical JSON of `value`.
    public static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Domain values hold only strings, integers and nested values: encoding cannot fail.
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Appends `text` as a JSON string literal, as `JSONEncoder` writes it (quote, backslash and
    /// control characters escaped; slashes and non-ASCII characters as they are), to `out`.
    static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        var text = text
        out.append(UInt8(ascii: "\""))
        text.withUTF8 { bytes in
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
                case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
                case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out += [
                        UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                        hex[Int(byte >> 4)],
                        hex[Int(byte & 0x0F)],
                    ]
                // UTF-8: the bytes of a non-ASCII character are all 0x80 or above.
                default: out.append(byte)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `value` in decimal digits, as `String(value)` writes it, to `out`.
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude, to: &out)
    }

    private static func appendDigits(_ value: UInt, to out: inout [UInt8]) {
        if value >= 10 { appendDigits(value / 10, to: &out) }
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// The value written by `encode`, or `nil` when the text is not such a value.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

extension AttendanceEntry {
    /// The key of the attendance row this entry sets, as the event log names it.
    public var auditSubject: String { "attendance \(session) \(office)" + (person.map { " \($0)" } ?? "") }

    /// The event-log entry recording this entry; with the reason of a correction when given.
    public func auditDraft(at time: LocalDateTime, actor: String, reason: String? = nil) -> AuditEvent.Draft {
        AuditEvent.Draft(
            time: time, actor: actor, kind: .attendance, subject: auditSubject,
            payload: reason.map { AuditPayload.encode(WithReason(entry: self, reason: $0)) } ?? auditPayload)
    }

    /// The event-log entry removing this entry, with the reason.
    public func removalDraft(at time: LocalDateTime, actor: String, reason: String) -> AuditEvent.Draft {
        AuditEvent.Draft(
            time: time, actor: actor, kind: .attendanceRemoved, subject: auditSubject,
            payload: AuditPayload.encode(WithReason(entry: self, reason: reason)))
    }

    /// An entry and a reason, as one JSON object (it reads back as the entry: the reason is an
    /// extra key).
    struct WithReason: Encodable {
        var entry: AttendanceEntry
        var reason: String

        func encode(to encoder: any Encoder) throws {
            try entry.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(reason, forKey: .reason)
        }

        enum Key: String, CodingKey { case reason }
    }

    /// The same JSON `AuditPayload.encode` writes (sorted keys, absent values left out), written
    /// directly: a signed list of a year is hundreds of thousands of entries.
    var auditPayload: String {
        var out: [UInt8] = []
        out.reserveCapacity(160)
        func add(_ text: StaticString) { text.withUTF8Buffer { out.append(contentsOf: $0) } }
        func date(_ d: CivilDate) {
            add("{\"day\":")
            AuditPayload.appendDecimal(d.day, to: &out)
            add(",\"month\":")
            AuditPayload.appendDecimal(d.month, to: &out)
            add(",\"year\":")
            AuditPayload.appendDecimal(d.year, to: &out)
            add("}")
        }
        func time(_ t: LocalDateTime) {
            add("{\"date\":")
            date(t.date)
            add(",\"secondOfDay\":")
            AuditPayload.appendDecimal(t.secondOfDay, to: &out)
            add("}")
        }
        /// `"key":value,` when there is a value.
        func field<Value>(_ key: StaticString, _ value: Value?, _ write: (Value) -> Void) {
            guard let value else { return }
            add(key)
            write(value)
            add(",")
        }
        func quoted(_ text: String) { AuditPayload.appendQuoted(text, to: &out) }
        add("{")
        field("\"arrival\":", arrival, time)
        field("\"departure\":", departure, time)
        field("\"deputy\":", deputy, quoted)
        field("\"office\":", office, quoted)
        field("\"person\":", person, quoted)
        add("\"session\":{\"body\":")
        quoted(session.body)
        add(",\"date\":")
        date(session.date)
        add(",\"series\":")
        quoted(session.series)
        add("},\"status\":\"")
        out += status.rawValue.utf8
        add("\"}")
        return String(decoding: out, as: UTF8.self)
    }
}

extension SessionChange {
    /// The event-log entry recording this change.
    public var auditDraft: AuditEvent.Draft {
        AuditEvent.Draft(
            time: time, actor: actor, kind: .session, subject: record.subject, payload: AuditPayload.encode(self))
    }
}

extension MinutesState {
    /// The key of the minutes row this state sets, as the event log names it.
    public var auditSubject: String { "minutes \(session)" }

    /// The event-log entry recording this state.
    public var auditDraft: AuditEvent.Draft {
        AuditEvent.Draft(
            time: time, actor: actor, kind: .minutes, subject: auditSubject, payload: AuditPayload.encode(self))
    }
}

extension SyncChange {
    /// The event-log entry recording this change of definitions (the change-log text of it).
    public func auditDraft(at time: LocalDateTime, actor: String) -> AuditEvent.Draft {
        let entry = record(at: time, actor: actor)
        return AuditEvent.Draft(
            time: time, actor: actor, kind: .definitions, subject: "\(entry.subject) \(entry.action)",
            payload: AuditPayload.encode(entry))
    }
}

extension Seat {
    /// The event-log entry recording this seat as it stands after a change.
    public func auditDraft(_ action: String, at time: LocalDateTime, actor: String) -> AuditEvent.Draft {
        AuditEvent.Draft(
            time: time, actor: actor, kind: .seat, subject: "seat \(id) \(action)", payload: AuditPayload.encode(self))
    }
}

extension Person {
    /// The event-log entry recording this person as stored after a change.
    public func auditDraft(at time: LocalDateTime, actor: String) -> AuditEvent.Draft {
        AuditEvent.Draft(
            time: time, actor: actor, kind: .person, subject: "person \(id)", payload: AuditPayload.encode(self))
    }
}

extension MinutesRecord {
    /// The key of the minutes content this record sets, as the event log names it.
    public var auditSubject: String { "minutes-content \(session)" }

    /// The event-log entry recording this content as stored after a change.
    public func auditDraft(at time: LocalDateTime, actor: String) -> AuditEvent.Draft {
        AuditEvent.Draft(
            time: time, actor: actor, kind: .minutesContent, subject: auditSubject, payload: AuditPayload.encode(self))
    }
}

extension Reply {
    /// The event-log entry recording this answer.
    public func auditDraft() -> AuditEvent.Draft {
        AuditEvent.Draft(
            time: time, actor: person, kind: .reply, subject: "reply \(session) \(person)",
            payload: AuditPayload.encode(self))
    }
}

extension RefusedReply {
    /// The event-log entry recording this refusal.
    public func auditDraft() -> AuditEvent.Draft {
        AuditEvent.Draft(
            time: time, actor: "mail", kind: .replyRefused, subject: "reply refused \(uid ?? "-") \(sender)",
            payload: AuditPayload.encode(self))
    }
}
