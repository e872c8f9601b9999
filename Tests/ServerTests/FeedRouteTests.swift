import CompressNIO
import Coordination
import Foundation
import GremienTestSupport
import Hummingbird
import HummingbirdTesting
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

    @Test(arguments: ServerFixture.Kind.allCases)
    func personalFeedsAreTheirBodiesAndEndWithTheToken(kind: ServerFixture.Kind) async throws {
        // In March, while ja-k still has its seat in the Beirat (until 30 June).
        let f = try await ServerFixture(kind, now: LocalDateTime(year: 2026, month: 3, day: 1, hour: 12))
        defer { f.remove() }
        let anna = f.secrets["feedAnna"] ?? ""
        let jana = f.secrets["feedJA"] ?? ""
        let api = f.secrets["coordinatorRunde"] ?? ""
        try await f.test { client in
            let mine = try await client.execute(uri: "/feeds/personal/\(anna).ics", method: .get)
            #expect(mine.status == .ok)
            #expect(mine.headers[.cacheControl] == "private, max-age=21600")
            #expect(mine.text.contains("X-WR-CALNAME:Meine Gremien – Anna Beispiel"))
            #expect(mine.text.contains("montag.runde@") && mine.text.contains("sitzung.beirat@"))
            #expect(mine.text.contains("Rolle JC: Vorsitz"))
            let etag = try #require(mine.headers[.eTag])
            let again = try await client.execute(
                uri: "/feeds/personal/\(anna).ics", method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            // Jana's token is for the Beirat only: not the Runde, role advisory.
            let hers = try await client.execute(uri: "/feeds/personal/\(jana).ics", method: .get)
            #expect(hers.status == .ok && hers.text.contains("sitzung.beirat@") && !hers.text.contains("montag.runde@"))
            #expect(hers.text.contains("Rolle JA-K: beratendes Mitglied"))
            for secret in [api, "gf_" + String(repeating: "A", count: 43), "nonsense"] {
                let refused = try await client.execute(uri: "/feeds/personal/\(secret).ics", method: .get)
                #expect(refused.status == .unauthorized)
            }
        }
        // After 2026-06-30 ja-k has no seat in the Beirat: the token ends with the membership.
        let later = try await ServerFixture(kind, now: LocalDateTime(year: 2026, month: 7, day: 1, hour: 8))
        defer { later.remove() }
        let ended = later.secrets["feedJA"] ?? ""
        try await later.test { client in
            let r = try await client.execute(uri: "/feeds/personal/\(ended).ics", method: .get)
            #expect(r.status == .unauthorized)
            #expect(r.text.contains("the membership this feed was issued for has ended"))
        }
    }
}
