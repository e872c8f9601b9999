import CYaml
import Yams

/// A node of a `calendars/` file with the line it starts on: what the readers need of YAML.
struct YAMLNode {
    enum Value {
        /// Text; `plain` when written without quotes or block indicators (`~` there means null).
        case scalar(String, plain: Bool)
        case mapping([(key: YAMLNode, value: YAMLNode)])
        case sequence([YAMLNode])
    }

    var value: Value
    /// 1-based.
    var line: Int

    /// The text of a scalar, `nil` for a mapping or list.
    var string: String? {
        if case .scalar(let text, _) = value { return text }
        return nil
    }

    var isMapping: Bool {
        if case .mapping = value { return true }
        return false
    }
}

extension YAMLNode {
    /// The tree Yams composed, as the readers take it.
    init(_ node: Node) {
        let line = node.mark?.line ?? 1
        switch node {
        case .scalar(let s): self.init(value: .scalar(s.string, plain: s.style == .plain), line: line)
        case .mapping(let m): self.init(value: .mapping(m.map { (YAMLNode($0.key), YAMLNode($0.value)) }), line: line)
        case .sequence(let s): self.init(value: .sequence(s.map(YAMLNode.init)), line: line)
        case .alias: self.init(value: .scalar("", plain: true), line: line)  // composed away by Yams
        }
    }

    /// Reads one document straight from libyaml's events, or says `nil` when the text needs
    /// Yams: anything but a single well-formed document whose keys are text and differ
    /// (syntax errors, duplicate or non-text keys, undefined aliases, several documents, an
    /// empty file). Yams then reads it again and words the problem as before; the tree of a
    /// text read here is the one Yams composes (checked in the tests), without its per-node
    /// tags and duplicate check over hashed nodes, which made reading 600 body files slow.
    static func read(_ text: String) -> YAMLNode? {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else { return nil }
        defer { yaml_parser_delete(parser) }
        var text = text
        return text.withUTF8 { buffer -> YAMLNode? in
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            var reader = EventReader(parser: parser)
            return reader.document()
        }
    }
}

/// Composes nodes from libyaml's events, as Yams's `Parser` does, without Yams's tags.
private struct EventReader {
    let parser: UnsafeMutablePointer<yaml_parser_t>
    var anchors: [String: YAMLNode] = [:]

    /// The single document of the stream, or `nil` (see `YAMLNode.read`).
    mutating func document() -> YAMLNode? {
        guard next(expecting: YAML_STREAM_START_EVENT) != nil,
            next(expecting: YAML_DOCUMENT_START_EVENT) != nil
        else { return nil }
        guard let root = node() else { return nil }
        guard next(expecting: YAML_DOCUMENT_END_EVENT) != nil,
            next(expecting: YAML_STREAM_END_EVENT) != nil
        else { return nil }
        return root
    }

    /// The next event when it is of `type`; nothing of it is kept.
    private mutating func next(expecting type: yaml_event_type_t) -> Bool? {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { return nil }
        defer { yaml_event_delete(&event) }
        return event.type == type ? true : nil
    }

    /// The node that starts with the next event; `nil` at the end of a collection or on a problem.
    private mutating func node() -> YAMLNode? {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { return nil }
        defer { yaml_event_delete(&event) }
        return node(from: &event)
    }

    private mutating func node(from event: inout yaml_event_t) -> YAMLNode? {
        let line = Int(event.start_mark.line) + 1
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let node = YAMLNode(value: .scalar(text, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE), line: line)
            register(scalar.anchor, node)
            return node
        case YAML_ALIAS_EVENT:
            guard let name = Self.string(event.data.alias.anchor) else { return nil }
            return anchors[name]
        case YAML_SEQUENCE_START_EVENT:
            let anchor = Self.string(event.data.sequence_start.anchor)
            var items: [YAMLNode] = []
            while true {
                var item = yaml_event_t()
                guard yaml_parser_parse(parser, &item) == 1 else { return nil }
                defer { yaml_event_delete(&item) }
                if item.type == YAML_SEQUENCE_END_EVENT { break }
                guard let node = node(from: &item) else { return nil }
                items.append(node)
            }
            let node = YAMLNode(value: .sequence(items), line: line)
            if let anchor { anchors[anchor] = node }
            return node
        case YAML_MAPPING_START_EVENT:
            let anchor = Self.string(event.data.mapping_start.anchor)
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            // The keys of a large mapping, by name; a mapping of a few keys (almost every one
            // in calendars/) is searched instead: a set per mapping cost 6 % of reading 600
            // body files.
            var keys = Set<String>()
            while true {
                var first = yaml_event_t()
                guard yaml_parser_parse(parser, &first) == 1 else { return nil }
                defer { yaml_event_delete(&first) }
                if first.type == YAML_MAPPING_END_EVENT { break }
                // A key must be text (an alias, list or mapping is worded by Yams's path) and
                // differ from the others (Yams compares duplicates with their tags).
                guard first.type == YAML_SCALAR_EVENT, let key = node(from: &first), let name = key.string,
                    Self.isNew(name, in: pairs, keys: &keys), let value = node()
                else { return nil }
                pairs.append((key, value))
            }
            let node = YAMLNode(value: .mapping(pairs), line: line)
            if let anchor { anchors[anchor] = node }
            return node
        default:
            return nil
        }
    }

    /// Whether `name` is not yet a key of `pairs` (each key text); `keys` holds them all once
    /// there are more than `searched`.
    static func isNew(_ name: String, in pairs: [(key: YAMLNode, value: YAMLNode)], keys: inout Set<String>) -> Bool {
        let searched = 16
        if pairs.count < searched { return !pairs.contains { $0.key.string == name } }
        if keys.isEmpty { keys = Set(pairs.compactMap { $0.key.string }) }
        return keys.insert(name).inserted
    }

    private mutating func register(_ anchor: UnsafeMutablePointer<yaml_char_t>?, _ node: YAMLNode) {
        if let name = Self.string(anchor) { anchors[name] = node }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }
}
