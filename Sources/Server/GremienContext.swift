import Hummingbird

/// The request context of every route: Hummingbird's core storage, with request bodies limited
/// to 64 KiB (a session's attendance list is a few KiB; more is refused with 413).
public struct GremienContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { 64 * 1024 }
}
