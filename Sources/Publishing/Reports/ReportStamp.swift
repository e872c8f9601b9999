import Coordination
import Foundation

/// What a report was made from, written into every report as one line:
/// `gremien-report v2 from=2026-01-01 through=2026-12-31 office=- body=- core=soza,ja-k,jc format=csv excel=no pairs=joint made=2026-11-25T06:00:00Z head=12:9f86…`.
///
/// Version 2 (made from 2026-12): rates over the sessions with something recorded, "nicht erfasst"
/// apart, the sessions behind each figure, each pair of offices once and only with joint sessions
/// (`pairs=all`: every pair), printable on A4. Version 3 (from 2026-12) adds who held each office's
/// seats (regular holders and deputies, with their days). Earlier reports keep their form and still
/// verify.
///
/// `gremien audit verify --report FILE` reads it back, rebuilds the records as they stood at that
/// chain head, makes the report again and compares.
public struct ReportStamp: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable, CaseIterable {
        case csv, json, html
    }

    public var from: CivilDate
    public var through: CivilDate
    public var office: String?
    public var body: String?
    /// The offices whose pairs are always listed.
    public var core: [String]
    public var format: Format
    /// CSV for German Excel (BOM, semicolons, decimal commas).
    public var excel: Bool
    /// UTC.
    public var madeAt: LocalDateTime
    /// The event log's head the report was computed from: `seq:hash`.
    public var head: String
    /// 1, 2 or 3 (`current`).
    public var version: Int
    /// Version 2: every pair of offices, also those without a joint session in the period.
    public var allPairs: Bool

    /// The version new reports are made in.
    public static let current = 3

    public init(
        from: CivilDate, through: CivilDate, office: String?, body: String?, core: [String], format: Format,
        excel: Bool, madeAt: LocalDateTime, head: String, version: Int = ReportStamp.current, allPairs: Bool = false
    ) {
        self.version = version
        self.allPairs = allPairs
        self.from = from
        self.through = through
        self.office = office
        self.body = body
        self.core = core
        self.format = format
        self.excel = excel
        self.madeAt = madeAt
        self.head = head
    }

    static let tag = "gremien-report v"

    /// The stamp line.
    public var line: String {
        var fields = [
            "\(Self.tag)\(version)", "from=\(from)", "through=\(through)", "office=\(office ?? "-")",
            "body=\(body ?? "-")", "core=\(core.joined(separator: ","))", "format=\(format.rawValue)",
            "excel=\(excel ? "yes" : "no")",
        ]
        if version >= 2 { fields.append("pairs=\(allPairs ? "all" : "joint")") }
        return (fields + ["made=\(madeAt)Z", "head=\(head)"]).joined(separator: " ")
    }

    /// The stamp found in a report's bytes, as `init(findingIn:)` finds it in its text, without
    /// making the text of a report of a hundred megabytes or holding its bytes: each version's
    /// tag is looked for as the bytes are read a megabyte at a time, and the stamp read from the
    /// bytes that follow the first tag of the last version found. (`piece`: for the tests.)
    public static func found(in source: some ReportSource, piece size: Int = 1 << 20) throws(ReportSourceError)
        -> ReportStamp?
    {
        let tags = (1...current).map { Array("\(tag)\($0) ".utf8) }
        var first = [Int?](repeating: nil, count: tags.count)
        try source.pieces(of: size, overlap: (tags.map(\.count).max() ?? 1) - 1) { piece, offset in
            for (i, tag) in tags.enumerated() where first[i] == nil {
                first[i] = firstOffset(of: tag, in: piece).map { offset + $0 }
            }
            return first.contains(nil)
        }
        guard let at = first.last(where: { $0 != nil }) ?? nil else { return nil }
        // A stamp is a line of some hundred bytes (the core offices' ids among them).
        let window = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
        defer { window.deallocate() }
        let got = try source.read(at: at, into: window)
        return ReportStamp(findingIn: String(decoding: UnsafeRawBufferPointer(rebasing: window[..<got]), as: UTF8.self))
    }

    /// The stamp found in a report's text, or `nil` when it holds none (or a damaged one).
    public init?(findingIn text: String) {
        var found: (range: Range<String.Index>, version: Int)?
        for version in 1...Self.current {
            if let range = text.range(of: "\(Self.tag)\(version) ") { found = (range, version) }
        }
        guard let (range, version) = found else { return nil }
        // The stamp ends where its cell, attribute or string ends.
        let ends = Set("\"<\r\n;".unicodeScalars)
        let rest = text[range.upperBound...].prefix { !$0.unicodeScalars.contains(where: ends.contains) }
        var fields: [String: String] = [:]
        for part in rest.split(separator: " ") {
            guard let eq = part.firstIndex(of: "=") else { continue }
            fields[String(part[..<eq])] = String(part[part.index(after: eq)...])
        }
        guard let f = fields["from"].flatMap(CivilDate.init(iso:)),
            let t = fields["through"].flatMap(CivilDate.init(iso:)),
            let format = fields["format"].flatMap(Format.init(rawValue:)),
            let made = fields["made"].flatMap({ LocalDateTime(iso: String($0.dropLast())) }),
            // The head is the last field: an unquoted CSV cell (core offices without a comma) ends
            // at the next separator.
            let head = fields["head"].map({ String($0.prefix { $0.isHexDigit || $0 == ":" }) }),
            let core = fields["core"], let o = fields["office"], let b = fields["body"],
            let excel = fields["excel"]
        else { return nil }
        if version >= 2 && fields["pairs"] != "all" && fields["pairs"] != "joint" { return nil }
        self.init(
            from: f, through: t, office: o == "-" ? nil : o, body: b == "-" ? nil : b,
            core: core.split(separator: ",").map(String.init), format: format, excel: excel == "yes", madeAt: made,
            head: head, version: version, allPairs: fields["pairs"] == "all")
    }
}
