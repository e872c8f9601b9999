import Storage
import Testing

@testable import Server

/// Behind a load balancer the peer is the balancer: only when it is trusted does the client's
/// address come from `X-Forwarded-For`, and then the entry the balancer added (the last), never
/// one the client wrote itself.
@Suite struct TrustedProxyTests {
    @Test func theClientAddressIsTheProxysLastEntryOnlyForATrustedPeer() {
        let state = ServerState(
            store: MemoryStore(), settings: .init(publicURL: "http://x", trustedProxies: ["10.0.0.5"]))
        #expect(state.clientAddress("198.51.100.9, 192.0.2.1", peer: "10.0.0.5") == "192.0.2.1")
        #expect(state.clientAddress(" 192.0.2.7 ", peer: "10.0.0.5") == "192.0.2.7")
        // A forged header from anyone else changes nothing.
        #expect(state.clientAddress("192.0.2.1", peer: "203.0.113.4") == "203.0.113.4")
        // A trusted proxy that sent no header (or an empty one): its own address.
        #expect(state.clientAddress(nil, peer: "10.0.0.5") == "10.0.0.5")
        #expect(state.clientAddress("192.0.2.1, ", peer: "10.0.0.5") == "10.0.0.5")
        let direct = ServerState(store: MemoryStore(), settings: .init(publicURL: "http://x"))
        #expect(direct.clientAddress("192.0.2.1", peer: "127.0.0.1") == "127.0.0.1")
    }
}
