import Coordination
import Foundation
import ICalendar

/// One answer in an iTIP REPLY (RFC 5546 3.2.3) as the calendar programs send it: Outlook
/// (RECURRENCE-ID with a Windows zone name, COMMENT), Thunderbird (Olson TZID), Google
/// (`X-RESPONSE-COMMENT` on the ATTENDEE), Open-Xchange (UTC RECURRENCE-ID, `MAILTO:`).
public struct InvitationAnswer: Sendable, Hashable {
    public var uid: String
    /// The occurrence answered, as written: `20270112`, `20270112T100000` (with `tzid`, or
    /// floating) or `20270112T090000Z`; `nil` for the whole series.
    public var recurrence: String?
    public var recurrenceZone: String?
    /// The ATTENDEE's address, lower case, without `mailto:`.
    public var attendee: String
    /// PARTSTAT, upper case.
    public var status: String
    /// SENT-BY of the ATTENDEE (someone answering for the attendee), lower case.
    public var sentBy: String?
    /// DELEGATED-TO of the ATTENDEE, or a PARTSTAT of DELEGATED.
    public var delegated: Bool
    /// COMMENT, or the ATTENDEE's X-RESPONSE-COMMENT, unescaped.
    public var comment: String?
    /// DTSTAMP in UTC, when the reply says it.
    public var stamp: LocalDateTime?

    /// The answers of a REPLY, one per VEVENT (the whole series and single occurrences).
    /// Refuses a calendar that is not a REPLY, and a VEVENT without UID or without exactly one
    /// ATTENDEE.
    public static func read(_ text: String) throws(InvitationReplyError) -> [InvitationAnswer] {
        let parsed: ICalParseResult
        do {
            parsed = try ICalParser.parse(text)
        } catch {
            throw .unreadable("\(error)")
        }
        guard let calendar = parsed.calendars.first else { throw .unreadable("no VCALENDAR") }
        let method = calendar.property("METHOD")?.value.uppercased() ?? ""
        guard method == "REPLY" else {
            throw .notAReply(method.isEmpty ? "the calendar has no METHOD" : "METHOD is \(method), not REPLY")
        }
        var answers: [InvitationAnswer] = []
        for event in calendar.components(named: "VEVENT") {
            guard let uid = event.property("UID")?.value, !uid.isEmpty else {
                throw .unreadable("a VEVENT without UID")
            }
            let attendees = event.properties(named: "ATTENDEE")
            guard attendees.count == 1, let attendee = attendees.first else {
                throw .unreadable("the reply for \(uid) names \(attendees.count) attendees; a REPLY names one")
            }
            let status = attendee.parameter("PARTSTAT")?.uppercased() ?? "NEEDS-ACTION"
            let recurrence = event.property("RECURRENCE-ID")
            let comment =
                event.property("COMMENT").map { ICalText.unescape($0.value) }
                ?? attendee.parameter("X-RESPONSE-COMMENT")
            answers.append(
                InvitationAnswer(
                    uid: uid, recurrence: recurrence?.value, recurrenceZone: recurrence?.parameter("TZID"),
                    attendee: Self.address(attendee.value), status: status,
                    sentBy: attendee.parameter("SENT-BY").map(Self.address),
                    delegated: status == "DELEGATED" || attendee.parameter("DELEGATED-TO") != nil,
                    comment: comment.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 },
                    stamp: event.property("DTSTAMP").flatMap { LocalDateTime(basic: $0.value) }))
        }
        guard !answers.isEmpty else { throw .unreadable("the reply holds no VEVENT") }
        return answers
    }

    /// `mailto:Anna@Kreis.example` → `anna@kreis.example`.
    static func address(_ value: String) -> String {
        var v = value.trimmingCharacters(in: .whitespaces)
        if v.lowercased().hasPrefix("mailto:") { v = String(v.dropFirst(7)) }
        return v.lowercased()
    }

    /// The day of the occurrence answered in `zone` (the body's), from a date, a local
    /// date-time (its date) or a UTC date-time (converted).
    public func occurrenceDay(in zone: ZoneRules) -> CivilDate? {
        guard let recurrence else { return nil }
        let digits = recurrence.prefix(8)
        guard digits.count == 8, let year = Int(digits.prefix(4)), let month = Int(digits.dropFirst(4).prefix(2)),
            let day = Int(digits.suffix(2))
        else { return nil }
        let date = CivilDate(year: year, month: month, day: day)
        guard recurrence.hasSuffix("Z"), let utc = LocalDateTime(basic: String(recurrence.dropLast())) else {
            return date
        }
        return zone.local(utc: utc).date
    }
}

/// Why a REPLY could not be read.
public enum InvitationReplyError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(String)
    case notAReply(String)

    public var description: String {
        switch self {
        case .unreadable(let why): "the calendar of the reply could not be read: \(why)"
        case .notAReply(let why): "not an answer to an invitation: \(why)"
        }
    }
}

extension LocalDateTime {
    /// Reads `YYYYMMDDTHHMMSS` (a trailing `Z` is ignored); `nil` otherwise.
    init?(basic text: String) {
        let b = Array((text.hasSuffix("Z") ? String(text.dropLast()) : text).utf8)
        guard b.count == 15, b[8] == UInt8(ascii: "T") else { return nil }
        let s = String(decoding: b, as: UTF8.self)
        func piece(_ from: Int, _ count: Int) -> String {
            String(s[s.index(s.startIndex, offsetBy: from)..<s.index(s.startIndex, offsetBy: from + count)])
        }
        self.init(
            iso: "\(piece(0, 4))-\(piece(4, 2))-\(piece(6, 2))T\(piece(9, 2)):\(piece(11, 2)):\(piece(13, 2))")
    }
}

extension ZoneRules {
    /// The wall clock of a UTC instant in this zone.
    func local(utc: LocalDateTime) -> LocalDateTime {
        LocalDateTime(localSeconds: utc.localSeconds + Int64(offset(atUTC: utc.localSeconds)))
    }
}
