import CLibical
import Coordination
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What `ICalParser` read: the calendars of the text and every problem libical reported.
public struct ICalParseResult: Sendable, Hashable {
    public var calendars: [ICalComponent]
    /// One entry per `X-LIC-ERROR` libical inserted (the property it replaced is gone from
    /// `calendars`), with the line it came from.
    public var diagnostics: [ICalDiagnostic]
}

/// Reads iCalendar text with libical (`icalparser_parse_string`).
///
/// libical never fails loudly: a property it cannot read is dropped and an `X-LIC-ERROR`
/// property takes its place. Each of those becomes an `ICalDiagnostic` naming the line and the
/// property, so nothing is dropped silently.
public enum ICalParser {
    /// Which properties of VEVENTs to copy into the tree (all other components are copied whole).
    public enum Selection: Sendable {
        case all
        /// Only what expansion reads: UID, DTSTART, DTEND, DURATION, RRULE, RDATE, EXDATE,
        /// RECURRENCE-ID, SUMMARY, LOCATION, STATUS, SEQUENCE. Parse errors are still all reported.
        case expansion
    }

    public static func parse(_ text: String, selection: Selection = .all) throws(ICalendarError) -> ICalParseResult {
        guard Self.mentionsBegin(text) else { throw .notICalendar("no BEGIN:VCALENDAR line") }
        // Owned by us from here: icalparser_parse_string returns a new tree (or NULL) that the
        // caller frees with icalcomponent_free.
        guard let root = icalparser_parse_string(text) else {
            throw .notICalendar("libical found no component (is there a BEGIN:VCALENDAR line?)")
        }
        defer { icalcomponent_free(root) }
        var reader = TreeReader(lines: LineIndex(text: text))
        if case .expansion = selection {
            reader.eventKinds = Set(
                [
                    ICAL_UID_PROPERTY, ICAL_DTSTART_PROPERTY, ICAL_DTEND_PROPERTY, ICAL_DURATION_PROPERTY,
                    ICAL_RRULE_PROPERTY, ICAL_RDATE_PROPERTY, ICAL_EXDATE_PROPERTY, ICAL_RECURRENCEID_PROPERTY,
                    ICAL_SUMMARY_PROPERTY, ICAL_LOCATION_PROPERTY, ICAL_STATUS_PROPERTY, ICAL_SEQUENCE_PROPERTY,
                    ICAL_XLICERROR_PROPERTY,
                ].map(\.rawValue))
        }
        let tree = reader.read(root)
        let calendars = tree.name == "XROOT" ? tree.components : [tree]
        guard !calendars.isEmpty else { throw .notICalendar("no BEGIN:VCALENDAR line") }
        return ICalParseResult(calendars: calendars, diagnostics: reader.diagnostics)
    }

    /// Whether `BEGIN:` (any case) occurs in the text: a byte scan, no Foundation bridging.
    private static func mentionsBegin(_ text: String) -> Bool {
        let pattern = Array("BEGIN:".utf8)
        var matched = 0
        for byte in text.utf8 {
            let upper = byte >= 97 && byte <= 122 ? byte - 32 : byte
            matched = upper == pattern[matched] ? matched + 1 : (upper == pattern[0] ? 1 : 0)
            if matched == pattern.count { return true }
        }
        return false
    }
}

/// Copies a libical tree into `ICalComponent` values. Borrows the pointers it is given (frees
/// only the strings the `_r` functions allocate for it).
private struct TreeReader {
    var lines: LineIndex
    var diagnostics: [ICalDiagnostic] = []
    /// When set, the property kinds (raw values) copied from VEVENTs.
    var eventKinds: Set<UInt32>?

    mutating func read(_ component: OpaquePointer) -> ICalComponent {
        var result = ICalComponent(name: componentName(component))
        let keep = icalcomponent_isa(component) == ICAL_VEVENT_COMPONENT ? eventKinds : nil
        var prop = icalcomponent_get_first_property(component, ICAL_ANY_PROPERTY)
        while let p = prop {
            let kind = icalproperty_isa(p)
            if let keep, !keep.contains(kind.rawValue) {
                prop = icalcomponent_get_next_property(component, ICAL_ANY_PROPERTY)
                continue
            }
            if kind == ICAL_XLICERROR_PROPERTY {
                diagnose(p)
            } else {
                result.properties.append(property(p))
            }
            prop = icalcomponent_get_next_property(component, ICAL_ANY_PROPERTY)
        }
        var child = icalcomponent_get_first_component(component, ICAL_ANY_COMPONENT)
        while let c = child {
            result.components.append(read(c))
            child = icalcomponent_get_next_component(component, ICAL_ANY_COMPONENT)
        }
        return result
    }

    private func componentName(_ component: OpaquePointer) -> String {
        let kind = icalcomponent_isa(component)
        if kind == ICAL_VEVENT_COMPONENT { return "VEVENT" }
        if kind != ICAL_X_COMPONENT, let name = icalcomponent_kind_to_string(kind) {
            return String(cString: name)
        }
        // libical 3.0 has no getter for an X- component's name; its text has it on line one.
        guard let text = icalcomponent_as_ical_string_r(component) else { return "X-UNKNOWN" }
        defer { free(text) }
        let first = String(cString: text).prefix { $0 != "\r" && $0 != "\n" }
        return first.hasPrefix("BEGIN:") ? String(first.dropFirst(6)) : "X-UNKNOWN"
    }

    private func property(_ p: OpaquePointer) -> ICalProperty {
        var name = "X-UNKNOWN"
        if let n = icalproperty_get_property_name_r(p) {
            name = String(cString: n)
            free(n)
        }
        var value = ""
        if let v = icalproperty_get_value_as_string_r(p) {
            value = String(cString: v)
            free(v)
        }
        var parameters: [ICalParameter] = []
        var param = icalproperty_get_first_parameter(p, ICAL_ANY_PARAMETER)
        while let q = param {
            if let raw = icalparameter_as_ical_string_r(q) {
                let text = String(cString: raw)
                free(raw)
                if let eq = text.firstIndex(of: "=") {
                    var v = text[text.index(after: eq)...]
                    if v.count >= 2, v.hasPrefix("\""), v.hasSuffix("\"") { v = v.dropFirst().dropLast() }
                    parameters.append(ICalParameter(name: String(text[..<eq]), value: String(v)))
                }
            }
            param = icalproperty_get_next_parameter(p, ICAL_ANY_PARAMETER)
        }
        return ICalProperty(name: name, parameters: parameters, value: value)
    }

    /// Turns an X-LIC-ERROR into a diagnostic with the line of the text it complains about.
    private mutating func diagnose(_ p: OpaquePointer) {
        let message = icalproperty_get_xlicerror(p).map { String(cString: $0) } ?? "libical reported an error"
        // libical names the property as "... in NAME property ..." when it knows it.
        var property = ""
        if let range = message.range(of: " property") {
            let before = message[..<range.lowerBound]
            if let space = before.lastIndex(of: " "), before[..<space].hasSuffix(" in") {
                property = String(before[before.index(after: space)...])
            }
        }
        var fragment = ""
        if let colon = message.range(of: ": ", options: .backwards) {
            fragment = String(message[colon.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        var line = lines.locate(property: property, containing: fragment)
        if line == 0 && !property.isEmpty { line = lines.locate(property: "", containing: fragment) }
        if property.isEmpty {
            property = String(fragment.prefix { $0 != ";" && $0 != ":" && $0 != " " })
        }
        diagnostics.append(ICalDiagnostic(line: line, property: property.isEmpty ? "?" : property, message: message))
    }
}
