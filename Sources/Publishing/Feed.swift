/// One generated iCalendar file: where it goes within the output folder and its text.
public struct Feed: Sendable, Hashable {
    /// Path relative to the output folder: `all.ics`, `bodies/ag-78.ics`, `offices/jc.ics`.
    public var path: String
    /// The complete VCALENDAR text, CRLF line ends, folded at 75 octets.
    public var text: String
    /// The number of VEVENT components in it.
    public var eventCount: Int

    public init(path: String, text: String, eventCount: Int) {
        self.path = path
        self.text = text
        self.eventCount = eventCount
    }
}
