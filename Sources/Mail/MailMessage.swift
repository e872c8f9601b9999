import Foundation

/// An e-mail address with an optional display name (`Amt 51 – Jugendamt <jugendamt@kreis.example>`).
public struct MailAddress: Sendable, Hashable, Codable {
    public var name: String?
    public var address: String

    public init(_ address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }
}

/// One message as Gremien sends it: a text and an HTML body, optionally an iTIP calendar part
/// (`text/calendar; method=…`) that calendar programs show as an invitation, the same calendar as
/// an `einladung.ics` attachment for those that do not.
public struct MailMessage: Sendable, Hashable, Codable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var replyTo: MailAddress?
    public var subject: String
    /// Without angle brackets: `gremien-3f9a…@kreis.example`.
    public var messageID: String
    /// When the message was made (seconds since 1970, UTC).
    public var date: Int64
    public var text: String
    public var html: String?
    /// The iTIP method (`REQUEST`, `CANCEL`) and the calendar text (CRLF lines, folded).
    public var calendar: Calendar?

    public struct Calendar: Sendable, Hashable, Codable {
        public var method: String
        public var text: String
        public init(method: String, text: String) {
            self.method = method
            self.text = text
        }
    }

    public init(
        from: MailAddress, to: [MailAddress], cc: [MailAddress] = [], replyTo: MailAddress? = nil, subject: String,
        messageID: String, date: Int64, text: String, html: String? = nil, calendar: Calendar? = nil
    ) {
        self.from = from
        self.to = to
        self.cc = cc
        self.replyTo = replyTo
        self.subject = subject
        self.messageID = messageID
        self.date = date
        self.text = text
        self.html = html
        self.calendar = calendar
    }

    /// Every address the message goes to (envelope recipients).
    public var recipients: [String] { (to + cc).map(\.address) }
}
