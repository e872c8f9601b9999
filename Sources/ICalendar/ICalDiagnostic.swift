/// A problem found in an iCalendar file: where (line, property) and what.
public struct ICalDiagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error, warning
    }

    /// The physical line (1-based) where the property starts; 0 when it could not be located.
    public var line: Int
    /// The property (or component) concerned, e.g. `RRULE`.
    public var property: String
    public var message: String
    public var severity: Severity

    public init(line: Int, property: String, message: String, severity: Severity = .error) {
        self.line = line
        self.property = property
        self.message = message
        self.severity = severity
    }

    /// `line 12: RRULE: message` (or `RRULE: message` when the line is unknown).
    public var description: String {
        (line > 0 ? "line \(line): " : "") + "\(property): \(message)"
    }
}

/// Why an iCalendar text could not be used at all.
public enum ICalendarError: Error, Sendable, Hashable, CustomStringConvertible {
    case notICalendar(String)
    case unknownTimeZone(String)
    case cannotBuild(property: String, reason: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .notICalendar(let why): return "not an iCalendar file: \(why)"
        case .unknownTimeZone(let tzid):
            return
                "unknown time zone '\(tzid)': not an IANA zone of the system's zoneinfo, nor a VTIMEZONE of the file"
        case .cannotBuild(let property, let reason): return "libical cannot build \(property): \(reason)"
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        }
    }
}
