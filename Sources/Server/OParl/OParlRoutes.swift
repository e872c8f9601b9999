import Coordination
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Platform
import Publishing
import Workflows

/// OParl 1.1 (https://oparl.org/spezifikation/): the public bodies as Organizations of the
/// district's Body, their sessions as Meetings with the public agenda items and the approved
/// minutes (without any person's name) as Files, the offices sitting in them as Person and
/// Membership. Ids are the canonical URLs; lists are paginated and take the filters
/// `created_since`, `created_until`, `modified_since`, `modified_until` and `omit_internal`;
/// objects withdrawn stay as `deleted: true`, listed only with `modified_since`. Every answer
/// carries `Access-Control-Allow-Origin: *`; errors are OParl Error objects.
func addOParlRoutes(_ table: RouteTable, _ state: ServerState) {
    let root = "/oparl/v1.1"
    func route(_ path: String, _ make: @escaping @Sendable (OParl, Request, GremienContext) throws -> Any) {
        table.add(.get, root + path) { request, context in
            do {
                // Read again once the store has moved on (an approval moves no feed, but OParl shows it).
                let head = state.feeds.published.get().head
                let records = try await state.oparl.value(for: head) {
                    try await state.run { try await state.workflows.publicRecords() }
                }
                let oparl = OParl(base: state.settings.publicURL + root, records: records)
                return try OParl.response(make(oparl, request, context))
            } catch let error as OParl.Failure {
                return OParl.error(error.status, error.message)
            } catch let error as APIError {
                return OParl.error(error.status, error.message)
            }
        }
    }
    route("") { o, _, _ in o.system }
    route("/body") { o, r, _ in try o.list([o.body], r, path: "/body") }
    route("/body/{id}") { o, _, c in
        guard c.parameters.get("id") == OParl.bodyID else { throw OParl.Failure.notFound }
        return o.body
    }
    route("/body/{id}/{list}") { o, r, c in
        guard c.parameters.get("id") == OParl.bodyID else { throw OParl.Failure.notFound }
        let list = c.parameters.get("list") ?? ""
        let path = "/body/\(OParl.bodyID)/\(list)"
        switch list {
        case "organization": return try o.list(o.organizations, r, path: path)
        case "meeting": return try o.list(o.meetings(), r, path: path)
        case "person": return try o.list(o.people, r, path: path)
        case "membership": return try o.list(o.memberships, r, path: path)
        case "agendaItem": return try o.list(o.agendaItems, r, path: path)
        case "file": return try o.list(o.files, r, path: path)
        case "location": return try o.list(o.locations, r, path: path)
        case "paper", "legislativeTerm", "consultation": return try o.list([], r, path: path)
        default: throw OParl.Failure.notFound
        }
    }
    route("/organization/{id}") { o, _, c in
        try o.find(o.organizations, "/organization/\(c.parameters.get("id") ?? "")")
    }
    route("/organization/{id}/meeting") { o, r, c in
        let id = c.parameters.get("id") ?? ""
        _ = try o.find(o.organizations, "/organization/\(id)")
        return try o.list(o.meetings(of: id), r, path: "/organization/\(id)/meeting")
    }
    route("/meeting/{body}/{series}/{date}") { o, _, c in try o.find(o.meetings(), o.path(c, 3, "/meeting")) }
    route("/agendaItem/{body}/{series}/{date}/{number}") { o, _, c in
        try o.find(o.agendaItems, o.path(c, 4, "/agendaItem"))
    }
    route("/file/{body}/{series}/{date}/{version}") { o, _, c in try o.find(o.files, o.path(c, 4, "/file")) }
    route("/person/{id}") { o, _, c in try o.find(o.people, "/person/\(c.parameters.get("id") ?? "")") }
    route("/membership/{body}/{office}") { o, _, c in
        try o.find(o.memberships, "/membership/\(c.parameters.get("body") ?? "")/\(c.parameters.get("office") ?? "")")
    }
    route("/location/{id}") { o, _, c in try o.find(o.locations, "/location/\(c.parameters.get("id") ?? "")") }
    // The approved minutes themselves (the File's accessUrl): HTML without any person's name.
    table.add(.get, root + "/file/{body}/{series}/{date}/{version}/download") { request, context in
        do {
            guard let body = context.parameters.get("body"), let series = context.parameters.get("series"),
                let date = CivilDate(iso: context.parameters.get("date") ?? ""),
                let version = Int(context.parameters.get("version") ?? "")
            else { throw OParl.Failure.notFound }
            let view = try await state.run {
                try await state.workflows.publicMinutes(
                    SessionTarget(body: body, date: date, series: series), version: version)
            }
            var response = try await minutesDocument(
                state, view, .html, name: "niederschrift-\(body)-\(date)-fassung-\(version)")
            response.headers[.accessControlAllowOrigin] = "*"
            return response
        } catch let error as OParl.Failure {
            return OParl.error(error.status, error.message)
        } catch let error as APIError {
            return OParl.error(error.status, error.message)
        }
    }
}

/// The objects of one reading of the records, by canonical URL.
struct OParl {
    static let bodyID = "kreis"
    static let type = "https://schema.oparl.org/1.1/"
    static let pageSize = 50

    struct Failure: Error {
        var status: HTTPResponse.Status
        var message: String
        static let notFound = Failure(status: .notFound, message: "no such object")
    }

    let base: String
    let records: Workflows.PublicRecords
    /// Per place: from the first to the latest change of a meeting held there. A meeting shows
    /// its place with these times and counts as changed when they change.
    let places: [String: Workflows.Stamp]

    init(base: String, records: Workflows.PublicRecords) {
        self.base = base
        self.records = records
        var places: [String: Workflows.Stamp] = [:]
        for m in records.meetings {
            guard let place = m.session?.location else { continue }
            if var s = places[place] {
                if m.stamp.created < s.created { s.created = m.stamp.created }
                s.raise(m.stamp.modified)
                places[place] = s
            } else {
                places[place] = m.stamp
            }
        }
        self.places = places
    }

    var bodyURL: String { "\(base)/body/\(Self.bodyID)" }

    func time(_ t: LocalDateTime) -> String { t.description + "Z" }

    func stamped(_ object: [String: Any], _ stamp: Workflows.Stamp, deleted: Bool = false) -> [String: Any] {
        var o = object
        o["created"] = time(stamp.created)
        o["modified"] = time(stamp.modified)
        if deleted {
            // A withdrawn object: what identifies it, and that it is gone.
            o = [
                "id": o["id"] ?? "", "type": o["type"] ?? "", "created": o["created"] ?? "",
                "modified": o["modified"] ?? "", "deleted": true,
            ]
        } else {
            o["deleted"] = false
        }
        return o
    }

    var system: [String: Any] {
        stamped(
            [
                "id": base, "type": Self.type + "System", "oparlVersion": "https://schema.oparl.org/1.1/",
                "body": "\(base)/body", "name": "Gremien – \(records.districtName)", "product": "Gremien",
                "vendor": "Gremien", "website": base,
            ], records.stamp)
    }

    var body: [String: Any] {
        let lists = ["organization", "person", "meeting", "paper", "agendaItem", "file", "membership"]
        var o: [String: Any] = [
            "id": bodyURL, "type": Self.type + "Body", "system": base, "name": records.districtName,
            "legislativeTerm": [Any](), "locationList": "\(bodyURL)/location",
            "legislativeTermList": "\(bodyURL)/legislativeTerm", "classification": "Kreis",
        ]
        for l in lists { o[l] = "\(bodyURL)/\(l)" }
        return stamped(o, records.stamp)
    }

    var organizations: [[String: Any]] {
        records.bodies.map { b in
            var o: [String: Any] = [
                "id": "\(base)/organization/\(b.body.id)", "type": Self.type + "Organization", "body": bodyURL,
                "name": b.body.name, "organizationType": "Gremium", "classification": b.body.kind.rawValue,
                "meeting": "\(base)/organization/\(b.body.id)/meeting",
                "membership": b.body.members.map { "\(base)/membership/\(b.body.id)/\($0.office)" },
            ]
            if let from = b.body.validFrom { o["startDate"] = from.description }
            if let until = b.body.validUntil { o["endDate"] = until.description }
            if b.body.quorum != nil {
                o["votingMemberCount"] = b.body.members.filter { $0.role == .chair || $0.role == .member }.count
            }
            return stamped(o, b.stamp, deleted: b.deleted)
        }
    }

    /// The offices as OParl Persons (never a member of staff), their memberships embedded.
    var people: [[String: Any]] {
        let all = memberships
        return records.offices.map { p in
            stamped(
                [
                    "id": "\(base)/person/\(p.office.id)", "type": Self.type + "Person", "body": bodyURL,
                    "name": p.office.name,
                    "membership": all.filter {
                        ($0["id"] as? String)?.hasSuffix("/\(p.office.id)") == true && ($0["deleted"] as? Bool) != true
                    },
                ], p.stamp, deleted: p.deleted)
        }
    }

    var memberships: [[String: Any]] {
        records.bodies.flatMap { b in
            b.body.members.map { m in
                var o: [String: Any] = [
                    "id": "\(base)/membership/\(b.body.id)/\(m.office)", "type": Self.type + "Membership",
                    "person": "\(base)/person/\(m.office)", "organization": "\(base)/organization/\(b.body.id)",
                    "role": Self.role(m.role), "votingRight": m.role == .chair || m.role == .member,
                ]
                if let from = m.validFrom { o["startDate"] = from.description }
                if let until = m.validUntil { o["endDate"] = until.description }
                return stamped(o, b.stamp, deleted: b.deleted)
            }
        }
    }

    static func role(_ role: Membership.Role) -> String {
        switch role {
        case .chair: "Vorsitz"
        case .member: "Mitglied"
        case .advisory: "beratendes Mitglied"
        case .guest: "Gast"
        }
    }

    func meetingURL(_ key: SessionKey) -> String { "\(base)/meeting/\(key.body)/\(key.series)/\(key.date)" }

    static func locationID(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    func location(_ text: String, _ stamp: Workflows.Stamp) -> [String: Any] {
        stamped(
            ["id": "\(base)/location/\(Self.locationID(text))", "type": Self.type + "Location", "description": text],
            stamp)
    }

    func agendaItems(of m: Workflows.PublicMeeting) -> [[String: Any]] {
        m.items.map { item in
            stamped(
                [
                    "id":
                        "\(meetingURL(m.key).replacingOccurrences(of: "/meeting/", with: "/agendaItem/"))/\(item.number)",
                    "type": Self.type + "AgendaItem", "meeting": meetingURL(m.key), "number": "\(item.number)",
                    "order": item.number, "name": item.text, "public": true,
                ], m.stamp, deleted: m.deleted)
        }
    }

    func file(of m: Workflows.PublicMeeting) -> [String: Any]? {
        guard let approved = m.approved else { return nil }
        let id = "\(meetingURL(m.key).replacingOccurrences(of: "/meeting/", with: "/file/"))/\(approved.version)"
        return stamped(
            [
                "id": id, "type": Self.type + "File", "name": "Niederschrift (Fassung \(approved.version))",
                "fileName": "niederschrift-\(m.key.body)-\(m.key.date)-fassung-\(approved.version).html",
                "mimeType": "text/html", "date": approved.time.date.description, "accessUrl": id + "/download",
                "downloadUrl": id + "/download", "meeting": [meetingURL(m.key)],
            ], m.stamp, deleted: m.deleted)
    }

    func meetings(of body: String? = nil) -> [[String: Any]] {
        records.meetings.filter { body == nil || $0.key.body == body }.map { m in
            guard let s = m.session, !m.deleted else {
                return stamped(["id": meetingURL(m.key), "type": Self.type + "Meeting"], m.stamp, deleted: true)
            }
            var o: [String: Any] = [
                "id": meetingURL(m.key), "type": Self.type + "Meeting", "name": s.title,
                "meetingState": s.status == .cancelled
                    ? "abgesagt" : (m.approved != nil ? "durchgeführt" : "terminiert"),
                "cancelled": s.status == .cancelled, "start": s.start.iso8601, "end": s.end.iso8601,
                "organization": ["\(base)/organization/\(m.key.body)"], "agendaItem": agendaItems(of: m),
            ]
            var stamp = m.stamp
            if let place = s.location, let at = places[place] {
                o["location"] = location(place, at)
                stamp.raise(at.modified)
            }
            if let file = file(of: m) { o["resultsProtocol"] = file }
            if !m.attendance.isEmpty {
                // Vendor extension, only where the district publishes it: per office, no person.
                o["gremien:attendance"] = m.attendance.map { a in
                    ["person": "\(base)/person/\(a.office)", "status": a.status.german] as [String: Any]
                }
            }
            return stamped(o, stamp)
        }
    }

    /// The agenda items of every meeting (of a withdrawn one: withdrawn too).
    var agendaItems: [[String: Any]] { records.meetings.flatMap(agendaItems(of:)) }

    var files: [[String: Any]] { records.meetings.compactMap(file(of:)) }

    /// The places of the meetings; one used only by withdrawn meetings is withdrawn.
    var locations: [[String: Any]] {
        let live = Set(records.meetings.filter { !$0.deleted }.compactMap { $0.session?.location })
        return places.keys.sorted().map { text in
            let stamp = places[text] ?? records.stamp
            return stamped(location(text, stamp), stamp, deleted: !live.contains(text))
        }
    }

    func path(_ c: GremienContext, _ count: Int, _ kind: String) -> String {
        let names = ["body", "series", "date", count == 4 ? (kind == "/file" ? "version" : "number") : ""]
        return kind + "/" + names.prefix(count).map { c.parameters.get($0) ?? "" }.joined(separator: "/")
    }

    func find(_ objects: [[String: Any]], _ path: String) throws -> [String: Any] {
        guard let o = objects.first(where: { ($0["id"] as? String) == base + path }) else { throw Failure.notFound }
        return o
    }

    /// A page of an external list, filtered: `data`, `pagination`, `links`.
    func list(_ objects: [[String: Any]], _ request: Request, path: String) throws -> [String: Any] {
        let q = request.uri.queryParameters
        func instant(_ name: String) throws -> String? {
            guard let raw = q.get(name) else { return nil }
            // An unencoded `+` in the offset arrives as a space (a known consumer sends it so).
            let text = raw.replacingOccurrences(of: " ", with: "+")
            guard let utc = Self.utc(text) else {
                throw Failure(
                    status: .badRequest,
                    message: "\(name) '\(text.prefix(40))' is not a date-time like 2026-12-01T10:00:00+01:00")
            }
            return utc
        }
        let createdSince = try instant("created_since")
        let createdUntil = try instant("created_until")
        let modifiedSince = try instant("modified_since")
        let modifiedUntil = try instant("modified_until")
        let omitInternal = q.get("omit_internal") == "true"
        var page = 1
        if let given = q.get("page") {
            guard let n = Int(given), n >= 1 else {
                throw Failure(status: .badRequest, message: "page '\(given.prefix(20))' is not a number from 1")
            }
            page = n
        }
        let filtered = objects.filter { o in
            let created = o["created"] as? String ?? ""
            let modified = o["modified"] as? String ?? ""
            if (o["deleted"] as? Bool) == true && modifiedSince == nil { return false }
            if let v = createdSince, created < v { return false }
            if let v = createdUntil, created > v { return false }
            if let v = modifiedSince, modified < v { return false }
            if let v = modifiedUntil, modified > v { return false }
            return true
        }
        let pages = max(1, (filtered.count + Self.pageSize - 1) / Self.pageSize)
        guard page <= pages else { throw Failure(status: .notFound, message: "there are \(pages) pages") }
        var data = Array(filtered.dropFirst((page - 1) * Self.pageSize).prefix(Self.pageSize))
        if omitInternal {
            data = data.map { o in
                var o = o
                for key in ["agendaItem", "location", "resultsProtocol"] where !(o[key] is String) { o[key] = nil }
                return o
            }
        }
        var query: [String] = []
        for name in ["created_since", "created_until", "modified_since", "modified_until", "omit_internal"] {
            if let v = q.get(name) {
                let text = name.hasSuffix("internal") ? v : v.replacingOccurrences(of: " ", with: "+")
                query.append("\(name)=\(text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
            }
        }
        func link(_ n: Int) -> String { "\(base)\(path)?" + (query + ["page=\(n)"]).joined(separator: "&") }
        var links: [String: Any] = ["first": link(1), "last": link(pages), "self": link(page)]
        if page > 1 { links["prev"] = link(page - 1) }
        if page < pages { links["next"] = link(page + 1) }
        return [
            "data": data,
            "pagination": [
                "totalElements": filtered.count, "elementsPerPage": Self.pageSize, "currentPage": page,
                "totalPages": pages,
            ],
            "links": links,
        ]
    }

    /// `2026-12-01T10:00:00+01:00`, `…Z` or without seconds → `2026-12-01T09:00:00Z`, which
    /// compares as text with the objects' times.
    static func utc(_ text: String) -> String? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var date = formatter.date(from: text)
        if date == nil {
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            date = formatter.date(from: text)
        }
        guard let date else { return nil }
        return LocalDateTime(localSeconds: Int64(date.timeIntervalSince1970.rounded(.down))).description + "Z"
    }

    static func response(_ value: Any) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .accessControlAllowOrigin: "*"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An OParl Error object.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let object: [String: Any] = ["type": Self.type + "Error", "message": message, "debug": "HTTP \(status.code)"]
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .accessControlAllowOrigin: "*"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
