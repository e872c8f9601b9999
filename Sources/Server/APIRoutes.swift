import Coordination
import Foundation
import Hummingbird
import Publishing
import Storage

/// The JSON API under `/api/v1` (described in `openapi.yaml`). Every route needs an API token;
/// writes need a coordinator of the body and the resource's ETag in `If-Match`.
func addAPIRoutes(_ table: RouteTable, _ state: ServerState) {
    let base = state.settings.publicURL
    table.add(.get, "/api/v1/offices") { request, _ in
        _ = try await state.apiToken(request)
        let (district, _) = try await state.planning()
        return try json(district.offices.map(OfficeJSON.init))
    }
    table.add(.get, "/api/v1/bodies") { request, _ in
        _ = try await state.apiToken(request)
        let (district, _) = try await state.planning()
        return try json(district.bodies.map { BodyJSON($0, baseURL: base) })
    }
    table.add(.get, "/api/v1/bodies/{id}") { request, context in
        _ = try await state.apiToken(request)
        let id = try validID(context.parameters.get("id") ?? "", "body")
        let (district, _) = try await state.planning()
        guard let body = district.body(id) else { throw APIError.notFound("there is no body \(id)") }
        return try json(BodyJSON(body, baseURL: base))
    }
    table.add(.get, "/api/v1/sessions") { request, _ in
        _ = try await state.apiToken(request)
        let q = request.uri.queryParameters
        let body = try q.get("body").map { try validID(String($0), "body") }
        let office = try q.get("office").map { try validID(String($0), "office") }
        let today = state.now().date
        let from = try q.get("from").map { try validDate(String($0), "from") } ?? today
        let to = try q.get("to").map { try validDate(String($0), "to") } ?? CivilDate(dayNumber: from.dayNumber + 56)
        guard from < to, to.dayNumber - from.dayNumber <= 3 * 366 else {
            throw APIError.badRequest(
                "invalid_period", "from must be before to, at most three years apart (to is exclusive)")
        }
        let (district, planner) = try await state.planning()
        if let body, district.body(body) == nil { throw APIError.notFound("there is no body \(body)") }
        if let office, district.office(office) == nil { throw APIError.notFound("there is no office \(office)") }
        // With an office: the sessions of the bodies it has a seat in on the session's day.
        let seated: (Session) -> Bool = { s in
            guard let office else { return true }
            return district.body(s.body)?.members(on: s.start.local.date).contains { $0.office == office } == true
        }
        let found = planner.keyedSessions(
            from: from, through: CivilDate(dayNumber: to.dayNumber - 1), bodies: body.map { [$0] })
        return try json(found.filter { seated($0.session) }.map { SessionJSON($0.session, key: $0.key) })
    }
    table.add(.get, "/api/v1/session-changes") { request, _ in
        _ = try await state.apiToken(request)
        let body = try request.uri.queryParameters.get("body").map { try validID(String($0), "body") }
        let changes = try await state.storeCall { () async throws(StorageError) in
            try await state.store.sessionChanges()
        }
        return try json(changes.filter { body == nil || $0.body == body }.map(SessionChangeJSON.init))
    }
    table.add(.post, "/api/v1/sessions/{body}/{date}/cancel") { request, context in
        let token = try await state.apiToken(request)
        let found = try await resolve(state, request, context)
        try state.requireWrite(token, body: found.body.id)
        struct Cancel: Decodable { var reason: String }
        let input = try await decode(Cancel.self, request, context)
        let reason = input.reason.trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else { throw APIError.unprocessable("reason must not be empty") }
        guard found.session.status != .cancelled else {
            throw APIError(.conflict, "already_cancelled", "\(found.key) is already cancelled")
        }
        guard found.session.uid == found.district.uid(body: found.body, series: found.series) else {
            throw APIError(.conflict, "added_session", "\(found.key) is an added session; it cannot be cancelled")
        }
        let change = SessionChange(
            body: found.body.id, series: found.series.id, exception: .cancel(date: found.key.date, reason: reason),
            time: state.now(), actor: actor(token))
        try await state.storeCall { () async throws(StorageError) in try await state.store.record(change) }
        try await state.feeds.refresh()
        return try json(SessionChangeJSON(change), status: .created)
    }
    table.add(.get, "/api/v1/sessions/{body}/{date}/attendance") { request, context in
        _ = try await state.apiToken(request)
        let found = try await resolve(state, request, context)
        let view = try await attendanceView(state, found)
        return try json(view, etag: etag(of: view.entries))
    }
    table.add(.put, "/api/v1/sessions/{body}/{date}/attendance") { request, context in
        let token = try await state.apiToken(request)
        let found = try await resolve(state, request, context)
        try state.requireWrite(token, body: found.body.id)
        let current = try await attendanceView(state, found)
        try checkIfMatch(request, etag(of: current.entries))
        struct Put: Decodable { var entries: [EntryJSON] }
        let input = try await decode(Put.self, request, context)
        try await recordAttendance(state, found, input.entries, actor: actor(token))
        let view = try await attendanceView(state, found)
        return try json(view, etag: etag(of: view.entries))
    }
    table.add(.get, "/api/v1/sessions/{body}/{date}/minutes") { request, context in
        _ = try await state.apiToken(request)
        let found = try await resolve(state, request, context)
        let stored = try await state.storeCall { () async throws(StorageError) in
            try await state.store.minutesState(of: found.key)
        }
        let view = MinutesJSON(found.key, stored)
        return try json(view, etag: etag(of: view))
    }
    table.add(.put, "/api/v1/sessions/{body}/{date}/minutes") { request, context in
        let token = try await state.apiToken(request)
        let found = try await resolve(state, request, context)
        try state.requireWrite(token, body: found.body.id)
        let key = found.key
        let stored = try await state.storeCall { () async throws(StorageError) in
            try await state.store.minutesState(of: key)
        }
        try checkIfMatch(request, etag(of: MinutesJSON(key, stored)))
        struct Put: Decodable {
            var status: String
            var reason: String?
        }
        let input = try await decode(Put.self, request, context)
        let isApproved = stored?.status == .approved
        let next: MinutesState
        switch input.status {
        case "approved":
            guard !isApproved else {
                throw APIError(.conflict, "already_approved", "the minutes of \(key) are approved")
            }
            next = MinutesState(session: key, status: .approved, time: state.now(), actor: actor(token))
        case "draft":
            guard isApproved else { throw APIError(.conflict, "not_approved", "the minutes of \(key) are a draft") }
            let reason = (input.reason ?? "").trimmingCharacters(in: .whitespaces)
            guard !reason.isEmpty else { throw APIError.unprocessable("reopening needs a reason") }
            next = MinutesState(session: key, status: .draft, time: state.now(), actor: actor(token), reason: reason)
        default:
            throw APIError.unprocessable("status must be approved or draft, not '\(input.status.prefix(32))'")
        }
        try await state.storeCall { () async throws(StorageError) in try await state.store.save(next) }
        let view = MinutesJSON(key, next)
        return try json(view, etag: etag(of: view))
    }
    table.add(.get, "/api/v1/tokens") { request, _ in
        let token = try await state.apiToken(request)
        try state.requireAdmin(token)
        let all = try await state.storeCall { () async throws(StorageError) in try await state.store.tokens() }
        return try json(all.map(TokenJSON.init))
    }
    table.add(.delete, "/api/v1/tokens/{id}") { request, context in
        let token = try await state.apiToken(request)
        try state.requireAdmin(token)
        let id = context.parameters.get("id") ?? ""
        guard id.hasPrefix("t-"), id.utf8.count == 12,
            id.utf8.dropFirst(2).allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        else { throw APIError.badRequest("invalid_id", "'\(id.prefix(32))' is not a token id (t- and 10 hex digits)") }
        let now = state.now()
        do {
            try await state.store.revokeToken(id: id, at: now, actor: actor(token))
        } catch let error as StorageError {
            if case .rejected(let reason) = error { throw APIError.notFound(reason) }
            throw APIError(.internalServerError, "store_error", error.description)
        }
        return Response(status: .noContent)
    }
}

/// Who wrote, for the change log and the event log: the token's person and its handle.
func actor(_ token: AccessToken) -> String { "\(token.person) (\(token.id))" }

func resolve(_ state: ServerState, _ request: Request, _ context: GremienContext) async throws -> ResolvedSession {
    try await state.session(
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

func attendanceView(_ state: ServerState, _ found: ResolvedSession) async throws -> AttendanceJSON {
    let key = found.key
    let (entries, minutes) = try await state.storeCall { () async throws(StorageError) in
        (try await state.store.attendance(of: key), try await state.store.minutesState(of: key))
    }
    let day = found.session.start.local.date
    let quorum = found.body.quorum(on: day, attendance: entries).map {
        AttendanceJSON.Quorum(
            rule: $0.rule.rawValue, votingMembers: $0.votingMembers, present: $0.present, required: $0.required,
            reached: $0.reached)
    }
    return AttendanceJSON(
        session: SessionJSON(found.session, key: key),
        expected: found.body.expectedOffices(on: day).map { .init(office: $0.office, role: $0.role.rawValue) },
        entries: entries.map(EntryJSON.init), quorum: Nullable(quorum), minutes: minutes?.status.rawValue ?? "draft")
}

/// Checks and records entries for a session, all or none (the API's PUT and the web form).
func recordAttendance(_ state: ServerState, _ found: ResolvedSession, _ input: [EntryJSON], actor: String) async throws
{
    let key = found.key
    guard found.session.status != .cancelled else {
        throw APIError(.conflict, "cancelled", "\(key) is cancelled; there is no attendance to record")
    }
    let (minutes, people) = try await state.storeCall { () async throws(StorageError) in
        (try await state.store.minutesState(of: key), try await state.store.people())
    }
    if minutes?.status == .approved {
        throw APIError(.conflict, "minutes_approved", "the minutes of \(key) are approved: reopen them first")
    }
    guard !input.isEmpty, input.count <= 500 else { throw APIError.unprocessable("send 1 to 500 entries") }
    let check = AttendanceCheck(body: found.body, people: people)
    let day = found.session.start.local.date
    var entries: [AttendanceEntry] = []
    var problems: [String] = []
    for (i, e) in input.enumerated() {
        guard let status = AttendanceEntry.Status(rawValue: e.status) else {
            problems.append(
                "entry \(i + 1): status '\(e.status.prefix(32))' is not present, excused, absent or represented")
            continue
        }
        let time: (String?) -> LocalDateTime? = { text in
            guard let text, let t = LocalDateTime(iso: "\(day)T\(text)") else { return nil }
            return t
        }
        if let a = e.arrival, time(a) == nil {
            problems.append("entry \(i + 1): arrival '\(a.prefix(16))' is not HH:MM")
        }
        if let d = e.departure, time(d) == nil {
            problems.append("entry \(i + 1): departure '\(d.prefix(16))' is not HH:MM")
        }
        let entry = AttendanceEntry(
            session: key, office: e.office, person: e.person.flatMap { $0.isEmpty ? nil : $0 }, status: status,
            deputy: e.deputy.flatMap { $0.isEmpty ? nil : $0 }, arrival: time(e.arrival), departure: time(e.departure))
        problems += check.problems(entry).map { "entry \(i + 1): \($0)" }
        entries.append(entry)
    }
    guard problems.isEmpty else { throw APIError.unprocessable(problems.joined(separator: "; ")) }
    let now = state.now()
    let checked = entries
    try await state.storeCall { () async throws(StorageError) in
        try await state.store.record(checked, at: now, actor: actor)
    }
}
