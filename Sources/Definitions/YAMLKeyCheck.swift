import CYaml

/// A key of a YAML mapping that is not text: an alias, a list or a mapping.
struct YAMLKeyProblem: Equatable {
    /// 1-based line of the key.
    let line: Int
    let kind: String
}

/// Finds the first mapping key that is not a scalar, reading libyaml's event stream.
///
/// Runs before `Yams.compose`: Yams expands aliases and hashes every key to find duplicates,
/// so a few hundred bytes of nested aliases used as keys keep it busy for minutes. Events carry
/// aliases unexpanded, so this scan is linear in the text. Syntax errors are left to the
/// composer, which words them.
func firstNonScalarKey(in text: String) -> YAMLKeyProblem? {
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else { return nil }
    defer { yaml_parser_delete(&parser) }
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { buffer -> YAMLKeyProblem? in
        yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        // One entry per open collection: for a mapping, whether the next node is a key.
        var expectingKey: [Bool?] = []
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line) + 1
            let isKey = expectingKey.last.flatMap { $0 } ?? false
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_ALIAS_EVENT:
                if isKey { return YAMLKeyProblem(line: line, kind: "an alias (*name)") }
                toggleAfterNode(&expectingKey)
            case YAML_SCALAR_EVENT:
                toggleAfterNode(&expectingKey)
            case YAML_SEQUENCE_START_EVENT:
                if isKey { return YAMLKeyProblem(line: line, kind: "a list") }
                expectingKey.append(nil)
            case YAML_MAPPING_START_EVENT:
                if isKey { return YAMLKeyProblem(line: line, kind: "a mapping") }
                expectingKey.append(true)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                _ = expectingKey.popLast()
                toggleAfterNode(&expectingKey)
            default:
                continue
            }
        }
    }
}

/// After a whole node inside a mapping, a key is followed by a value and a value by a key.
private func toggleAfterNode(_ expectingKey: inout [Bool?]) {
    guard let last = expectingKey.last, let isKey = last else { return }
    expectingKey[expectingKey.count - 1] = !isKey
}
