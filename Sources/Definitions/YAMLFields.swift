import Coordination
import Foundation

/// Collects the diagnostics of one file while its fields are read.
final class FileDiagnostics {
    let file: String
    private(set) var items: [DefinitionDiagnostic] = []

    init(file: String) { self.file = file }

    func error(_ line: Int, _ field: String, _ message: String) {
        items.append(DefinitionDiagnostic(file: file, line: line, field: field, message: message))
    }

    func warning(_ line: Int, _ field: String, _ message: String) {
        items.append(DefinitionDiagnostic(file: file, line: line, field: field, message: message, severity: .warning))
    }
}

/// A YAML mapping read field by field, each read naming its path and line in diagnostics.
struct Fields {
    let path: String
    let line: Int
    let sink: FileDiagnostics
    /// The fields given, in the file's order: a mapping has a handful, so they are looked up
    /// one by one (hashing every key cost 7 % of the instructions of reading 600 body files).
    private var values: [(name: String, node: YAMLNode)] = []

    /// Reads `node` as a mapping; reports (and returns nil) when it is something else.
    init?(_ node: YAMLNode, path: String, sink: FileDiagnostics, allowed: [String]) {
        self.path = path
        self.sink = sink
        self.line = node.line
        guard case .mapping(let mapping) = node.value else {
            sink.error(line, path.isEmpty ? "document" : path, "expected a mapping of fields (key: value)")
            return nil
        }
        for (key, value) in mapping {
            let keyLine = key.line
            guard let name = key.string else {
                sink.error(keyLine, path.isEmpty ? "document" : path, "a field name must be plain text")
                continue
            }
            if entry(name) != nil {
                sink.error(keyLine, field(name), "given more than once")
                continue
            }
            if !allowed.contains(name) {
                sink.error(keyLine, field(name), "unknown field; allowed: \(allowed.joined(separator: ", "))")
                continue
            }
            values.append((name, value))
        }
    }

    func field(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    /// The field `name` when given.
    private func entry(_ name: String) -> YAMLNode? {
        values.first { $0.name == name }?.node
    }

    func lineOf(_ name: String) -> Int { entry(name)?.line ?? line }

    func has(_ name: String) -> Bool { node(name) != nil }

    /// Whether a given value is YAML's null (`~`, `null`, nothing).
    private static func isNull(_ node: YAMLNode) -> Bool {
        guard case .scalar(let text, let plain) = node.value else { return false }
        guard plain else { return false }
        switch text {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// The value of the field `name`, `nil` when it is not given or null.
    func node(_ name: String) -> YAMLNode? {
        guard let node = entry(name), !Self.isNull(node) else { return nil }
        return node
    }

    func missing(_ name: String) {
        sink.error(line, field(name), "missing; this field is required")
    }

    /// A text field; `nil` (reported when `required`) when absent or not text.
    func string(_ name: String, required: Bool = false) -> String? {
        guard let node = node(name) else {
            if required { missing(name) }
            return nil
        }
        guard let string = node.string else {
            sink.error(lineOf(name), field(name), "expected text, found a \(node.isMapping ? "mapping" : "list")")
            return nil
        }
        let text = trimmed(string)
        if let problem = ControlCharacters.finding(in: text, multiline: true) {
            sink.error(lineOf(name), field(name), problem)
            return nil
        }
        if text.isEmpty {
            if required { sink.error(lineOf(name), field(name), "must not be empty") }
            return nil
        }
        return text
    }

    /// `true` or `false`; `nil` when not given.
    func flag(_ name: String) -> Bool? {
        guard let text = string(name) else { return nil }
        switch text {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            sink.error(lineOf(name), field(name), "'\(text)' is neither true nor false")
            return nil
        }
    }

    /// A list of texts; a single text is taken as a list of one.
    func strings(_ name: String) -> [String] {
        guard let node = node(name) else { return [] }
        if node.string != nil { return string(name).map { [$0] } ?? [] }
        guard case .sequence(let items) = node.value else {
            sink.error(lineOf(name), field(name), "expected a list of texts")
            return []
        }
        var result: [String] = []
        for (i, item) in items.enumerated() {
            if let s = item.string, !s.isEmpty {
                if let problem = ControlCharacters.finding(in: s, multiline: true) {
                    sink.error(item.line, "\(field(name))[\(i)]", problem)
                    continue
                }
                result.append(s)
            } else {
                sink.error(item.line, "\(field(name))[\(i)]", "expected text")
            }
        }
        return result
    }

    func integer(_ name: String, required: Bool = false, range: ClosedRange<Int>) -> Int? {
        guard let text = string(name, required: required) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            sink.error(
                lineOf(name), field(name),
                "'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    /// A date written `YYYY-MM-DD`.
    func date(_ name: String, required: Bool = false) -> CivilDate? {
        guard let text = string(name, required: required) else { return nil }
        guard let date = CivilDate(iso: text) else {
            sink.error(lineOf(name), field(name), "'\(text)' is not a date; write YYYY-MM-DD, e.g. 2026-01-13")
            return nil
        }
        return date
    }

    /// A wall-clock date and time written `YYYY-MM-DDTHH:MM` (seconds optional, no offset).
    func dateTime(_ name: String, required: Bool = false) -> LocalDateTime? {
        guard let text = string(name, required: required) else { return nil }
        guard let value = LocalDateTime(iso: text) else {
            sink.error(
                lineOf(name), field(name),
                "'\(text)' is not a local date and time; write YYYY-MM-DDTHH:MM, e.g. 2026-01-13T14:00 (no offset: "
                    + "the series' time zone applies)")
            return nil
        }
        return value
    }

    /// A UTC instant written `YYYY-MM-DDTHH:MM:SSZ` (or a date, meaning midnight UTC).
    func utcInstant(_ name: String, required: Bool = false) -> LocalDateTime? {
        guard let text = string(name, required: required) else { return nil }
        if let date = CivilDate(iso: text) { return LocalDateTime(date: date) }
        if text.hasSuffix("Z") || text.hasSuffix("z"), let value = LocalDateTime(iso: String(text.dropLast())) {
            return value
        }
        sink.error(lineOf(name), field(name), "'\(text)' is not a UTC time; write YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD")
        return nil
    }

    /// One of a fixed set of words.
    func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type, required: Bool = false) -> T?
    where T.RawValue == String {
        guard let text = string(name, required: required) else { return nil }
        if let value = T(rawValue: text) { return value }
        let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
        sink.error(lineOf(name), field(name), "'\(text)' is not allowed; allowed: \(allowed)")
        return nil
    }

    /// The items of a list field, each with its path (`members[2]`).
    func list(_ name: String, required: Bool = false) -> [(node: YAMLNode, path: String)] {
        guard let node = node(name) else {
            if required { missing(name) }
            return []
        }
        guard case .sequence(let items) = node.value else {
            sink.error(lineOf(name), field(name), "expected a list (lines starting with '- ')")
            return []
        }
        return items.enumerated().map { ($0.element, "\(field(name))[\($0.offset)]") }
    }
}

/// The text without leading and trailing spaces and tabs (YAML has already removed most).
func trimmed(_ text: String) -> String {
    let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
    guard let first = text.utf8.first, let last = text.utf8.last, blank(first) || blank(last) else { return text }
    let bytes = text.utf8.drop(while: blank)
    return String(decoding: bytes.reversed().drop(while: blank).reversed(), as: UTF8.self)
}
