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
        try parse(text, selection: selection, pieces: text.utf8.count >= 256 * 1024 ? 8 : 1)
    }

    /// With `pieces` above 1, a calendar of many events is read in pieces on every core: its
    /// head (everything before the first VEVENT), then runs of its VEVENTs, each wrapped in a
    /// VCALENDAR of its own; the components, problems and lines are those of the whole text
    /// read at once. Only a text of one VCALENDAR whose VEVENTs come last is split; any other
    /// is read whole.
    static func parse(_ text: String, selection: Selection, pieces: Int) throws(ICalendarError) -> ICalParseResult {
        guard Self.mentionsBegin(text) else { throw .notICalendar("no BEGIN:VCALENDAR line") }
        let texts = pieces > 1 ? Self.pieces(of: text, count: pieces) ?? [text] : [text]
        let eventKinds: Set<UInt32>? =
            if case .expansion = selection {
                Set(
                    [
                        ICAL_UID_PROPERTY, ICAL_DTSTART_PROPERTY, ICAL_DTEND_PROPERTY, ICAL_DURATION_PROPERTY,
                        ICAL_RRULE_PROPERTY, ICAL_RDATE_PROPERTY, ICAL_EXDATE_PROPERTY, ICAL_RECURRENCEID_PROPERTY,
                        ICAL_SUMMARY_PROPERTY, ICAL_LOCATION_PROPERTY, ICAL_STATUS_PROPERTY, ICAL_SEQUENCE_PROPERTY,
                        ICAL_XLICERROR_PROPERTY,
                    ].map(\.rawValue))
            } else { nil }
        let read = ParallelResults<(tree: ICalComponent, errors: [String]), ICalendarError>(count: texts.count)
        DispatchQueue.concurrentPerform(iterations: texts.count) { i in
            read.set(i) { () throws(ICalendarError) in
                // Owned by us from here: icalparser_parse_string returns a new tree (or NULL) that
                // the caller frees with icalcomponent_free.
                guard let root = icalparser_parse_string(texts[i]) else {
                    throw .notICalendar("libical found no component (is there a BEGIN:VCALENDAR line?)")
                }
                defer { icalcomponent_free(root) }
                var reader = TreeReader(eventKinds: eventKinds)
                return (reader.read(root), reader.errors)
            }
        }
        let parts = try read.values()
        var calendars: [ICalComponent] = []
        for (i, part) in parts.enumerated() {
            let found = part.tree.name == "XROOT" ? part.tree.components : [part.tree]
            if i == 0 {
                calendars = found
            } else if let events = found.first?.components, !calendars.isEmpty {
                // A run of events joins the calendar of the head, as in the text.
                calendars[0].components += events
            }
        }
        guard !calendars.isEmpty else { throw .notICalendar("no BEGIN:VCALENDAR line") }
        // The lines of the problems are found in order over the whole text: the same message
        // twice takes the next line it fits.
        var lines = LineIndex(text: text)
        let diagnostics = parts.flatMap(\.errors).map { Self.diagnostic($0, lines: &lines) }
        return ICalParseResult(calendars: calendars, diagnostics: diagnostics)
    }

    /// The head of a calendar and `count` runs of its VEVENTs as texts of their own, or `nil`
    /// when the text is not one VCALENDAR whose VEVENTs come last (only END:VCALENDAR after them).
    static func pieces(of text: String, count: Int) -> [String]? {
        var text = text
        return text.withUTF8 { bytes in pieces(of: bytes, count: count) }
    }

    private static func pieces(of bytes: UnsafeBufferPointer<UInt8>, count: Int) -> [String]? {
        guard let base = bytes.baseAddress else { return nil }
        var blocks: [Range<Int>] = []
        var openEvent: Int?
        var calendars = 0
        var headEnd: Int?
        var lineStart = 0
        func lineIs(_ word: StaticString, _ start: Int, _ end: Int) -> Bool {
            guard end - start == word.utf8CodeUnitCount else { return false }
            let w = word.utf8Start
            for i in 0..<(end - start) {
                let b = bytes[start + i]
                if (b >= 97 && b <= 122 ? b - 32 : b) != w[i] { return false }
            }
            return true
        }
        while lineStart < bytes.count {
            // The line's end: the next LF (memchr), else the text's end.
            let rest = bytes.count - lineStart
            var next =
                memchr(base + lineStart, 0x0A, rest).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) }
                ?? bytes.count
            var end = next
            if end > lineStart, bytes[end - 1] == 0x0D { end -= 1 }
            next = min(next + 1, bytes.count)
            // Only lines beginning with B or E (any case) can open or close a component.
            let first = end > lineStart ? bytes[lineStart] | 0x20 : 0
            if first == 0x62, lineIs("BEGIN:VCALENDAR", lineStart, end) {
                calendars += 1
            } else if first == 0x62, lineIs("BEGIN:VEVENT", lineStart, end) {
                guard openEvent == nil else { return nil }
                openEvent = lineStart
                if headEnd == nil { headEnd = lineStart }
            } else if first == 0x65, lineIs("END:VEVENT", lineStart, end) {
                guard let start = openEvent else { return nil }
                blocks.append(start..<next)
                openEvent = nil
            } else if openEvent == nil, headEnd != nil, end > lineStart, !lineIs("END:VCALENDAR", lineStart, end) {
                return nil
            }
            lineStart = next
        }
        guard calendars == 1, openEvent == nil, let headEnd, blocks.count >= 2 * count,
            blocks.first?.lowerBound == headEnd
        else { return nil }
        let close = "END:VCALENDAR\r\n"
        var result = [String(decoding: UnsafeBufferPointer(rebasing: bytes[..<headEnd]), as: UTF8.self) + close]
        let run = (blocks.count + count - 1) / count
        for first in stride(from: 0, to: blocks.count, by: run) {
            let last = min(blocks.count, first + run) - 1
            let events = UnsafeBufferPointer(rebasing: bytes[blocks[first].lowerBound..<blocks[last].upperBound])
            result.append("BEGIN:VCALENDAR\r\n" + String(decoding: events, as: UTF8.self) + close)
        }
        return result
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
struct TreeReader {
    /// When set, the property kinds (raw values) copied from VEVENTs.
    let eventKinds: Set<UInt32>?
    /// The message of every X-LIC-ERROR, in the order of the text.
    var errors: [String] = []

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
                errors.append(icalproperty_get_xlicerror(p).map { String(cString: $0) } ?? "libical reported an error")
            } else {
                result.properties.append(property(p, kind: kind))
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

    private func property(_ p: OpaquePointer, kind: icalproperty_kind) -> ICalProperty {
        var name = "X-UNKNOWN"
        if let known = Self.name(of: kind) {
            name = known
        } else if let n = icalproperty_get_property_name_r(p) {
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
                defer { free(raw) }
                if let parameter = Self.parameter(raw) { parameters.append(parameter) }
            }
            param = icalproperty_get_next_parameter(p, ICAL_ANY_PARAMETER)
        }
        return ICalProperty(name: name, parameters: parameters, value: value)
    }

    /// libical's name of a property of `kind`, from the table made once
    /// (`ICalSerializer.kindNames`): `icalproperty_get_property_name_r` copies the same name
    /// into a new buffer for every property. `nil` for an X- property, whose name is its own.
    static func name(of kind: icalproperty_kind) -> String? {
        guard kind != ICAL_X_PROPERTY, Int(kind.rawValue) < ICalSerializer.kindNames.count else { return nil }
        return ICalSerializer.kindNames[Int(kind.rawValue)]
    }

    /// A parameter from its `NAME=value` text as libical writes it, quotes around the value
    /// removed. Printable ASCII (each byte a Character of its own) is read as bytes, which is
    /// what the reading by Characters gives, without its cost (a TZID on every DTSTART, DTEND
    /// and EXDATE); any other text by Characters.
    private static func parameter(_ raw: UnsafeMutablePointer<CChar>) -> ICalParameter? {
        let bytes = UnsafeBufferPointer(
            start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw))
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            let text = String(cString: raw)
            guard let eq = text.firstIndex(of: "=") else { return nil }
            var v = text[text.index(after: eq)...]
            if v.count >= 2, v.hasPrefix("\""), v.hasSuffix("\"") { v = v.dropFirst().dropLast() }
            return ICalParameter(name: String(text[..<eq]), value: String(v))
        }
        guard let eq = bytes.firstIndex(of: UInt8(ascii: "=")) else { return nil }
        var (low, high) = (eq + 1, bytes.count)
        if high - low >= 2, bytes[low] == UInt8(ascii: "\""), bytes[high - 1] == UInt8(ascii: "\"") {
            (low, high) = (low + 1, high - 1)
        }
        return ICalParameter(
            name: String(decoding: UnsafeBufferPointer(rebasing: bytes[..<eq]), as: UTF8.self),
            value: String(decoding: UnsafeBufferPointer(rebasing: bytes[low..<high]), as: UTF8.self))
    }
}

extension ICalParser {
    /// Turns the message of an X-LIC-ERROR into a diagnostic with the line of the text it
    /// complains about.
    fileprivate static func diagnostic(_ message: String, lines: inout LineIndex) -> ICalDiagnostic {
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
        return ICalDiagnostic(line: line, property: property.isEmpty ? "?" : property, message: message)
    }
}
