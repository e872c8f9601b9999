import Coordination

/// Reads one file under `bodies/`: the body, its members and its series, checked against the
/// offices and time zones known.
struct BodyReader {
    static let bodyFields = [
        "id", "name", "kind", "legal_basis", "agreements", "chair", "valid_from", "valid_until", "members", "series",
        "quorum", "invitation_days", "public",
    ]
    static let memberFields = ["office", "role", "level", "from", "until"]

    let sink: FileDiagnostics
    let offices: Set<String>
    let zone: (String) -> ZoneRules?
    let defaultTimeZone: String?

    /// The body and the line of its id, or `nil` when its essentials could not be read.
    func read(_ root: YAMLNode) -> (Body, Int)? {
        guard let f = Fields(root, path: "", sink: sink, allowed: Self.bodyFields) else { return nil }
        let id = f.string("id", required: true)
        if let id, !isIdentifier(id) {
            sink.error(f.lineOf("id"), "id", "'\(id)' is not an id; use lower-case letters, digits and '-'")
        }
        let name = f.string("name", required: true)
        let kind = f.choice("kind", Body.Kind.self, required: true)
        let chair = f.string("chair", required: true)
        let validFrom = f.date("valid_from")
        let validUntil = f.date("valid_until")
        if let validFrom, let validUntil, validUntil < validFrom {
            sink.error(
                f.lineOf("valid_until"), "valid_until",
                "\(validUntil) is before valid_from \(validFrom); the end must not come before the start")
        }
        if let chair, !offices.contains(chair) {
            sink.error(f.lineOf("chair"), "chair", unknownOffice(chair))
        }
        let members = readMembers(f, validFrom: validFrom, validUntil: validUntil)
        if let chair, offices.contains(chair), !members.contains(where: { $0.office == chair && $0.role == .chair }) {
            sink.error(
                f.lineOf("chair"), "chair",
                "office '\(chair)' chairs the body but is not listed in members with role chair")
        }
        var series: [Series] = []
        var seriesIDs: [String: Int] = [:]
        for (node, path) in f.list("series") {
            let reader = SeriesReader(sink: sink, zone: zone, defaultTimeZone: defaultTimeZone ?? "Europe/Berlin")
            guard let (s, line) = reader.read(node, path: path, bodyValidFrom: validFrom, bodyValidUntil: validUntil)
            else { continue }
            if let first = seriesIDs[s.id] {
                sink.error(
                    line, "\(path).id", "duplicate series id '\(s.id)' in this body; first used on line \(first)")
                continue
            }
            seriesIDs[s.id] = line
            series.append(s)
        }
        guard let id, isIdentifier(id), let name, let kind, let chair else { return nil }
        let body = Body(
            id: id, name: name, kind: kind, legalBasis: f.strings("legal_basis"), agreements: f.strings("agreements"),
            chair: chair, members: members, validFrom: validFrom, validUntil: validUntil, series: series,
            quorum: f.choice("quorum", QuorumRule.self), invitationDays: f.integer("invitation_days", range: 0...90),
            isPublic: f.flag("public") ?? false)
        return (body, f.lineOf("id"))
    }

    private func unknownOffice(_ id: String) -> String {
        "unknown office '\(id)'; known offices: \(offices.sorted().joined(separator: ", "))"
    }

    private func readMembers(_ f: Fields, validFrom: CivilDate?, validUntil: CivilDate?) -> [Membership] {
        var members: [Membership] = []
        var seen: [String: Int] = [:]
        for (node, path) in f.list("members", required: true) {
            guard let m = Fields(node, path: path, sink: sink, allowed: Self.memberFields) else { continue }
            let office = m.string("office", required: true)
            let role = m.choice("role", Membership.Role.self, required: true)
            var levels: [Membership.Level] = []
            for text in m.strings("level") {
                if let level = Membership.Level(rawValue: text) {
                    levels.append(level)
                } else {
                    let allowed = Membership.Level.allCases.map(\.rawValue).joined(separator: ", ")
                    sink.error(m.lineOf("level"), m.field("level"), "'\(text)' is not allowed; allowed: \(allowed)")
                }
            }
            let from = m.date("from")
            let until = m.date("until")
            if let from, let until, until < from {
                sink.error(
                    m.lineOf("until"), m.field("until"),
                    "\(until) is before from \(from); the end must not come before the start")
            }
            if let from, let validFrom, from < validFrom {
                sink.error(
                    m.lineOf("from"), m.field("from"), "\(from) is before the body exists (valid_from \(validFrom))")
            }
            if let from, let validUntil, from > validUntil {
                sink.error(
                    m.lineOf("from"), m.field("from"), "\(from) is after the body ends (valid_until \(validUntil))")
            }
            if let until, let validUntil, until > validUntil {
                sink.error(
                    m.lineOf("until"), m.field("until"), "\(until) is after the body ends (valid_until \(validUntil))")
            }
            if let until, let validFrom, until < validFrom {
                sink.error(
                    m.lineOf("until"), m.field("until"), "\(until) is before the body exists (valid_from \(validFrom))")
            }
            guard let office, let role else { continue }
            guard offices.contains(office) else {
                sink.error(m.lineOf("office"), m.field("office"), unknownOffice(office))
                continue
            }
            if let line = seen[office], from == nil, until == nil {
                sink.error(
                    m.lineOf("office"), m.field("office"),
                    "office '\(office)' is listed twice (first on line \(line)); give from/until when its seat changes")
                continue
            }
            seen[office] = m.lineOf("office")
            members.append(Membership(office: office, role: role, levels: levels, validFrom: from, validUntil: until))
        }
        return members
    }
}
