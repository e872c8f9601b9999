import Coordination
import Foundation
import Hummingbird
import Platform
import Publishing
import Storage
import Workflows

/// The JSON API under `/api/v1` (described in `openapi.yaml`). Every route needs an API token;
/// writes need a coordinator of the body and the resource's ETag in `If-Match`.
func addAPIRoutes(_ table: RouteTable, _ state: ServerState) {
    let base = state.settings.publicURL
    table.add(.get, "/api/v1/offices") { request, _ in
        _ = try await state.apiToken(request)
        let planning = try await state.run { try await state.workflows.planning() }
        return try json(planning.district.offices.map(OfficeJSON.init))
    }
    table.add(.get, "/api/v1/bodies") { request, _ in
        _ = try await state.apiToken(request)
        let planning = try await state.run { try await state.workflows.planning() }
        return try json(planning.district.bodies.map { BodyJSON($0, baseURL: base) })
    }
    table.add(.get, "/api/v1/bodies/{id}") { request, context in
        _ = try await state.apiToken(request)
        let id = try validID(context.parameters.get("id") ?? "", "body")
        let body = try await state.run { try await state.workflows.planning().body(id) }
        return try json(BodyJSON(body, baseURL: base))
    }
    table.add(.get, "/api/v1/sessions") { request, _ in
        _ = try await state.apiToken(request)
        let q = request.uri.queryParameters
        let body = try q.get("body").map { try validID(String($0), "body") }
        let office = try q.get("office").map { try validID(String($0), "office") }
        let (first, last) = try period(request, today: state.clock.now().date)
        let query = SessionQuery(from: first, to: last, bodies: body.map { [$0] } ?? [], office: office)
        let listing = try await state.run { try await state.workflows.sessions(query) }
        return try json(listing.sessions.map { SessionJSON($0.session, key: $0.key) })
    }
    table.add(.get, "/api/v1/session-changes") { request, _ in
        _ = try await state.apiToken(request)
        let body = try request.uri.queryParameters.get("body").map { try validID(String($0), "body") }
        let changes = try await state.run { try await state.workflows.sessionChanges(body: body) }
        return try json(changes.map(SessionChangeJSON.init))
    }
    table.add(.post, "/api/v1/sessions/{body}/{date}/cancel") { request, context in
        let principal = try await state.principal(request)
        let target = try target(state, request, context)
        _ = try await state.run { try await state.workflows.writableSession(target, by: principal) }
        struct Cancel: Decodable { var reason: String }
        let input = try await decode(Cancel.self, request, context)
        let change = try await state.run {
            try await state.workflows.cancel(target, reason: input.reason, by: principal)
        }
        try await state.feeds.refresh()
        return try json(SessionChangeJSON(change), status: .created)
    }
    table.add(.post, "/api/v1/sessions/{body}/{date}/move") { request, context in
        let principal = try await state.principal(request)
        let target = try target(state, request, context)
        _ = try await state.run { try await state.workflows.writableSession(target, by: principal) }
        struct Input: Decodable {
            var to: String
            var durationMinutes: Int?
            var location, reason: String?
            var confirm: Bool?
        }
        let input = try await decode(Input.self, request, context)
        guard let start = LocalDateTime(iso: input.to) else {
            throw APIError.badRequest("invalid_time", "to '\(input.to.prefix(32))' is not YYYY-MM-DDTHH:MM")
        }
        let move = Workflows.Move(
            to: start, durationMinutes: input.durationMinutes, location: input.location, reason: input.reason,
            confirmed: input.confirm ?? false)
        let (change, _) = try await state.run { try await state.workflows.move(target, move, by: principal) }
        try await state.feeds.refresh()
        return try json(SessionChangeJSON(change), status: .created)
    }
    for (path, verb) in [("reinstate", "reinstate"), ("remove", "remove")] {
        table.add(.post, "/api/v1/sessions/{body}/{date}/\(path)") { request, context in
            let principal = try await state.principal(request)
            let target = try target(state, request, context)
            _ = try await state.run { try await state.workflows.writableSession(target, by: principal) }
            struct Input: Decodable { var reason: String }
            let input = try await decode(Input.self, request, context)
            let change = try await state.run {
                verb == "reinstate"
                    ? try await state.workflows.reinstate(target, reason: input.reason, by: principal)
                    : try await state.workflows.remove(target, reason: input.reason, by: principal)
            }
            try await state.feeds.refresh()
            return try json(SessionChangeJSON(change), status: .created)
        }
    }
    table.add(.post, "/api/v1/sessions/{body}/{date}/ladung") { request, context in
        let principal = try await state.principal(request)
        let target = try target(state, request, context)
        let sent = try await state.run { try await state.workflows.sendLadung(target, by: principal) }
        struct Output: Encodable {
            var body, series, date, due, queued, actor: String
            var recipients: Int
            var late: Bool
        }
        return try json(
            Output(
                body: sent.session.body, series: sent.session.series, date: sent.session.date.description,
                due: sent.due.description, queued: sent.queued.description + "Z", actor: sent.actor,
                recipients: sent.recipients, late: sent.late), status: .created)
    }
    table.add(.post, "/api/v1/bodies/{id}/sessions") { request, context in
        let principal = try await state.principal(request)
        let id = try validID(context.parameters.get("id") ?? "", "body")
        struct Input: Decodable {
            var start: String
            var durationMinutes: Int?
            var kind, title, location, series: String?
            var confirm: Bool?
        }
        let input = try await decode(Input.self, request, context)
        guard let start = LocalDateTime(iso: input.start) else {
            throw APIError.badRequest("invalid_time", "start '\(input.start.prefix(32))' is not YYYY-MM-DDTHH:MM")
        }
        var kind: Series.MeetingKind?
        if let given = input.kind {
            guard let k = Series.MeetingKind(rawValue: given) else {
                let allowed = Series.MeetingKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError.unprocessable("kind '\(given.prefix(32))' is not allowed; allowed: \(allowed)")
            }
            kind = k
        }
        let addition = Workflows.Addition(
            body: id, start: start, durationMinutes: input.durationMinutes, kind: kind, title: input.title,
            location: input.location, series: input.series, confirmed: input.confirm ?? false)
        let change = try await state.run { try await state.workflows.add(addition, by: principal) }
        try await state.feeds.refresh()
        return try json(SessionChangeJSON(change), status: .created)
    }
    table.add(.get, "/api/v1/seats") { request, _ in
        let principal = try await state.principal(request)
        let body = try request.uri.queryParameters.get("body").map { try validID(String($0), "body") }
        let seats = try await state.run { try await state.workflows.seats(body: body, by: principal) }
        return try json(seats.map(SeatJSON.init))
    }
    table.add(.post, "/api/v1/bodies/{id}/seats") { request, context in
        let principal = try await state.principal(request)
        let id = try validID(context.parameters.get("id") ?? "", "body")
        struct Input: Decodable {
            var office, person: String
            var deputy: Bool?
            var from, until: String?
        }
        let input = try await decode(Input.self, request, context)
        let seat = try await state.run {
            try await state.workflows.assignSeat(
                SeatRequest(
                    body: id, office: input.office, person: input.person, deputy: input.deputy ?? false,
                    from: try input.from.map { try validDate($0, "from") },
                    until: try input.until.map { try validDate($0, "until") }), by: principal)
        }
        try await state.feeds.refresh()
        let listed = try await state.run { try await state.workflows.seats(body: id, by: principal) }
        return try json(
            SeatJSON(listed.first { $0.seat.id == seat.id } ?? SeatListing(seat: seat, person: nil, bodyName: id)),
            status: .created)
    }
    table.add(.post, "/api/v1/seats/{id}/end") { request, context in
        let principal = try await state.principal(request)
        guard let id = Int(context.parameters.get("id") ?? "") else {
            throw APIError.badRequest("invalid_id", "a seat's id is a number")
        }
        struct Input: Decodable { var on: String? }
        let input = try await decode(Input.self, request, context)
        let day = try input.on.map { try validDate($0, "on") }
        let seat = try await state.run { try await state.workflows.endSeat(id, on: day, by: principal) }
        try await state.feeds.refresh()
        return try json(SeatJSON(SeatListing(seat: seat, person: nil, bodyName: seat.body)))
    }
    table.add(.get, "/api/v1/conflicts") { request, _ in
        _ = try await state.apiToken(request)
        let (first, last) = try period(request, today: state.clock.now().date)
        let planning = try await state.run { try await state.workflows.planning() }
        return try json(
            Workflows.conflicts(in: planning, from: first, to: last).map {
                ConflictJSON($0, district: planning.district)
            })
    }
    table.add(.get, "/api/v1/sessions/{body}/{date}/attendance") { request, context in
        _ = try await state.apiToken(request)
        let target = try target(state, request, context)
        let view = AttendanceJSON(try await state.run { try await state.workflows.attendance(of: target) })
        return try json(view, etag: etag(of: view.entries))
    }
    table.add(.put, "/api/v1/sessions/{body}/{date}/attendance") { request, context in
        let principal = try await state.principal(request)
        let target = try target(state, request, context)
        _ = try await state.run { try await state.workflows.writableSession(target, by: principal) }
        let sheet = try await state.run { try await state.workflows.attendance(of: target) }
        try checkIfMatch(request, etag(of: AttendanceJSON(sheet).entries))
        struct Put: Decodable { var entries: [EntryJSON] }
        let input = try await decode(Put.self, request, context)
        guard input.entries.count <= 500 else { throw APIError.unprocessable("send 1 to 500 entries") }
        let lines = input.entries.enumerated().map { i, e in e.line(label: "entry \(i + 1)", target: target) }
        // What the ETag named must still be what is stored when the write happens.
        _ = try await state.run {
            try await state.workflows.recordAttendance(lines, by: principal, read: .exactly(sheet.entries))
        }
        let view = AttendanceJSON(try await state.run { try await state.workflows.attendance(of: target) })
        return try json(view, etag: etag(of: view.entries))
    }
    table.add(.get, "/api/v1/sessions/{body}/{date}/minutes") { request, context in
        _ = try await state.apiToken(request)
        let target = try target(state, request, context)
        let (found, stored) = try await state.run { try await state.workflows.minutesState(target) }
        let view = MinutesJSON(found.key, stored)
        return try json(view, etag: etag(of: view))
    }
    table.add(.put, "/api/v1/sessions/{body}/{date}/minutes") { request, context in
        let principal = try await state.principal(request)
        let target = try target(state, request, context)
        _ = try await state.run { try await state.workflows.writableSession(target, by: principal) }
        let (found, stored) = try await state.run { try await state.workflows.minutesState(target) }
        try checkIfMatch(request, etag(of: MinutesJSON(found.key, stored)))
        struct Put: Decodable {
            var status: String
            var reason: String?
        }
        let input = try await decode(Put.self, request, context)
        let next: MinutesState
        switch input.status {
        case "approved":
            next = try await state.run {
                try await state.workflows.approveMinutes(target, by: principal, read: .exactly(stored))
            }
        case "draft":
            next = try await state.run {
                try await state.workflows.reopenMinutes(
                    target, reason: input.reason ?? "", by: principal, read: .exactly(stored))
            }
        default:
            throw APIError.unprocessable("status must be approved or draft, not '\(input.status.prefix(32))'")
        }
        let view = MinutesJSON(found.key, next)
        return try json(view, etag: etag(of: view))
    }
    table.add(.get, "/api/v1/sessions/{body}/{date}/minutes/content") { request, context in
        _ = try await state.apiToken(request)
        let target = try target(state, request, context)
        let record = try await state.run {
            try await state.workflows.minutesRecord(target)
        }
        let view = MinutesContentJSON(record)
        return try json(view, etag: "\"r\(record.revision)\"")
    }
    table.add(.patch, "/api/v1/sessions/{body}/{date}/minutes/content") { request, context in
        let principal = try await state.principal(request)
        let target = try target(state, request, context)
        let current = try await state.run {
            try await state.workflows.minutesRecord(target)
        }
        try checkIfMatch(request, "\"r\(current.revision)\"")
        let input = try await decode(MinutesContentJSON.self, request, context)
        guard (input.items ?? []).count <= 200 else { throw APIError.unprocessable("send at most 200 items") }
        let edits = input.edits(current: current)
        guard !edits.isEmpty else {
            throw APIError.unprocessable("nothing to change: give began, ended, minuteTaker or items")
        }
        let record = try await state.run {
            try await state.workflows.editMinutes(
                target, .batch(edits), revision: input.revision ?? current.revision, by: principal)
        }
        return try json(MinutesContentJSON(record), etag: "\"r\(record.revision)\"")
    }
    table.add(.post, "/api/v1/sessions/{body}/{date}/minutes/content/items/{id}/votes") { request, context in
        let principal = try await state.principal(request)
        let target = try target(state, request, context)
        guard let id = Int(context.parameters.get("id") ?? "") else {
            throw APIError.unprocessable("the item id is a number")
        }
        let input = try await decode(MinutesContentJSON.Vote.self, request, context)
        let vote = MinutesRecord.Vote(
            subject: input.subject, yes: input.yes, no: input.no, abstentions: input.abstentions,
            quorumHeld: input.quorumHeld)
        let record = try await state.run {
            try await state.workflows.editMinutes(target, .addVote(item: id, vote), by: principal)
        }
        return try json(MinutesContentJSON(record), status: .created, etag: "\"r\(record.revision)\"")
    }
    table.add(.get, "/api/v1/sessions/{body}/{date}/minutes/versions") { request, context in
        _ = try await state.apiToken(request)
        let target = try target(state, request, context)
        let (_, versions) = try await state.run { try await state.workflows.minutesVersions(target) }
        return try json(versions.map(MinutesVersionJSON.init))
    }
    table.add(.get, "/api/v1/sessions/{body}/{date}/minutes/versions/{number}") { request, context in
        let principal = try await state.principal(request)
        let target = try target(state, request, context)
        guard let number = Int(context.parameters.get("number") ?? "") else {
            throw APIError.unprocessable("the version is a number")
        }
        let format = request.uri.queryParameters.get("format") ?? "md"
        guard let kind = MinutesRenderer.Format(rawValue: format) else {
            throw APIError.unprocessable("format must be md, html or odt")
        }
        let (found, view) = try await state.run {
            try await state.workflows.readableMinutes(target, version: number, by: principal)
        }
        return try await minutesDocument(
            state, view, kind, name: "niederschrift-\(found.key.body)-\(found.key.date)-fassung-\(number)")
    }
    table.add(.get, "/api/v1/tokens") { request, _ in
        let principal = try await state.principal(request)
        let all = try await state.run { try await state.workflows.tokens(by: principal) }
        return try json(all.map(TokenJSON.init))
    }
    table.add(.delete, "/api/v1/tokens/{id}") { request, context in
        let principal = try await state.principal(request)
        let id = context.parameters.get("id") ?? ""
        guard id.hasPrefix("t-"), id.utf8.count == 12,
            id.utf8.dropFirst(2).allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        else { throw APIError.badRequest("invalid_id", "'\(id.prefix(32))' is not a token id (t- and 10 hex digits)") }
        try await state.run { try await state.workflows.revokeToken(id, by: principal) }
        return Response(status: .noContent)
    }
}

/// The period of `from` and `to` (exclusive) in a query: by default eight weeks from `today`, at
/// most three years at once (a bound on the request, as for its size).
func period(_ request: Request, today: CivilDate) throws -> (CivilDate, CivilDate) {
    let q = request.uri.queryParameters
    let first = try q.get("from").map { try validDate(String($0), "from") } ?? today
    let last = try q.get("to").map { try validDate(String($0), "to") } ?? CivilDate(dayNumber: first.dayNumber + 56)
    guard first < last, last.dayNumber - first.dayNumber <= 3 * 366 else {
        throw APIError.badRequest(
            "invalid_period", "from must be before to, at most three years apart (to is exclusive)")
    }
    return (first, last)
}

/// The session a route's path (`{body}/{date}`, `?series=`) names.
func target(_ state: ServerState, _ request: Request, _ context: GremienContext) throws -> SessionTarget {
    try state.target(
        body: context.parameters.get("body") ?? "", date: context.parameters.get("date") ?? "",
        series: request.uri.queryParameters.get("series").map { String($0) })
}

/// The request body as JSON of `type` (at most 64 KiB: 413 beyond).
func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: GremienContext) async throws -> T {
    var request = request
    let buffer = try await request.collectBody(upTo: context.maxUploadSize)
    do {
        return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
    } catch {
        throw APIError.badRequest("invalid_json", "the request body is not the JSON this route takes: \(error)")
    }
}

/// 428 without `If-Match`, 412 when it does not name the current version.
func checkIfMatch(_ request: Request, _ current: String) throws {
    guard let given = request.headers[.ifMatch] else {
        throw APIError(.preconditionRequired, "if_match_required", "send the ETag you read in If-Match")
    }
    let tags = given.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    guard tags.contains(current) || tags.contains("*") else {
        throw APIError(
            .preconditionFailed, "stale", "the resource changed since you read it (now \(current)); read it again")
    }
}

/// The session a route's path names, resolved in the store's district (404 when there is none).
func resolve(_ state: ServerState, _ request: Request, _ context: GremienContext) async throws -> ResolvedSession {
    let target = try target(state, request, context)
    return try await state.run { try await state.workflows.session(target) }
}
