import Coordination
import Dispatch
import Foundation
import GremienTestSupport
import Publishing
import Synchronization
import Testing
import Workflows

@testable import Server

/// A report's download is sent while it is made (issue 20, aim 3): a ten-year JSON report is
/// some 95 MB, and held whole the server's memory grew by more than that for each download.
@Suite struct ReportDownloadTests {
    /// Waits (up to 10 s) until `condition` holds; whether it did.
    static func eventually(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<1000 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test func piecesArriveInOrderAndThenTheEnd() async throws {
        let pipe = PiecePipe(limit: 3)
        let sent = (0..<50).map { i in [UInt8](repeating: UInt8(i), count: 1 + i * 37) }
        Thread {
            for piece in sent { pipe.put(piece) }
            pipe.finish()
        }.start()
        var got: [[UInt8]] = []
        while let piece = await pipe.next() { got.append(piece) }
        #expect(got == sent)
        #expect(await pipe.next() == nil)
    }

    /// The making thread waits while the browser has not taken the pieces before: a slow reader
    /// holds `limit` pieces, not the report. When the reader stops, the maker goes on and its
    /// further pieces are dropped.
    @Test func theMakerWaitsForTheReaderAndIsReleasedWhenItStops() async throws {
        let pipe = PiecePipe(limit: 3)
        let put = Atomic<Int>(0)
        let done = DispatchSemaphore(value: 0)
        Thread {
            for i in 0..<20 {
                pipe.put([UInt8(i)])
                put.add(1, ordering: .sequentiallyConsistent)
            }
            done.signal()
        }.start()
        #expect(try await Self.eventually { put.load(ordering: .sequentiallyConsistent) == 3 })
        try await Task.sleep(for: .milliseconds(200))
        #expect(put.load(ordering: .sequentiallyConsistent) == 3, "the maker went on without room")
        #expect(await pipe.next() == [0])
        #expect(try await Self.eventually { put.load(ordering: .sequentiallyConsistent) == 4 })
        pipe.close()
        #expect(done.wait(timeout: .now() + 10) == .success, "the maker still waits after the reader stopped")
        #expect(put.load(ordering: .sequentiallyConsistent) == 20)
        #expect(await pipe.next() == nil)
    }

    /// Over a real connection the report comes in chunks, without a length announced before it
    /// was made, and it is the workflow's report byte for byte.
    @Test func theDownloadIsSentInChunks() async throws {
        let f = try await ServerFixture(.memory)
        defer { f.remove() }
        let year = (CivilDate(year: 2026, month: 1, day: 1), CivilDate(year: 2026, month: 12, day: 31))
        let made = try await f.state.workflows.participationReport(
            .init(from: year.0, through: year.1, format: .json))
        try await f.live { port in
            let (head, body) = try await Self.get(
                "/pruefung/bericht?von=2026-01-01&bis=2026-12-31&format=json", as: "auditor", f, port: port)
            #expect(head.hasPrefix("http/1.1 200 ok"), "\(head)")
            #expect(head.contains("transfer-encoding: chunked") && !head.contains("content-length"), "\(head)")
            #expect(body.count > 1_000 && body == made.data)
        }
    }

    /// The change log's download is sent a page of entries at a time, newest first, as CSV:
    /// the same entries as the workflow's whole change log; refused to a coordinator.
    @Test func theChangeLogIsSentInChunksNewestFirst() async throws {
        let f = try await ServerFixture(.sqlite)
        defer { f.remove() }
        let auditor = Principal(actor: "Rita Prüfer", roles: [.auditor])
        let all = try await f.state.workflows.changeLog(limit: Int.max, by: auditor)
        var expected = CSVTable(width: ChangeLogCSV.header.count)
        expected.append(ChangeLogCSV.header)
        for c in all { expected.append(ChangeLogCSV.row(c)) }
        let csv = expected.takeData()
        try await f.live { port in
            let (head, body) = try await Self.get("/pruefung/aenderungen.csv", as: "auditor", f, port: port)
            #expect(head.hasPrefix("http/1.1 200 ok"), "\(head)")
            #expect(head.contains("transfer-encoding: chunked") && !head.contains("content-length"), "\(head)")
            #expect(head.contains("content-type: text/csv; charset=utf-8"), "\(head)")
            #expect(all.count > 10 && body == csv)
            let lines = String(decoding: body, as: UTF8.self).components(separatedBy: "\r\n")
            #expect(lines.first == "time_utc,actor,subject,action,detail")
            let refused = try await Self.get("/pruefung/aenderungen.csv", as: "coordinatorRunde", f, port: port)
            #expect(refused.head.hasPrefix("http/1.1 403"), "\(refused.head)")
        }
    }

    /// Signs in with the fixture's token `role` and GETs `uri` over a connection of its own: the
    /// response's head in lower case and its body (chunks put together).
    static func get(_ uri: String, as role: String, _ f: ServerFixture, port: Int) async throws -> (
        head: String, body: Data
    ) {
        let signIn = try RawConnection(port: port)
        let form = "token=" + (f.secrets[role] ?? "")
        signIn.send(
            "POST /anmelden HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: \(form.utf8.count)\r\n\r\n\(form)")
        let answer = await signIn.read(until: "\r\n\r\n", timeout: 10).text
        let cookie = try #require(
            answer.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("set-cookie: ") }?
                .dropFirst("set-cookie: ".count).prefix { $0 != ";" })
        let download = try RawConnection(port: port)
        // Read until the server ends the connection: a chunked answer or one with a length alike.
        download.send("GET \(uri) HTTP/1.1\r\nHost: x\r\nCookie: \(cookie)\r\nConnection: close\r\n\r\n")
        let got = await download.read(timeout: 10).text
        let parts = got.components(separatedBy: "\r\n\r\n")
        let head = parts[0].lowercased()
        guard head.contains("transfer-encoding: chunked") else {
            return (head, Data(got.utf8.dropFirst(parts[0].utf8.count + 4)))
        }
        // The chunks put together: size line, CRLF, bytes, CRLF, until the chunk of size 0.
        let rest = Array(got.utf8.dropFirst(parts[0].utf8.count + 4))
        var body = Data()
        var at = 0
        while at < rest.count, let end = rest[at...].firstIndex(of: UInt8(ascii: "\r")),
            let size = Int(String(decoding: rest[at..<end], as: UTF8.self), radix: 16), size > 0,
            end + 2 + size <= rest.count
        {
            body += rest[(end + 2)..<(end + 2 + size)]
            at = end + 2 + size + 2
        }
        return (head, body)
    }
}
