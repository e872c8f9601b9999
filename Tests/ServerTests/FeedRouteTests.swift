import CompressNIO
import Coordination
import Foundation
import GremienTestSupport
import Hummingbird
import HummingbirdTesting
import ICalendar
import Platform
import Storage
import Testing

/// The feed routes on both stores: every status, validators, gzip, HEAD, private feeds.
@Suite struct FeedRouteTests {
    @Test(arguments: ServerFixture.Kind.allCases)
    func publicFeedsWithValidatorsGzipAndHead(kind: ServerFixture.Kind) async throws {
        let f = try await ServerFixture(kind)
        defer { f.remove() }
        try await f.test { client in
            let all = try await client.execute(uri: "/feeds/all.ics", method: .get)
            #expect(all.status == .ok)
            #expect(all.headers[.contentType] == "text/calendar; charset=utf-8")
            #expect(all.headers[.cacheControl] == "public, max-age=21600")  // refresh_hours: 6
            #expect(all.headers[.vary] == "Accept-Encoding")
            let etag = try #require(all.headers[.eTag])
            #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""))
            #expect(
                all.text.hasPrefix("BEGIN:VCALENDAR\r\n") && all.text.contains("UID:montag.runde@gremien.example.org"))
            #expect(!all.text.contains("Anna Beispiel"))  // no staff names in public feeds
            let lastModified = try #require(all.headers[.lastModified])
            #expect(lastModified == "Mon, 05 Jan 2026 08:00:00 GMT")
            // The same ETag again: 304, no body; a stale one: 200.
            let again = try await client.execute(uri: "/feeds/all.ics", method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            #expect(again.headers[.eTag] == etag)
            let stale = try await client.execute(
                uri: "/feeds/all.ics", method: .get, headers: [.ifNoneMatch: "\"old\""])
            #expect(stale.status == .ok)
            let since = try await client.execute(
                uri: "/feeds/all.ics", method: .get, headers: [.ifModifiedSince: lastModified])
            #expect(since.status == .notModified)
            let before = try await client.execute(
                uri: "/feeds/all.ics", method: .get, headers: [.ifModifiedSince: "Sun, 04 Jan 2026 08:00:00 GMT"])
            #expect(before.status == .ok)
            // gzip when accepted: its own ETag, and it unpacks to the same text.
            let gz = try await client.execute(
                uri: "/feeds/all.ics", method: .get, headers: [.acceptEncoding: "br, gzip"])
            #expect(gz.headers[.contentEncoding] == "gzip")
            #expect(gz.headers[.eTag] == String(etag.dropLast()) + "-gzip\"")
            var packed = gz.body
            #expect(String(buffer: try packed.decompress(with: .gzip)) == all.text)
            let refused = try await client.execute(
                uri: "/feeds/all.ics", method: .get, headers: [.acceptEncoding: "gzip;q=0"])
            #expect(refused.headers[.contentEncoding] == nil)
            let gz304 = try await client.execute(
                uri: "/feeds/all.ics", method: .get,
                headers: [.acceptEncoding: "gzip", .ifNoneMatch: gz.headers[.eTag] ?? ""])
            #expect(gz304.status == .notModified)
            // HEAD: the headers of GET, no body.
            let head = try await client.execute(uri: "/feeds/all.ics", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.contentLength] == String(all.body.readableBytes))
            #expect(head.headers[.eTag] == etag)
            // Body and office feeds; unknown and malformed ids.
            let body = try await client.execute(uri: "/feeds/bodies/runde.ics", method: .get)
            #expect(body.status == .ok && body.text.contains("X-WR-CALNAME:Leitungsrunde\\; JC\\, JA-K\r\n"))
            #expect(!body.text.contains("beirat"))
            let office = try await client.execute(uri: "/feeds/offices/aa.ics", method: .get)
            #expect(
                office.status == .ok && office.text.contains("sitzung.beirat@")
                    && !office.text.contains("montag.runde@"))
            let unknown = try await client.execute(uri: "/feeds/bodies/nope.ics", method: .get)
            #expect(unknown.status == .notFound && unknown.errorCode == "not_found")
            let bad = try await client.execute(uri: "/feeds/bodies/NOPE_.ics", method: .get)
            #expect(bad.status == .badRequest && bad.errorCode == "invalid_id")
        }
    }

    /// A personal feed holds the sessions of the person's seats while they hold them: Anna a
    /// regular seat for jc in the Runde (busy) and a deputy seat for jc in the Beirat (free,
    /// "Vertretung: …", or left out as she chooses); Jana's token names the Beirat only; Ben has
    /// no seat: a valid, empty calendar; a person who has left gets 401.
    @Test(arguments: ServerFixture.Kind.allCases)
    func personalFeedsAreTheSessionsOfTheirSeats(kind: ServerFixture.Kind) async throws {
        let f = try await ServerFixture(kind, now: LocalDateTime(year: 2026, month: 3, day: 1, hour: 12))
        defer { f.remove() }
        let at = LocalDateTime(year: 2026, month: 3, day: 1, hour: 12)
        _ = try await f.store.assign(
            Seat(body: "runde", office: "jc", person: "anna-beispiel", role: .regular), at: at, actor: "t")
        _ = try await f.store.assign(
            Seat(body: "beirat", office: "jc", person: "anna-beispiel", role: .deputy, rank: 1), at: at, actor: "t")
        _ = try await f.store.assign(
            Seat(
                body: "beirat", office: "ja-k", person: "jana-jugend", role: .regular,
                until: CivilDate(year: 2026, month: 6, day: 30)),
            at: at, actor: "t")
        let anna = f.secrets["feedAnna"] ?? ""
        let jana = f.secrets["feedJA"] ?? ""
        let api = f.secrets["coordinatorRunde"] ?? ""
        try await f.test { client in
            let mine = try await client.execute(uri: "/feeds/personal/\(anna).ics", method: .get)
            #expect(mine.status == .ok)
            #expect(mine.headers[.cacheControl] == "private, max-age=21600")
            let text = mine.text.replacingOccurrences(of: "\r\n ", with: "")
            #expect(text.contains("X-WR-CALNAME:Meine Gremien – Anna Beispiel"))
            #expect(text.contains("montag.runde@") && text.contains("sitzung.beirat@"))
            #expect(text.contains("DESCRIPTION:Ihr Sitz: Mitglied für JC\\nRolle JC: Vorsitz"))
            #expect(text.contains("SUMMARY:Vertretung: Beirat nach § 18d SGB II"))
            #expect(text.contains("Ihr Sitz: Vertretung (1. Vertretung für JC)"))
            let beirat = text.components(separatedBy: "BEGIN:VEVENT").filter { $0.contains("UID:sitzung.beirat@") }
            #expect(!beirat.isEmpty && beirat.allSatisfy { $0.contains("TRANSP:TRANSPARENT") })
            let etag = try #require(mine.headers[.eTag])
            let again = try await client.execute(
                uri: "/feeds/personal/\(anna).ics", method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            // Jana: her seat in the Beirat, advisory, ending with June.
            let hers = try await client.execute(uri: "/feeds/personal/\(jana).ics", method: .get)
            #expect(hers.status == .ok && hers.text.contains("sitzung.beirat@") && !hers.text.contains("montag.runde@"))
            #expect(hers.text.contains("UNTIL=20260630T215959Z"))
            for secret in [api, "gf_" + String(repeating: "A", count: 43), "nonsense"] {
                let refused = try await client.execute(uri: "/feeds/personal/\(secret).ics", method: .get)
                #expect(refused.status == .unauthorized)
            }
        }
        // Anna leaves out her deputy seats; Ben, without a seat, gets an empty calendar; Jana leaves.
        let secret = Secrets.token(prefix: TokenSecret.prefix(for: .feed))
        try await f.store.save(
            AccessToken(
                id: "t-bbbbbbbbbb", hash: TokenSecret.hash(secret), person: "ben-vertreter", kind: .feed, created: at),
            actor: "t")
        var annaRecord = try #require(try await f.store.people().first { $0.id == "anna-beispiel" })
        annaRecord.showsDeputySeats = false
        try await f.store.save(annaRecord, at: at, actor: "t")
        var janaRecord = try #require(try await f.store.people().first { $0.id == "jana-jugend" })
        janaRecord.until = CivilDate(year: 2026, month: 2, day: 28)
        try await f.store.save(janaRecord, at: at, actor: "t")
        try await f.test { client in
            let mine = try await client.execute(uri: "/feeds/personal/\(anna).ics", method: .get)
            #expect(mine.text.contains("montag.runde@") && !mine.text.contains("sitzung.beirat@"))
            let bens = try await client.execute(uri: "/feeds/personal/\(secret).ics", method: .get)
            #expect(bens.status == .ok && !bens.text.contains("BEGIN:VEVENT") && bens.text.contains("END:VCALENDAR"))
            #expect(ICalRestrictions.findings(in: bens.text) == [])
            let gone = try await client.execute(uri: "/feeds/personal/\(jana).ics", method: .get)
            #expect(gone.status == .unauthorized && gone.text.contains("has left"))
        }
    }
}
