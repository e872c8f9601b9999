import Foundation
import GremienTestSupport
import Testing

/// Every `gremien …` example of README.md, as written, in order, in a fresh copy of the
/// repository's `calendars/` and `templates/` without a store: what a newcomer types first.
///
/// The examples are read from the README's `sh` blocks, so that README and test cannot drift.
/// Three things are given to them as a reader would: `anwesenheit.csv` from the README's `csv`
/// block, the id of the token issued before `gremien token revoke`, and a folder of this run for
/// `/srv/gremien/`. `gremien serve` runs until stopped; `scripts/check-server` runs it;
/// `gremien mail send|test` need a mail server, `scripts/check-mail` gives them one.
@Suite struct ReadmeExamplesTests {
    static let readme = TestDistrict.root.appendingPathComponent("README.md")

    /// The README's examples: lines of ```sh blocks that start with `gremien `, comments removed.
    static func examples() throws -> [String] {
        var found: [String] = []
        var inShell = false
        for line in try String(contentsOf: readme, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        {
            if line.hasPrefix("```") {
                inShell = !inShell && line == "```sh"
                continue
            }
            if inShell, line.hasPrefix("gremien ") { found.append(String(line)) }
        }
        return found
    }

    /// The README's first ```csv block.
    static func csvExample() throws -> String {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let start = try #require(text.range(of: "```csv\n"))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        return String(text[start.upperBound..<end.lowerBound])
    }

    @Test func everyExampleRunsAsWrittenInAFreshCopy() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gremien-readme-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["calendars", "templates"] {
            try FileManager.default.copyItem(
                at: TestDistrict.root.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        try Data(try Self.csvExample().utf8).write(to: folder.appendingPathComponent("anwesenheit.csv"))
        let examples = try Self.examples()
        #expect(examples.count >= 40)
        #expect(examples.contains { $0.hasPrefix("gremien sessions  ") })
        #expect(examples.contains { $0.hasPrefix("gremien generate --out out/feeds") })
        var ran = 0
        var lastToken: String?
        for example in examples {
            var words = try ShellWords.split(example)
            if words.dropFirst().first == "serve" { continue }
            // Sending needs a mail server: scripts/check-mail runs them against aiosmtpd.
            if words.dropFirst().first == "mail", ["send", "test"].contains(words.dropFirst(2).first) { continue }
            words = words.map { $0.replacingOccurrences(of: "/srv/gremien/", with: folder.path + "/srv-") }
            if words.dropFirst().first == "token", words.dropFirst(2).first == "revoke", let lastToken {
                words[3] = lastToken
            }
            let run = try CommandLineTests.gremien(Array(words.dropFirst()), in: folder)
            #expect(run.status == 0, "\(example)\n\(run.err)")
            if words.dropFirst().first == "token", words.dropFirst(2).first == "issue" {
                lastToken = run.err.split(separator: " ").dropFirst().first.map(String.init)
            }
            ran += 1
        }
        // Left out: the two `gremien serve` lines and the three that send mail.
        #expect(ran == examples.count - 5)
        // What the first commands promised: no store until sync, then one.
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("gremien.sqlite").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/feeds/all.ics").path))
    }

    /// The two commands the README's introduction names, in a fresh copy with no store:
    /// they read calendars/ and say nothing about argument definitions.
    @Test func sessionsAndGenerateWorkWithoutAStore() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gremien-fresh-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: TestDistrict.root.appendingPathComponent("calendars"), to: folder.appendingPathComponent("calendars"))
        let sessions = try CommandLineTests.gremien(["sessions"], in: folder)
        #expect(sessions.status == 0 && sessions.err.isEmpty, "\(sessions.err)")
        #expect(sessions.out.hasPrefix("START ") && sessions.out.hasSuffix(" session(s)\n"))
        let generate = try CommandLineTests.gremien(["generate", "--out", "out/feeds"], in: folder)
        #expect(generate.status == 0, "\(generate.err)")
        #expect(generate.out.hasPrefix("out/feeds: all.ics ("))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("gremien.sqlite").path))
    }
}

/// Splits a command line as a POSIX shell does for words: single and double quotes, a `#`
/// comment after a blank; no variables or globbing (the README uses none).
enum ShellWords {
    struct Unbalanced: Error, CustomStringConvertible {
        var line: String
        var description: String { "unbalanced quotes in: \(line)" }
    }

    static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for c in line {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
                continue
            }
            switch c {
            case "'", "\"":
                quote = c
                inWord = true
            case " ", "\t":
                if inWord { words.append(current) }
                (current, inWord) = ("", false)
            case "#" where !inWord:
                return words
            default:
                current.append(c)
                inWord = true
            }
        }
        guard quote == nil else { throw Unbalanced(line: line) }
        if inWord { words.append(current) }
        return words
    }
}
