import Foundation
import Glibc
import GremienTestSupport
import Testing

/// The hardening review (issue 12): a client that sends its request slowly held its connection
/// for ever, and enough of them locked everyone out. `gremien serve` runs here as it does in
/// production, in a process of its own.
@Suite(.enabled(if: LoadTests.enabled)) struct SlowConnectionsTests {
    /// A free port of 127.0.0.1 (bound and released; the server takes it right after).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw RawConnectionError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func healthzAnswersWithinASecondWhileAThousandSlowConnectionsAreOpen() async throws {
        // The test process opens 1,000 connections and the server as many: both need the room.
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        getrlimit(resource, &limit)
        limit.rlim_cur = min(limit.rlim_max, 8192)
        setrlimit(resource, &limit)
        try #require(limit.rlim_cur >= 2100, "the hard file limit (\(limit.rlim_max)) is too low for this test")

        let w = try SessionCommandTests.Workspace()
        defer { w.remove() }
        let server = try await ServeProcess(store: w.store, options: ["--header-timeout", "2"])
        defer { server.stop() }
        let port = server.port

        var slow: [RawConnection] = []
        for _ in 0..<1000 {
            let c = try RawConnection(port: port)
            c.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Langsam: ")
            slow.append(c)
        }
        let started = Date()
        let probe = try RawConnection(port: port)
        probe.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        let answer = await probe.timedRead(until: "chainHead", timeout: 5)
        let elapsed = answer.ended.timeIntervalSince(started)
        #expect(answer.text.hasPrefix("HTTP/1.1 200 OK"))
        #expect(elapsed < 1, "healthz took \(elapsed) s")
        print("slow connections: healthz answered in \(Int(elapsed * 1000)) ms with 1,000 slow connections open")
        // Each slow one is closed, without a response, once its header time (2 s here) is up.
        let first = await slow[0].read(timeout: 6)
        #expect(first.closed && first.text.isEmpty)
        let last = await slow[999].read(timeout: 6)
        #expect(last.closed && last.text.isEmpty)
    }
}

/// `gremien serve` in a process of its own on a free port, answering `/healthz`.
final class ServeProcess: @unchecked Sendable {
    let port: Int
    private let process = Process()

    init(store: String, options: [String] = []) async throws {
        port = try SlowConnectionsTests.freePort()
        process.executableURL = CommandLineTests.executable
        process.arguments =
            ["serve", "--store", store, "--port", String(port), "--templates", TestDistrict.templates] + options
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 {
            if (try? await RawExchange.send(port: port, "GET", "/healthz", timeout: 1))?.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop()
        throw RawConnectionError("gremien serve did not answer on port \(port)")
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }
}
