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
    ///
    /// The package holds `content.xml` (the template), `styles.xml` (headings, table headings,
    /// A4 pages with the district and the body in the header and "Seite n von m" in the footer),
    /// `meta.xml` (title, subject, language, the session's day) and the manifest.
    public func writeODT(_ view: MinutesView, to path: String) throws(RenderError) {
        let content = try text(view, format: .odt)
        let manifest = """
            <?xml version="1.0" encoding="UTF-8"?>
            <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
             <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/>
             <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
             <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
             <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
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
                ("content.xml", content, .deflate), ("styles.xml", Self.styles(view), .deflate),
                ("meta.xml", Self.meta(view), .deflate), ("META-INF/manifest.xml", manifest, .deflate),
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

    /// The ODT's `styles.xml`: the named styles `content.xml` uses and an A4 master page whose
    /// header names the district, the body and the day, and whose footer counts the pages.
    static func styles(_ view: MinutesView) -> String {
        let x = XMLText()
        let header = x.escapeText("\(view.district) – Niederschrift \(view.bodyName), \(view.date)")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3">
            <office:styles>
            <style:default-style style:family="paragraph"><style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.15cm"/><style:text-properties fo:font-family="'Liberation Sans'" style:font-family-generic="swiss" fo:font-size="10.5pt" fo:language="de" fo:country="DE" fo:hyphenate="true"/></style:default-style>
            <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
            <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Standard" style:class="text"><style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/><style:text-properties fo:font-weight="bold" fo:hyphenate="false"/></style:style>
            <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="1" style:class="text"><style:text-properties fo:font-size="16pt"/></style:style>
            <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="2" style:class="text"><style:text-properties fo:font-size="13pt"/></style:style>
            <style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="3" style:class="text"><style:text-properties fo:font-size="11pt"/></style:style>
            <style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:paragraph-properties fo:margin-bottom="0cm"/><style:text-properties fo:font-size="9.5pt" fo:hyphenate="false"/></style:style>
            <style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra"><style:text-properties fo:font-weight="bold"/></style:style>
            <style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:paragraph-properties fo:text-align="end"/><style:text-properties fo:font-size="8.5pt" fo:color="#444444"/></style:style>
            <style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="8.5pt"/></style:style>
            </office:styles>
            <office:automatic-styles>
            <style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2.5cm" fo:margin-right="2cm"/><style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.4cm"/></style:header-style><style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.4cm"/></style:footer-style></style:page-layout>
            </office:automatic-styles>
            <office:master-styles>
            <style:master-page style:name="Standard" style:page-layout-name="A4">
            <style:header><text:p text:style-name="Header">\(header)</text:p></style:header>
            <style:footer><text:p text:style-name="Footer">Seite <text:page-number text:select-page="current">1</text:page-number> von <text:page-count>1</text:page-count></text:p></style:footer>
            </style:master-page>
            </office:master-styles>
            </office:document-styles>

            """
    }

    /// The ODT's `meta.xml`: title, subject, language and the session's day (no clock: the same
    /// view gives the same bytes).
    static func meta(_ view: MinutesView) -> String {
        let x = XMLText()
        let parts = view.date.split(separator: ".")
        let day = parts.count == 3 ? "\(parts[2])-\(parts[1])-\(parts[0])T00:00:00" : "2026-01-01T00:00:00"
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3">
            <office:meta>
            <meta:generator>Gremien</meta:generator>
            <dc:title>\(x.escapeText("Niederschrift: \(view.title), \(view.date)"))</dc:title>
            <dc:subject>\(x.escapeText(view.bodyName))</dc:subject>
            <dc:language>de-DE</dc:language>
            <meta:creation-date>\(day)</meta:creation-date>
            </office:meta>
            </office:document-meta>

            """
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
