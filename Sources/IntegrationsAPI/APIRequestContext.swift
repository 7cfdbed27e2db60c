import Hummingbird

/// The request context of every route: Hummingbird's core context plus the caller's credentials.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The `X-User-Id` / `X-Auth-Token` pair, set by ``CredentialsMiddleware`` when both are present.
    /// Not yet verified: each route checks it against the database in the same statement that does its work.
    var credentials: CallerCredentials?
    /// The TCP peer's address.
    let peerAddress: String?
    /// The client's address: the peer, or what a trusted proxy says it forwarded (``RequestLogMiddleware``).
    var clientAddress: String?
    /// The request's id (``RequestID``).
    var requestID = ""

    public init(source: Source) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Request bodies larger than this are refused with 413 (Rocket.Chat's JSON shape).
    public var maxUploadSize: Int { 1 << 20 }
}

extension APIRequestContext {
    /// The caller's credentials, or the 401 answer of an authenticated route.
    func requireCredentials() throws(RocketChatError) -> CallerCredentials {
        guard let credentials else { throw .notLoggedIn }
        return credentials
    }
}
