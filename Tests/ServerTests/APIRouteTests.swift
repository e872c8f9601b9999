import Coordination
import Foundation
import GremienTestSupport
import Hummingbird
import HummingbirdTesting
import Server
import Storage
import Testing

/// The JSON API on both stores: every route with its statuses, roles, optimistic concurrency,
/// limits; the written records read back from the store.
@Suite struct APIRouteTests {
    static func body(_ object: Any) -> ByteBuffer {
        ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    @Test(arguments: ServerFixture.Kind.allCases)
    func readRoutes(kind: ServerFixture.Kind) async throws {
        let f = try await ServerFixture(kind)
        defer { f.remove() }
        let auditor = f.bearer("auditor")
        try await f.test { client in
            let offices = try await client.execute(uri: "/api/v1/offices", method: .get, headers: auditor)
            #expect(offices.status == .ok)
            #expect((offices.json as? [[String: Any]])?.map { $0["id"] as? String } == ["aa", "ja-k", "jc"])
            let bodies = try await client.execute(uri: "/api/v1/bodies", method: .get, headers: auditor)
            #expect((bodies.json as? [[String: Any]])?.map { $0["id"] as? String } == ["beirat", "runde"])
            let beirat = try await client.execute(uri: "/api/v1/bodies/beirat", method: .get, headers: auditor)
            #expect(
                (beirat.json as? [String: Any])?["feed"] as? String == "http://127.0.0.1:8080/feeds/bodies/beirat.ics")
            #expect(
                try await client.execute(uri: "/api/v1/bodies/nope", method: .get, headers: auditor).status == .notFound
            )
            let bad = try await client.execute(uri: "/api/v1/bodies/Bad%20Id", method: .get, headers: auditor)
            #expect(bad.status == .badRequest && bad.errorCode == "invalid_id")
            // Sessions of March 2026 of the Runde: 02, 09 (cancelled), 16 moved to 18, 23, 25 (added), 30.
            let march = try await client.execute(
                uri: "/api/v1/sessions?body=runde&from=2026-03-01&to=2026-04-01", method: .get, headers: auditor)
            let list = try #require(march.json as? [[String: Any]])
            #expect(
                list.map { "\($0["date"] ?? "") \($0["status"] ?? "")" } == [
                    "2026-03-02 scheduled", "2026-03-09 cancelled", "2026-03-16 moved", "2026-03-23 scheduled",
                    "2026-03-25 scheduled", "2026-03-30 scheduled",
                ])
            let aa = try await client.execute(
                uri: "/api/v1/sessions?office=aa&from=2026-01-01&to=2027-01-01", method: .get, headers: auditor)
            // aa sits only in the beirat: its four sessions of 2026 (1 January and 1 May fall on
            // holidays and are listed as cancelled), nothing of the runde.
            let aaSessions = try #require(aa.json as? [[String: Any]])
            #expect(
                aaSessions.map { "\($0["body"] ?? "") \($0["date"] ?? "")" } == [
                    "beirat 2026-01-01", "beirat 2026-05-01", "beirat 2026-06-12", "beirat 2026-09-01",
                ])
            let badDate = try await client.execute(
                uri: "/api/v1/sessions?from=2026-13-01", method: .get, headers: auditor)
            #expect(badDate.status == .badRequest && badDate.errorCode == "invalid_date")
            let badPeriod = try await client.execute(
                uri: "/api/v1/sessions?from=2026-03-01&to=2026-02-01", method: .get, headers: auditor)
            #expect(badPeriod.status == .badRequest)
            let noOffice = try await client.execute(uri: "/api/v1/sessions?office=zz", method: .get, headers: auditor)
            #expect(noOffice.status == .notFound)
            let changes = try await client.execute(uri: "/api/v1/session-changes", method: .get, headers: auditor)
            #expect((changes.json as? [Any])?.isEmpty == true)
            let noSession = try await client.execute(
                uri: "/api/v1/sessions/runde/2026-03-03/attendance", method: .get, headers: auditor)
            #expect(noSession.status == .notFound && noSession.text.contains("nearest: 2026-03-02, 2026-03-09"))
            let unknown = try await client.execute(uri: "/api/v1/nothing", method: .get, headers: auditor)
            #expect(unknown.status == .notFound && unknown.errorCode == "not_found")
        }
    }

    @Test(arguments: ServerFixture.Kind.allCases)
    func attendanceWithIfMatchRolesAndLimits(kind: ServerFixture.Kind) async throws {
        let f = try await ServerFixture(kind)
        defer { f.remove() }
        let coordinator = f.bearer("coordinatorRunde")
        let uri = "/api/v1/sessions/runde/2026-03-02/attendance"
        try await f.test { client in
            let read = try await client.execute(uri: uri, method: .get, headers: coordinator)
            #expect(read.status == .ok)
            let etag = try #require(read.headers[.eTag])
            #expect(
                ((read.json as? [String: Any])?["expected"] as? [[String: Any]])?.map { $0["office"] as? String } == [
                    "jc", "ja-k",
                ])
            let entries: [String: Any] = [
                "entries": [
                    ["office": "jc", "person": "Anna Beispiel", "status": "present", "arrival": "10:05"],
                    ["office": "ja-k", "status": "excused"],
                ]
            ]
            // Without If-Match: 428; with a stale one: 412.
            let noMatch = try await client.execute(
                uri: uri, method: .put, headers: coordinator, body: Self.body(entries))
            #expect(noMatch.status == .preconditionRequired && noMatch.errorCode == "if_match_required")
            var headers = coordinator
            headers[.ifMatch] = "\"stale\""
            let stale = try await client.execute(uri: uri, method: .put, headers: headers, body: Self.body(entries))
            #expect(stale.status == .preconditionFailed && stale.errorCode == "stale")
            headers[.ifMatch] = etag
            let written = try await client.execute(uri: uri, method: .put, headers: headers, body: Self.body(entries))
            #expect(written.status == .ok)
            let newTag = try #require(written.headers[.eTag])
            #expect(newTag != etag)
            // The old ETag is stale now.
            let lost = try await client.execute(uri: uri, method: .put, headers: headers, body: Self.body(entries))
            #expect(lost.status == .preconditionFailed)
            // Invalid entries: 422 with every reason; nothing stored.
            headers[.ifMatch] = newTag
            let invalid = try await client.execute(
                uri: uri, method: .put, headers: headers,
                body: Self.body([
                    "entries": [["office": "aa", "status": "present"], ["office": "jc", "status": "maybe"]]
                ]))
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.text.contains("office aa is not a member of runde on 2026-03-02"))
            #expect(invalid.text.contains("status 'maybe'"))
            let notJSON = try await client.execute(
                uri: uri, method: .put, headers: headers, body: ByteBuffer(string: "{"))
            #expect(notJSON.status == .badRequest && notJSON.errorCode == "invalid_json")
            let huge = ByteBuffer(
                string: "{\"entries\":[" + String(repeating: "{\"office\":\"jc\",\"status\":\"present\"},", count: 3000)
                    + "]}")
            let tooLarge = try await client.execute(uri: uri, method: .put, headers: headers, body: huge)
            #expect(tooLarge.status == .contentTooLarge && tooLarge.errorCode == "too_large")
        }
        let stored = try await f.store.attendance(
            of: SessionKey(body: "runde", series: "montag", date: CivilDate(year: 2026, month: 3, day: 2)))
        #expect(
            stored.map { "\($0.office) \($0.person ?? "-") \($0.status.rawValue) \($0.arrival?.clock ?? "")" } == [
                "ja-k - excused ", "jc Anna Beispiel present 10:05",
            ])
        #expect(try await f.store.changes().last?.actor == "Anna Beispiel (\(f.ids["coordinatorRunde"] ?? ""))")
    }

    @Test(arguments: ServerFixture.Kind.allCases)
    func securityTokensAndRoles(kind: ServerFixture.Kind) async throws {
        let f = try await ServerFixture(kind)
        defer { f.remove() }
        let uri = "/api/v1/sessions/runde/2026-03-02/attendance"
        let put = Self.body(["entries": [["office": "jc", "status": "present"]]])
        try await f.test { client in
            let none = try await client.execute(uri: "/api/v1/bodies", method: .get)
            #expect(none.status == .unauthorized && none.headers[.wwwAuthenticate] == "Bearer realm=\"gremien\"")
            for name in ["revoked", "expired", "feedAnna"] {
                let r = try await client.execute(uri: "/api/v1/bodies", method: .get, headers: f.bearer(name))
                #expect(r.status == .unauthorized, "\(name)")
            }
            #expect(
                try await client.execute(uri: "/api/v1/bodies", method: .get, headers: [.authorization: "Basic abc"])
                    .status
                    == .unauthorized)
            // Wrong role: an auditor reads, does not write; a coordinator of the Beirat cannot write the Runde.
            for (name, message) in [
                ("auditor", "auditors read"), ("coordinatorBeirat", "this token is for beirat, not for runde"),
            ] {
                var headers = f.bearer(name)
                let etag = try await client.execute(uri: uri, method: .get, headers: headers).headers[.eTag] ?? ""
                headers[.ifMatch] = etag
                let r = try await client.execute(uri: uri, method: .put, headers: headers, body: put)
                #expect(r.status == .forbidden && r.errorCode == "forbidden" && r.text.contains(message), "\(name)")
            }
            // Tokens: admin only.
            let list = try await client.execute(uri: "/api/v1/tokens", method: .get, headers: f.bearer("admin"))
            #expect((list.json as? [[String: Any]])?.count == 8)
            #expect(!list.text.contains(f.secrets["admin"] ?? "x") && !list.text.contains("hash"))
            #expect(
                try await client.execute(uri: "/api/v1/tokens", method: .get, headers: f.bearer("coordinatorRunde"))
                    .status == .forbidden)
            let id = f.ids["coordinatorBeirat"] ?? ""
            #expect(
                try await client.execute(uri: "/api/v1/tokens/\(id)", method: .delete, headers: f.bearer("admin"))
                    .status == .noContent)
            #expect(
                try await client.execute(uri: "/api/v1/tokens/\(id)", method: .delete, headers: f.bearer("admin"))
                    .status == .notFound)
            #expect(
                try await client.execute(uri: "/api/v1/tokens/nope", method: .delete, headers: f.bearer("admin")).status
                    == .badRequest)
            // Revoked through the API: refused from then on.
            #expect(
                try await client.execute(uri: "/api/v1/bodies", method: .get, headers: f.bearer("coordinatorBeirat"))
                    .status == .unauthorized)
        }
        #expect(
            try await f.store.attendance(
                of: SessionKey(body: "runde", series: "montag", date: CivilDate(year: 2026, month: 3, day: 2))
            ).isEmpty)
        // No secret in any log line.
        let logs = f.logs.text
        #expect(logs.contains("route=/api/v1/sessions/{body}/{date}/attendance"))
        for secret in f.secrets.values { #expect(!logs.contains(secret)) }
    }

    @Test(arguments: ServerFixture.Kind.allCases)
    func minutesAndCancelChangeWhatFeedsShow(kind: ServerFixture.Kind) async throws {
        let f = try await ServerFixture(kind)
        defer { f.remove() }
        let coordinator = f.bearer("coordinatorRunde")
        let minutes = "/api/v1/sessions/runde/2026-03-02/minutes"
        try await f.test { client in
            let read = try await client.execute(uri: minutes, method: .get, headers: coordinator)
            #expect((read.json as? [String: Any])?["status"] as? String == "draft")
            var headers = coordinator
            headers[.ifMatch] = read.headers[.eTag] ?? ""
            let approved = try await client.execute(
                uri: minutes, method: .put, headers: headers, body: Self.body(["status": "approved"]))
            #expect(approved.status == .ok && (approved.json as? [String: Any])?["status"] as? String == "approved")
            // Approved minutes lock the attendance: 409.
            let attendanceURI = "/api/v1/sessions/runde/2026-03-02/attendance"
            var h2 = coordinator
            h2[.ifMatch] =
                try await client.execute(uri: attendanceURI, method: .get, headers: coordinator).headers[.eTag] ?? ""
            let locked = try await client.execute(
                uri: attendanceURI, method: .put, headers: h2,
                body: Self.body(["entries": [["office": "jc", "status": "present"]]]))
            #expect(locked.status == .conflict && locked.errorCode == "minutes_approved")
            headers[.ifMatch] = approved.headers[.eTag] ?? ""
            let noReason = try await client.execute(
                uri: minutes, method: .put, headers: headers, body: Self.body(["status": "draft"]))
            #expect(noReason.status == .unprocessableContent)
            // Cancel a session: recorded, and the feed drops it at once (EXDATE).
            let before = try await client.execute(uri: "/feeds/bodies/runde.ics", method: .get)
            let cancel = try await client.execute(
                uri: "/api/v1/sessions/runde/2026-03-23/cancel", method: .post, headers: coordinator,
                body: Self.body(["reason": "Klausurtagung"]))
            #expect(cancel.status == .created)
            let twice = try await client.execute(
                uri: "/api/v1/sessions/runde/2026-03-23/cancel", method: .post, headers: coordinator,
                body: Self.body(["reason": "again"]))
            #expect(twice.status == .conflict)
            let after = try await client.execute(uri: "/feeds/bodies/runde.ics", method: .get)
            #expect(after.headers[.eTag] != before.headers[.eTag])
            #expect(after.text.contains("20260323T100000") && after.text.contains("SEQUENCE:3"))
            let changes = try await client.execute(
                uri: "/api/v1/session-changes?body=runde", method: .get, headers: coordinator)
            #expect((changes.json as? [[String: Any]])?.first?["reason"] as? String == "Klausurtagung")
        }
    }
}

/// Moves, additions, reinstatements and removals through the API (issue 14): a change that
/// draws warnings is answered 409 `confirmation_required` with the warnings and stored only when
/// repeated with `"confirm": true`.
@Suite struct SessionChangeRouteTests {
    @Test(arguments: ServerFixture.Kind.allCases)
    func warningsAreConfirmedThroughTheAPI(kind: ServerFixture.Kind) async throws {
        let f = try await ServerFixture(kind)
        defer { f.remove() }
        let coordinator = f.bearer("coordinatorRunde")
        try await f.test { client in
            let uri = "/api/v1/sessions/runde/2026-10-12/move"
            let asked = try await client.execute(
                uri: uri, method: .post, headers: coordinator, body: APIRouteTests.body(["to": "2026-10-17T10:00"]))
            #expect(asked.status == .conflict && asked.errorCode == "confirmation_required")
            let warnings = try #require((asked.json as? [String: Any])?["warnings"] as? [[String: String]])
            #expect(warnings == [["code": "weekend", "message": "2026-10-17 is a Saturday"]])
            let listed = try await client.execute(
                uri: "/api/v1/sessions?body=runde&from=2026-10-12&to=2026-10-18", method: .get, headers: coordinator)
            #expect(!listed.text.contains("2026-10-17"))
            let moved = try await client.execute(
                uri: uri, method: .post, headers: coordinator,
                body: APIRouteTests.body(["to": "2026-10-17T10:00", "confirm": true, "reason": "Samstagstermin"]))
            #expect(moved.status == .created)
            #expect((moved.json as? [String: Any])?["change"] as? String == "move")
            // Found by its new date too; reinstated to its planned time.
            let back = try await client.execute(
                uri: "/api/v1/sessions/runde/2026-10-17/reinstate", method: .post, headers: coordinator,
                body: APIRouteTests.body(["reason": "doch montags"]))
            #expect(back.status == .created && (back.json as? [String: Any])?["change"] as? String == "reinstate")
            // An addition, then its removal; a session of the rule is not removed.
            let added = try await client.execute(
                uri: "/api/v1/bodies/runde/sessions", method: .post, headers: coordinator,
                body: APIRouteTests.body(["start": "2026-10-21T09:00", "title": "Sondersitzung"]))
            #expect(added.status == .created, "\(added.text)")
            let removed = try await client.execute(
                uri: "/api/v1/sessions/runde/2026-10-21/remove", method: .post, headers: coordinator,
                body: APIRouteTests.body(["reason": "doppelt"]))
            #expect(removed.status == .created)
            let planned = try await client.execute(
                uri: "/api/v1/sessions/runde/2026-10-19/remove", method: .post, headers: coordinator,
                body: APIRouteTests.body(["reason": "x"]))
            #expect(planned.status == .conflict && planned.errorCode == "planned_session")
            let other = try await client.execute(
                uri: "/api/v1/bodies/beirat/sessions", method: .post, headers: coordinator,
                body: APIRouteTests.body(["start": "2026-10-21T09:00"]))
            #expect(other.status == .forbidden)
            let conflicts = try await client.execute(
                uri: "/api/v1/conflicts?from=2026-01-01&to=2027-01-01", method: .get, headers: coordinator)
            #expect(conflicts.status == .ok && (conflicts.json as? [Any]) != nil)
        }
    }
}

/// Seats through the API (issue 15): listed for coordinators, assigned by a coordinator of the
/// body, ended; the attendance sheet names the expected person.
@Suite struct SeatRouteTests {
    @Test(arguments: ServerFixture.Kind.allCases)
    func seatsThroughTheAPI(kind: ServerFixture.Kind) async throws {
        let f = try await ServerFixture(kind)
        defer { f.remove() }
        let coordinator = f.bearer("coordinatorRunde")
        try await f.test { client in
            let empty = try await client.execute(uri: "/api/v1/seats?body=runde", method: .get, headers: coordinator)
            #expect(empty.status == .ok && (empty.json as? [Any])?.isEmpty == true)
            let assigned = try await client.execute(
                uri: "/api/v1/bodies/runde/seats", method: .post, headers: coordinator,
                body: APIRouteTests.body(["office": "jc", "person": "anna-beispiel", "from": "2026-09-01"]))
            #expect(assigned.status == .created, "\(assigned.text)")
            let seat = try #require(assigned.json as? [String: Any])
            #expect(seat["name"] as? String == "Anna Beispiel" && seat["role"] as? String == "regular")
            let wrong = try await client.execute(
                uri: "/api/v1/bodies/runde/seats", method: .post, headers: coordinator,
                body: APIRouteTests.body(["office": "jc", "person": "jana-jugend"]))
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("works for ja-k, not jc"))
            let foreign = try await client.execute(
                uri: "/api/v1/bodies/beirat/seats", method: .post, headers: coordinator,
                body: APIRouteTests.body(["office": "jc", "person": "anna-beispiel"]))
            #expect(foreign.status == .forbidden)
            let sheet = try await client.execute(
                uri: "/api/v1/sessions/runde/2026-09-07/attendance", method: .get, headers: coordinator)
            let expected = try #require((sheet.json as? [String: Any])?["expected"] as? [[String: Any]])
            #expect(expected.first { $0["office"] as? String == "jc" }?["people"] as? [String] == ["Anna Beispiel"])
            let id = try #require(seat["id"] as? Int)
            let ended = try await client.execute(
                uri: "/api/v1/seats/\(id)/end", method: .post, headers: coordinator,
                body: APIRouteTests.body(["on": "2026-09-30"]))
            #expect(ended.status == .ok && (ended.json as? [String: Any])?["until"] as? String == "2026-09-30")
            let feedToken = try await client.execute(
                uri: "/api/v1/seats", method: .get, headers: [.authorization: "Bearer \(f.secrets["feedAnna"] ?? "")"])
            #expect(feedToken.status == .unauthorized)
        }
    }
}

/// The statuses the other suites do not reach: an empty store (503), the minutes' own
/// preconditions, an auditor cancelling, a personal feed by HEAD, a sign-out without CSRF.
@Suite struct RemainingStatusTests {
    @Test(arguments: ServerFixture.Kind.allCases)
    func remainingStatuses(kind: ServerFixture.Kind) async throws {
        let f = try await ServerFixture(kind)
        defer { f.remove() }
        let feed = f.secrets["feedAnna"] ?? ""
        try await f.test { client in
            let minutes = "/api/v1/sessions/runde/2026-03-02/minutes"
            let approve = APIRouteTests.body(["status": "approved"])
            let noMatch = try await client.execute(
                uri: minutes, method: .put, headers: f.bearer("coordinatorRunde"), body: approve)
            #expect(noMatch.status == .preconditionRequired)
            var stale = f.bearer("coordinatorRunde")
            stale[.ifMatch] = "\"0\""
            #expect(
                try await client.execute(uri: minutes, method: .put, headers: stale, body: approve).status
                    == .preconditionFailed)
            let cancel = try await client.execute(
                uri: "/api/v1/sessions/runde/2026-03-23/cancel", method: .post, headers: f.bearer("auditor"),
                body: APIRouteTests.body(["reason": "x"]))
            #expect(cancel.status == .forbidden)
            let head = try await client.execute(uri: "/feeds/personal/\(feed).ics", method: .head)
            #expect(head.status == .ok && head.body.readableBytes == 0 && head.headers[.contentLength] != nil)
            let signOut = try await client.execute(uri: "/abmelden", method: .post)
            #expect(signOut.status == .seeOther)  // not signed in: nothing to close
        }
    }

    @Test func anEmptyStoreAnswers503() async throws {
        let state = ServerState(store: MemoryStoreFactory.make(), settings: .init(publicURL: "http://x"))
        try await state.prepare()
        let app = Application(router: buildRouter(state).router)
        try await app.test(.router) { client in
            let feed = try await client.execute(uri: "/feeds/all.ics", method: .get)
            #expect(feed.status == .serviceUnavailable && feed.errorCode == "no_definitions")
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }
}

/// The hardening review (issue 12): a lower-case `bearer` was refused (the scheme is
/// case-insensitive, RFC 9110 11.1).
@Suite struct BearerSchemeTests {
    @Test func lowerCaseBearerIsAccepted() async throws {
        let f = try await ServerFixture(.memory)
        defer { f.remove() }
        try await f.test { client in
            let secret = f.secrets["auditor"] ?? ""
            let lower = try await client.execute(
                uri: "/api/v1/offices", method: .get, headers: [.authorization: "bearer \(secret)"])
            #expect(lower.status == .ok)
            let other = try await client.execute(
                uri: "/api/v1/offices", method: .get, headers: [.authorization: "Basic \(secret)"])
            #expect(other.status == .unauthorized)
            #expect(other.text.contains("the Authorization header must be: Bearer <token>"))
        }
    }
}

/// A write of a body the token may not write is refused before its `If-Match` or body is read,
/// as before the routes called workflows.
@Suite struct PermissionBeforeIfMatchTests {
    @Test func anAuditorGets403NotA428() async throws {
        let f = try await ServerFixture(.memory)
        defer { f.remove() }
        try await f.test { client in
            for path in ["attendance", "minutes"] {
                let r = try await client.execute(
                    uri: "/api/v1/sessions/runde/2026-03-02/\(path)", method: .put, headers: f.bearer("auditor"),
                    body: ByteBuffer(string: "not json"))
                #expect(r.status == .forbidden && r.errorCode == "forbidden", "\(path)")
            }
            let cancel = try await client.execute(
                uri: "/api/v1/sessions/runde/2026-03-02/cancel", method: .post, headers: f.bearer("coordinatorBeirat"),
                body: ByteBuffer(string: "not json"))
            #expect(cancel.status == .forbidden && cancel.text.contains("this token is for beirat, not for runde"))
        }
    }
}

/// The hardening review (issue 12): control characters reached the store through the API.
@Suite struct ControlCharacterAPITests {
    @Test func aReasonWithAControlCharacterIsRefusedAndNothingIsStored() async throws {
        let f = try await ServerFixture(.memory)
        defer { f.remove() }
        try await f.test { client in
            let cancel = try await client.execute(
                uri: "/api/v1/sessions/runde/2026-03-23/cancel", method: .post, headers: f.bearer("coordinatorRunde"),
                body: APIRouteTests.body(["reason": "Grippe\u{1}welle"]))
            #expect(cancel.status == .unprocessableContent)
            #expect(cancel.text.contains("the reason contains the control character U+0001 (character 7); remove it"))
            let attendance = try await client.execute(
                uri: "/api/v1/sessions/runde/2026-03-02/attendance", method: .get, headers: f.bearer("coordinatorRunde")
            )
            var headers = f.bearer("coordinatorRunde")
            headers[.ifMatch] = attendance.headers[.eTag] ?? ""
            let put = try await client.execute(
                uri: "/api/v1/sessions/runde/2026-03-02/attendance", method: .put, headers: headers,
                body: APIRouteTests.body(["entries": [["office": "jc", "status": "present", "person": "Anna\u{7F}"]]]))
            #expect(put.status == .unprocessableContent)
            #expect(put.text.contains("entry 1: person contains the control character U+007F (character 5); remove it"))
            let changes = try await client.execute(
                uri: "/api/v1/session-changes?body=runde", method: .get, headers: f.bearer("coordinatorRunde"))
            #expect(!changes.text.contains("Grippe"))
        }
    }
}
