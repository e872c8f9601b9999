import Foundation
import GremienTestSupport
import Testing
import Yams

@testable import Definitions

/// The calendars/ files are read from libyaml's events (`YAMLNode.read`); what cannot be read
/// that way goes to Yams. Both must give the readers the same tree.
@Suite struct YAMLNodeTests {
    /// The tree with every line, style and text, to compare two readings.
    static func dump(_ node: YAMLNode) -> String {
        switch node.value {
        case .scalar(let text, let plain): return "\(node.line)\(plain ? "p" : "q")\(text.debugDescription)"
        case .mapping(let pairs):
            return "\(node.line){" + pairs.map { dump($0.key) + ": " + dump($0.value) }.joined(separator: ", ") + "}"
        case .sequence(let items): return "\(node.line)[" + items.map(dump).joined(separator: ", ") + "]"
        }
    }

    static func composed(_ text: String) throws -> String? {
        try Yams.compose(yaml: text, .basic, .default, .utf8).map { dump(YAMLNode($0)) }
    }

    static let texts = [
        "id: a\nname: \"Ältestenrat – Nord\"\nkind: 'Arbeitskreis'\n",
        "series:\n  - id: s\n    exceptions:\n      - cancel: 2026-01-01\n        reason: Ausfall\n  - id: t\n",
        "agenda: |\n  Eins\n  Zwei\nnote: >\n  folded\n  text\n\nlast: plain\n  continued\n",
        "a: &x [1, 2, {b: c}]\nd: *x\ne: {f: *x, g: ~}\nh:\ni: null\nj: \"\"\n",
        "# comment\n---\nk: !!str 5\nl: !!int 7\n\"m\": \"\\x01\\t\"\n...\n",
        "- just\n- a list\n",
        "a scalar root\n",
        "members: [{office: jc, role: chair}, {office: soza, role: member}]\n",
        "a: &s text\nb: *s\nc: [*s, *s]\n",
        // Mappings of more keys than are searched one by one.
        (1...40).map { "k\($0): \($0)\n" }.joined(),
        "a:\n" + (1...17).map { "  k\($0): [\($0)]\n" }.joined() + "b: 1\n",
    ]

    @Test(arguments: texts) func readAsYamsComposes(_ text: String) throws {
        let read = try #require(YAMLNode.read(text))
        #expect(Self.dump(read) == (try Self.composed(text)))
    }

    /// Every shipped and test file reads the same both ways.
    @Test func shippedAndFixtureFilesReadAsYamsComposes() throws {
        var checked = 0
        for root in [TestDistrict.fixtures, TestDistrict.root.appendingPathComponent("calendars").path] {
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            for case let name as String in walker where name.hasSuffix(".yaml") {
                guard let data = FileManager.default.contents(atPath: root + "/" + name),
                    let text = String(data: data, encoding: .utf8), let read = YAMLNode.read(text)
                else { continue }
                #expect(Self.dump(read) == (try Self.composed(text)), "\(name)")
                checked += 1
            }
        }
        #expect(checked >= 20)
    }

    /// libyaml stops at about 1,000 levels of nesting; up to there the reader's recursion holds
    /// (on the loader's worker threads too), beyond it Yams words libyaml's refusal.
    @Test func deepNestingIsReadOrRefused() throws {
        let deep = "id: x\nseries: " + String(repeating: "[", count: 998) + String(repeating: "]", count: 998) + "\n"
        #expect(YAMLNode.read(deep) != nil)
        let folder = try YAMLKeyHardeningTests.folder(with: deep)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(YAMLKeyHardeningTests.load(folder).contains { $0.hasPrefix("bodies/alias.yaml:") })
        let deeper =
            "id: x\nseries: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
        #expect(YAMLNode.read(deeper) == nil)
        let refused = try YAMLKeyHardeningTests.folder(with: deeper)
        defer { try? FileManager.default.removeItem(at: refused) }
        #expect(
            YAMLKeyHardeningTests.load(refused).contains {
                $0.contains("not valid YAML: Maximum nesting level reached")
            })
    }

    /// What Yams words or reads differently goes to Yams: syntax errors, duplicate or non-text
    /// keys, undefined aliases, several documents, an empty file.
    @Test(arguments: [
        "a: 1\na: 2\n", "a: [1, 2\n", "? [a]\n: 1\n", "? {a: 1}\n: 2\n", "x: &k a\n*k : 1\n", "a: *nope\n",
        "--- a\n--- b\n", "", "# only a comment\n", "a: 1\n\"a\": 2\n",
        // A key given again in a large mapping: among the first keys and among the last.
        (1...20).map { "k\($0): 1\n" }.joined() + "k3: 2\n",
        (1...20).map { "k\($0): 1\n" }.joined() + "k19: 2\n",
        "a:\n" + (1...20).map { "  k\($0): 1\n" }.joined() + "  k17: 2\n",
    ])
    func leftToYams(_ text: String) {
        #expect(YAMLNode.read(text) == nil)
    }
}
