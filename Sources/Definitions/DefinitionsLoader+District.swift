import Coordination
import Foundation

extension DefinitionsLoader {
    static let districtFields = [
        "name", "uid_domain", "time_zone", "plan_until", "refresh_hours", "closing_days", "cancelled_sessions",
        "oparl_attendance",
    ]
    static let closingDayFields = ["name", "date", "yearly", "easter"]
    static let officeFields = ["id", "name", "short", "administration", "mailbox"]

    /// `district.yaml`: the district's settings; `nil` when the file is missing or unusable.
    func readDistrict(diagnostics: inout [DefinitionDiagnostic]) -> District? {
        let sink = FileDiagnostics(file: display("district.yaml"))
        defer { diagnostics += sink.items }
        guard FileManager.default.fileExists(atPath: display("district.yaml")) else {
            sink.error(1, "file", "missing; every calendars/ folder needs district.yaml")
            return nil
        }
        guard let root = parse("district.yaml", sink: sink),
            let f = Fields(root, path: "", sink: sink, allowed: Self.districtFields)
        else { return nil }
        let name = f.string("name", required: true)
        let domain = f.string("uid_domain", required: true)
        let planUntil = f.date("plan_until", required: true)
        if let planUntil, planUntil > District.latestPlanUntil {
            sink.error(
                f.lineOf("plan_until"), "plan_until",
                "\(planUntil) lies too far ahead; plan at most until \(District.latestPlanUntil)")
        }
        let timeZone = f.string("time_zone") ?? "Europe/Berlin"
        if zone(timeZone) == nil {
            sink.error(
                f.lineOf("time_zone"), "time_zone",
                "unknown time zone '\(timeZone)'; use an IANA name such as Europe/Berlin")
        }
        let refreshHours = f.integer("refresh_hours", range: 1...168) ?? 12
        let cancelled = f.choice("cancelled_sessions", District.CancelledSessions.self) ?? .show
        var closing: [HolidayCalendar.Day] = []
        for (node, path) in f.list("closing_days") {
            guard let c = Fields(node, path: path, sink: sink, allowed: Self.closingDayFields),
                let dayName = c.string("name", required: true)
            else { continue }
            let given = ["date", "yearly", "easter"].filter { c.has($0) }
            guard given.count == 1 else {
                sink.error(
                    c.line, path,
                    "give exactly one of date (YYYY-MM-DD), yearly (MM-DD) or easter (days after Easter Sunday)")
                continue
            }
            switch given[0] {
            case "date":
                if let d = c.date("date") { closing.append(.init(name: dayName, rule: .once(d))) }
            case "yearly":
                let text = c.string("yearly") ?? ""
                if let d = CivilDate(iso: "2000-" + text) {
                    closing.append(.init(name: dayName, rule: .yearly(month: d.month, day: d.day)))
                } else {
                    sink.error(
                        c.lineOf("yearly"), c.field("yearly"),
                        "'\(text)' is not a day of the year; write MM-DD, e.g. 12-24")
                }
            default:
                if let offset = c.integer("easter", range: -100...100) {
                    closing.append(.init(name: dayName, rule: .easter(offset: offset)))
                }
            }
        }
        let attendance = f.flag("oparl_attendance") ?? false
        guard let name, let domain, let planUntil else { return nil }
        var district = District(
            name: name, uidDomain: domain, defaultTimeZone: timeZone, planUntil: planUntil,
            refreshMinutes: refreshHours * 60, holidays: HolidayCalendar(closingDays: closing),
            cancelledSessions: cancelled)
        district.publicAttendance = attendance
        return district
    }

    /// `local@domain.tld`, no spaces, at most 254 octets.
    static func isMailbox(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return text.utf8.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !text.contains { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," }
    }

    /// `offices.yaml`: the offices and partners, ids unique.
    func readOffices(diagnostics: inout [DefinitionDiagnostic]) -> [Office] {
        let sink = FileDiagnostics(file: display("offices.yaml"))
        defer { diagnostics += sink.items }
        guard FileManager.default.fileExists(atPath: display("offices.yaml")) else {
            sink.error(1, "file", "missing; list the offices in offices.yaml")
            return []
        }
        guard let root = parse("offices.yaml", sink: sink),
            let f = Fields(root, path: "", sink: sink, allowed: ["offices"])
        else { return [] }
        var offices: [Office] = []
        var seen: [String: Int] = [:]
        for (node, path) in f.list("offices", required: true) {
            guard let o = Fields(node, path: path, sink: sink, allowed: Self.officeFields) else { continue }
            let id = o.string("id", required: true)
            var isNew = false
            if let id {
                if !isIdentifier(id) {
                    sink.error(
                        o.lineOf("id"), o.field("id"), "'\(id)' is not an id; use lower-case letters, digits and '-'")
                } else if let line = seen[id] {
                    sink.error(o.lineOf("id"), o.field("id"), "duplicate office id '\(id)'; first used on line \(line)")
                } else {
                    seen[id] = o.lineOf("id")
                    isNew = true
                }
            }
            let name = o.string("name", required: true)
            let short = o.string("short", required: true)
            let administration = o.choice("administration", Office.Administration.self, required: true)
            let mailbox = o.string("mailbox")
            if let mailbox, !Self.isMailbox(mailbox) {
                sink.error(
                    o.lineOf("mailbox"), o.field("mailbox"),
                    "'\(mailbox)' is not an e-mail address (write it as amt56-gremien@kreis.example)")
            }
            guard isNew, let id, let name, let short, let administration else { continue }
            offices.append(
                Office(id: id, name: name, shortName: short, administration: administration, mailbox: mailbox))
        }
        return offices
    }
}

/// Ids go into UIDs, file names and URLs: lower-case ASCII letters, digits and inner hyphens.
func isIdentifier(_ text: String) -> Bool {
    guard let first = text.utf8.first, let last = text.utf8.last, first != UInt8(ascii: "-"),
        last != UInt8(ascii: "-"), text.utf8.count <= 64
    else { return false }
    return text.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "-") }
}
