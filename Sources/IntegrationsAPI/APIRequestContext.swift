import Hummingbird

/// The request context of every route.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// Request bodies larger than this are refused with 413 (Rocket.Chat's JSON shape).
    public var maxUploadSize: Int { 1 << 20 }
}
