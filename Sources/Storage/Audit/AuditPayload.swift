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

    /// A JSON string literal as `JSONEncoder` writes it (quote, backslash and control characters
    /// escaped; slashes and non-ASCII characters as they are).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
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
        var out = "{"
        func date(_ d: CivilDate) -> String { "{\"day\":\(d.day),\"month\":\(d.month),\"year\":\(d.year)}" }
        func time(_ t: LocalDateTime) -> String { "{\"date\":\(date(t.date)),\"secondOfDay\":\(t.secondOfDay)}" }
        if let arrival { out += "\"arrival\":\(time(arrival))," }
        if let departure { out += "\"departure\":\(time(departure))," }
        if let deputy { out += "\"deputy\":\(AuditPayload.quoted(deputy))," }
        out += "\"office\":\(AuditPayload.quoted(office)),"
        if let person { out += "\"person\":\(AuditPayload.quoted(person))," }
        out += "\"session\":{\"body\":\(AuditPayload.quoted(session.body)),\"date\":\(date(session.date)),"
        out += "\"series\":\(AuditPayload.quoted(session.series))},\"status\":\"\(status.rawValue)\"}"
        return out
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
