import Foundation

/// An iCalendar component (VCALENDAR, VEVENT, VTIMEZONE, STANDARD, ...) as plain Swift values.
///
/// The tree is what `ICalParser` reads and `ICalSerializer` writes; both go through libical.
/// Property values are kept in their iCalendar text form (escaped as in the file), so nothing is
/// lost between parse and serialise.
public struct ICalComponent: Sendable, Hashable, Codable {
    public var name: String
    public var properties: [ICalProperty]
    public var components: [ICalComponent]

    public init(name: String, properties: [ICalProperty] = [], components: [ICalComponent] = []) {
        self.name = name
        self.properties = properties
        self.components = components
    }

    /// The first property of that name (case-insensitive).
    public func property(_ name: String) -> ICalProperty? {
        properties.first { sameName($0.name, name) }
    }

    public func properties(named name: String) -> [ICalProperty] {
        properties.filter { sameName($0.name, name) }
    }

    public func components(named name: String) -> [ICalComponent] {
        components.filter { sameName($0.name, name) }
    }
}

/// One content line: name, parameters and value (RFC 5545 3.1).
public struct ICalProperty: Sendable, Hashable, Codable {
    public var name: String
    public var parameters: [ICalParameter]
    /// The value in iCalendar text form (TEXT values keep their `\,` `\;` `\n` escapes).
    public var value: String

    public init(name: String, parameters: [ICalParameter] = [], value: String) {
        self.name = name
        self.parameters = parameters
        self.value = value
    }

    /// The value of a parameter (case-insensitive name), without quotes.
    public func parameter(_ name: String) -> String? {
        parameters.first { sameName($0.name, name) }?.value
    }

    /// The content line before folding: `NAME;PARAM=VALUE:value`.
    public var contentLine: String {
        var line = name
        for p in parameters { line += ";\(p.name)=\(p.quotedValue)" }
        return line + ":" + value
    }
}

public struct ICalParameter: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// The value as written in a content line: quoted when it holds `:` `;` or `,`.
    var quotedValue: String {
        // Without any of those bytes no character can be one of them: the text is taken as it
        // is without going through its characters.
        guard value.utf8.contains(where: { $0 == 0x3A || $0 == 0x3B || $0 == 0x2C }) else { return value }
        return value.contains(where: { $0 == ":" || $0 == ";" || $0 == "," }) ? "\"\(value)\"" : value
    }
}

/// ASCII case-insensitive equality of iCalendar names (names are ASCII by RFC 5545 3.1).
@inline(__always)
func sameName(_ a: String, _ b: String) -> Bool {
    if a == b { return true }
    guard a.utf8.count == b.utf8.count else { return false }
    return zip(a.utf8, b.utf8).allSatisfy { $0 | 0x20 == $1 | 0x20 }
}
