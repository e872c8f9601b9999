import Coordination
import Foundation
import Mustache
import ZIPFoundation

/// Renders minutes templates (`templates/`, swift-mustache) from a `MinutesView`.
///
/// Templates are `minutes[-variant].{md,html,odt}.mustache`; the variants (Fallbesprechung,
/// Beirat) extend the default through Mustache template inheritance. ODT is an OpenDocument text
/// package (ZIPFoundation): `mimetype` stored first, `content.xml` from the template, a manifest.
public struct MinutesRenderer: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case md, html, odt
    }

    public enum RenderError: Error, Sendable, CustomStringConvertible {
        case cannotLoad(folder: String, reason: String)
        case missingTemplate(String, folder: String)
        case cannotWrite(path: String, reason: String)

        public var description: String {
            switch self {
            case .cannotLoad(let folder, let reason): return "cannot load the templates in \(folder): \(reason)"
            case .missingTemplate(let name, let folder): return "no template \(name).mustache in \(folder)"
            case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
            }
        }
    }

    let library: MustacheLibrary
    let folder: String

    /// Loads every `*.mustache` file of `folder`.
    public init(folder: String) async throws(RenderError) {
        self.folder = folder
        Self.registerContentTypes
        do {
            library = try await MustacheLibrary(directory: folder)
        } catch {
            throw .cannotLoad(folder: folder, reason: String(describing: error))
        }
    }

    /// The default templates (`minutes.md`, `.html`, `.odt`) the folder lacks; every variant
    /// falls back to them.
    public var missingDefaults: [String] {
        Format.allCases.map { "minutes.\($0.rawValue)" }.filter { library.getTemplate(named: $0) == nil }
    }

    /// The template name for a view and format: the variant's, else the default.
    func templateName(_ view: MinutesView, _ format: Format) -> String {
        let variant = "minutes-\(view.variant).\(format.rawValue)"
        return library.getTemplate(named: variant) != nil ? variant : "minutes.\(format.rawValue)"
    }

    /// The rendered text (for ODT: the `content.xml`).
    public func text(_ view: MinutesView, format: Format) throws(RenderError) -> String {
        let name = templateName(view, format)
        guard let output = library.render(view, withTemplate: name) else {
            throw .missingTemplate(name, folder: folder)
        }
        return output
    }

    /// Writes an OpenDocument text to `path`; the same view gives the same bytes.
    public func writeODT(_ view: MinutesView, to path: String) throws(RenderError) {
        let content = try text(view, format: .odt)
        let manifest = """
            <?xml version="1.0" encoding="UTF-8"?>
            <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
             <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/>
             <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
            </manifest:manifest>

            """
        let url = URL(fileURLWithPath: path)
        try? FileManager.default.removeItem(at: url)
        // A fixed time in the package: no clock in the output.
        let stamp = Date(timeIntervalSince1970: 1_767_225_600)
        do {
            let archive = try Archive(url: url, accessMode: .create)
            for (name, text, method) in [
                ("mimetype", "application/vnd.oasis.opendocument.text", CompressionMethod.none),
                ("content.xml", content, .deflate), ("META-INF/manifest.xml", manifest, .deflate),
            ] {
                let data = Data(text.utf8)
                try archive.addEntry(
                    with: name, type: .file, uncompressedSize: Int64(data.count), modificationDate: stamp,
                    compressionMethod: method
                ) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
        } catch {
            throw .cannotWrite(path: path, reason: String(describing: error))
        }
    }
}

extension MinutesRenderer {
    /// The content types the templates name in `{{% CONTENT_TYPE: …}}`, registered once before
    /// the first template is read (the pragma is resolved when a template is parsed).
    static let registerContentTypes: Void = {
        MustacheContentTypes.register(MarkdownText(), named: "MARKDOWN")
        MustacheContentTypes.register(XMLText(), named: "XML")
    }()
}

/// Values placed into Markdown as plain text: characters Markdown or HTML would read as markup
/// are escaped with a backslash (CommonMark allows it before any ASCII punctuation), line
/// breaks become spaces (a value sits inside a line or a table cell), control characters are
/// left out.
struct MarkdownText: MustacheContentType {
    func escapeText(_ text: String) -> String {
        replacingScalars(of: text) { scalar in
            switch scalar {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "&", "#", "!", "{", "}": "\\\(scalar)"
            case "\n", "\r", "\t": " "
            case _ where ControlCharacters.isControl(scalar): ""
            default: nil
            }
        }
    }
}

/// Values placed into XML (the ODT's `content.xml`): escaped like HTML, and without the
/// characters XML 1.0 does not allow at all (controls but tab and line breaks), which made
/// office suites refuse the whole document.
struct XMLText: MustacheContentType {
    func escapeText(_ text: String) -> String {
        replacingScalars(of: text) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&apos;"
            case "\t", "\n", "\r": nil
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: ""
            default: nil
            }
        }
    }
}

/// `text` with each scalar `replacement` returns text for replaced by it (`nil`: kept as it is).
private func replacingScalars(of text: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        if let replaced = replacement(scalar) { out += replaced } else { out.unicodeScalars.append(scalar) }
    }
    return out
}
