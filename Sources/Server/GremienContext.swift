import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core storage, with request bodies limited
/// to 64 KiB (a session's attendance list is a few KiB; more is refused with 413), and the
/// address the request came from (what slows down failed sign-ins per address).
public struct GremienContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address (`192.0.2.7`); empty when unknown.
    public var remoteAddress: String

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? ""
    }

    public var maxUploadSize: Int { 64 * 1024 }
}
