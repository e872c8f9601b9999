import Coordination

/// One problem found in `calendars/`: where (file, line, field) and what.
///
/// Printed as `file:line: field: message`, the form editors and CI logs link to.
public struct DefinitionDiagnostic: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    /// The file as the reader named it (the directory given plus the path inside it).
    public var file: String
    /// 1-based line in the file.
    public var line: Int
    /// The field, as a path within the file: `series[0].rrule`, `members[2].office`.
    public var field: String
    public var message: String
    public var severity: Severity

    public init(file: String, line: Int, field: String, message: String, severity: Severity = .error) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        self.severity = severity
    }

    public var description: String {
        "\(file):\(line): \(field): \(severity == .warning ? "warning: " : "")\(message)"
    }

    public static func < (a: DefinitionDiagnostic, b: DefinitionDiagnostic) -> Bool {
        (a.file, a.line, a.field, a.message) < (b.file, b.line, b.field, b.message)
    }
}

/// The outcome of reading `calendars/`: the district when it could be read at all, and every
/// problem found on the way (reading does not stop at the first).
public struct DefinitionsReport: Sendable {
    public var district: District?
    public var diagnostics: [DefinitionDiagnostic]

    public var errors: [DefinitionDiagnostic] { diagnostics.filter { $0.severity == .error } }

    /// The district, when no error was found.
    public var validDistrict: District? { errors.isEmpty ? district : nil }
}
