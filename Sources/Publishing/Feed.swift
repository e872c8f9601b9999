import Coordination

/// One generated iCalendar file: where it goes within the output folder and its text.
public struct Feed: Sendable, Hashable {
    /// Path relative to the output folder: `all.ics`, `bodies/ag-78.ics`, `offices/jc.ics`.
    public var path: String
    /// The text in the pieces it was put together from (the calendar's head, its time zones,
    /// each event's lines before DESCRIPTION, its DESCRIPTION and the rest, the calendar's end):
    /// a feed shares these texts with its other events and with the other feeds that show them,
    /// and `gremien generate` compares them with the files without joining them first.
    public private(set) var parts: [String]
    /// The number of VEVENT components in it.
    public var eventCount: Int

    public init(path: String, text: String, eventCount: Int) {
        self.init(path: path, parts: [text], eventCount: eventCount)
    }

    public init(path: String, parts: [String], eventCount: Int) {
        self.path = path
        self.parts = parts
        self.eventCount = eventCount
    }

    /// The complete VCALENDAR text, CRLF line ends, folded at 75 octets.
    public var text: String { parts.count == 1 ? parts[0] : parts.concatenated() }

    /// The length of `text` in bytes.
    public var byteCount: Int { parts.reduce(0) { $0 + $1.utf8.count } }

    /// Equal when path, text and number of events are (however the text is divided).
    public static func == (a: Feed, b: Feed) -> Bool {
        a.path == b.path && a.eventCount == b.eventCount && a.text == b.text
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(text)
        hasher.combine(eventCount)
    }
}
