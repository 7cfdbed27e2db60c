import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core context plus the caller's credentials.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The `X-User-Id` / `X-Auth-Token` pair, set by ``CredentialsMiddleware`` when both are present.
    /// Not yet verified: each route checks it against the database in the same statement that does its work.
    var credentials: CallerCredentials?
    /// The connection, for its peer address (looked up only when a route or the access log needs it).
    let channel: any Channel
    /// The proxies whose forwarding headers are believed (set by ``RequestLogMiddleware``).
    var trustedProxies = TrustedProxies.loopback
    /// The request's id (``RequestID``).
    var requestID = ""

    public init(source: Source) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The client's address: the TCP peer, or what a trusted proxy says it forwarded (``TrustedProxies``).
    func clientAddress(of request: Request) -> String? {
        trustedProxies.clientAddress(
            peer: channel.remoteAddress?.ipAddress,
            forwardedFor: request.headers[values: RequestLogMiddleware.forwardedFor],
            realIP: request.headers[RequestLogMiddleware.realIP]
        )
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
