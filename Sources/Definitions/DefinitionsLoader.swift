import Coordination
import Foundation
import Yams

/// Reads a `calendars/` folder into a `District`, checking everything on the way.
///
/// The folder holds `district.yaml` (settings, closing days), `offices.yaml` and one file per
/// body under `bodies/`. Every problem is reported with file, line and field; reading goes on
/// after a problem so that one run shows them all (as ical4j's validation reports do).
public struct DefinitionsLoader: Sendable {
    /// The folder as the user named it; diagnostics name files relative to it.
    public let directory: String
    /// The rules of a TZID, or `nil` when it is unknown (time zones are a parameter: no IO here).
    let zone: @Sendable (String) -> ZoneRules?

    public init(directory: String, zone: @escaping @Sendable (String) -> ZoneRules?) {
        self.directory = directory
        self.zone = zone
    }

    /// Reads and checks every file; `report.validDistrict` is set when nothing was wrong.
    public func load() -> DefinitionsReport {
        var diagnostics: [DefinitionDiagnostic] = []
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            let d = DefinitionDiagnostic(
                file: directory, line: 1, field: "folder", message: "no such folder; give the calendars/ folder")
            return DefinitionsReport(district: nil, diagnostics: [d])
        }
        var settings = readDistrict(diagnostics: &diagnostics)
        let offices = readOffices(diagnostics: &diagnostics)
        let officeIDs = Set(offices.map(\.id))
        // Body files are independent: read them on every core, then check ids across files in order.
        let files = bodyFiles(diagnostics: &diagnostics)
        let results = BodyResults(count: files.count)
        let defaultTimeZone = settings?.defaultTimeZone
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            let sink = FileDiagnostics(file: display(files[i]))
            var read: (Body, Int)?
            if let root = parse(files[i], sink: sink) {
                let reader = BodyReader(sink: sink, offices: officeIDs, zone: zone, defaultTimeZone: defaultTimeZone)
                read = reader.read(root)
            }
            results.set(i, read, sink)
        }
        var bodies: [Body] = []
        var seenBodies: [String: String] = [:]
        for i in files.indices {
            guard let sink = results.sinks[i] else { continue }
            defer { diagnostics += sink.items }
            guard let (body, idLine) = results.bodies[i] else { continue }
            if let other = seenBodies[body.id] {
                sink.error(idLine, "id", "duplicate body id '\(body.id)'; also used in \(other)")
                continue
            }
            seenBodies[body.id] = "\(sink.file):\(idLine)"
            bodies.append(body)
        }
        settings?.offices = offices
        settings?.bodies = bodies.sorted { $0.id < $1.id }
        diagnostics.sort()
        return DefinitionsReport(district: settings, diagnostics: diagnostics)
    }

    /// A path inside the folder as diagnostics show it: `calendars/bodies/ag-78.yaml`.
    func display(_ relative: String) -> String {
        directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }

    /// The YAML document of a file, or `nil` after reporting why it could not be read.
    func parse(_ relative: String, sink: FileDiagnostics) -> YAMLNode? {
        let path = display(relative)
        guard let data = FileManager.default.contents(atPath: path) else {
            sink.error(1, "file", "cannot be read")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            sink.error(1, "file", "is not UTF-8 text; save it as UTF-8")
            return nil
        }
        // A well-formed file is read from libyaml's events; anything else goes the way of
        // Yams, which words the problem.
        if let node = YAMLNode.read(text) { return node }
        if let problem = firstNonScalarKey(in: text) {
            sink.error(problem.line, "file", "a field name must be plain text, not \(problem.kind)")
            return nil
        }
        do {
            // The basic resolver leaves every scalar as text: fields are typed by their reader.
            // UTF-8 named explicitly: Yams's default reads the environment on every call.
            guard let node = try Yams.compose(yaml: text, .basic, .default, .utf8) else {
                sink.error(1, "file", "is empty")
                return nil
            }
            return YAMLNode(node)
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                let detail = context.map { " \($0.text)" } ?? ""
                sink.error(mark.line, "file", "not valid YAML: \(problem)\(detail)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                sink.error(
                    context.mark.line, duplicates.joined(separator: ", "), "given more than once in the same mapping")
            case .reader(let problem, _, _, _):
                sink.error(1, "file", "not valid YAML: \(problem)")
            default:
                sink.error(1, "file", "not valid YAML: \(error)")
            }
            return nil
        } catch {
            sink.error(1, "file", "not valid YAML: \(error)")
            return nil
        }
    }

    private func bodyFiles(diagnostics: inout [DefinitionDiagnostic]) -> [String] {
        let folder = display("bodies")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            diagnostics.append(
                DefinitionDiagnostic(
                    file: folder, line: 1, field: "folder", message: "missing; put one file per body in bodies/"))
            return []
        }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "bodies/\($0)" }
    }
}

/// The per-file results of the concurrent read, each slot written by one worker.
private final class BodyResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var bodies: [(Body, Int)?]
    private(set) var sinks: [FileDiagnostics?]

    init(count: Int) {
        bodies = Array(repeating: nil, count: count)
        sinks = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ body: (Body, Int)?, _ sink: FileDiagnostics) {
        lock.lock()
        defer { lock.unlock() }
        bodies[index] = body
        sinks[index] = sink
    }
}
