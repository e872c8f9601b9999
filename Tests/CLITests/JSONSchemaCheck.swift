import Foundation

/// A JSON value decoded strictly (a number is never a boolean), for checking against a schema.
enum JSONValue: Decodable, Equatable {
    case null, bool(Bool), integer(Int), number(Double), string(String), array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int.self) {
            self = .integer(i)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    static func parse(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }
}

/// The part of JSON Schema 2020-12 our schemas use: type, const, enum, pattern, minimum,
/// maximum, properties, required, additionalProperties: false, items and local `$ref`s.
/// Returns every violation as `path: message`.
struct JSONSchemaCheck {
    let root: JSONValue

    func violations(of value: JSONValue) -> [String] { check(value, against: root, at: "$") }

    private func check(_ value: JSONValue, against schema: JSONValue, at path: String) -> [String] {
        guard case .object(let s) = schema else { return ["\(path): schema is not an object"] }
        if case .string(let ref) = s["$ref"] {
            var target = root
            for part in ref.dropFirst(2).split(separator: "/") {
                guard case .object(let o) = target, let next = o[String(part)] else {
                    return ["\(path): bad $ref \(ref)"]
                }
                target = next
            }
            return check(value, against: target, at: path)
        }
        var found: [String] = []
        if let type = s["type"] {
            let allowed: [String]
            switch type {
            case .string(let t): allowed = [t]
            case .array(let ts):
                allowed = ts.compactMap { if case .string(let t) = $0 { return t } else { return nil } }
            default: allowed = []
            }
            if !allowed.contains(where: { Self.matches(value, $0) }) {
                return ["\(path): \(value) is not of type \(allowed.joined(separator: " or "))"]
            }
        }
        if let c = s["const"], c != value { found.append("\(path): must be \(c)") }
        if case .array(let options) = s["enum"], !options.contains(value) {
            found.append("\(path): \(value) not in enum")
        }
        if case .string(let pattern) = s["pattern"], case .string(let text) = value,
            text.range(of: pattern, options: .regularExpression) == nil
        {
            found.append("\(path): '\(text)' does not match \(pattern)")
        }
        if let n = Self.number(value) {
            if let min = s["minimum"].flatMap(Self.number), n < min { found.append("\(path): \(n) < \(min)") }
            if let max = s["maximum"].flatMap(Self.number), n > max { found.append("\(path): \(n) > \(max)") }
        }
        if case .object(let object) = value {
            let properties: [String: JSONValue]
            if case .object(let p) = s["properties"] { properties = p } else { properties = [:] }
            if case .array(let required) = s["required"] {
                for case .string(let key) in required where object[key] == nil {
                    found.append("\(path): missing \(key)")
                }
            }
            for (key, v) in object.sorted(by: { $0.key < $1.key }) {
                if let p = properties[key] {
                    found += check(v, against: p, at: "\(path).\(key)")
                } else if s["additionalProperties"] == .bool(false) {
                    found.append("\(path): unexpected property \(key)")
                }
            }
        }
        if case .array(let items) = value, let itemSchema = s["items"] {
            for (i, item) in items.enumerated() { found += check(item, against: itemSchema, at: "\(path)[\(i)]") }
        }
        return found
    }

    private static func matches(_ value: JSONValue, _ type: String) -> Bool {
        switch (value, type) {
        case (.null, "null"), (.bool, "boolean"), (.integer, "integer"), (.integer, "number"), (.number, "number"),
            (.string, "string"), (.array, "array"), (.object, "object"):
            return true
        default: return false
        }
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }
}
