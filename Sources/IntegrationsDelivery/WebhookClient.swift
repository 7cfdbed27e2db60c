import AsyncHTTPClient
import Foundation
import IntegrationsCore
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Makes one webhook call: checks where it would connect against the address policy (resolving a host name
/// once, and connecting to the very address it checked), POSTs the body, and reads the reply up to the size
/// limit, within the connect and total timeouts, never following redirects. Every way a call can fail becomes
/// an ``AttemptResult/failed(_:)``, never a thrown error.
public final class WebhookClient: Sendable {
    private let settings: DeliverySettings
    private let resolver: any HostResolver
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    /// For URLs whose host is an address.
    private let direct: HTTPClient
    /// For URLs with a host name: one client per host and address, pinned (AsyncHTTPClient's `dnsOverride`) to
    /// the address that was checked, so that TLS still sees the name; a name that resolves elsewhere later (round
    /// robin, a move) gets another, and the one in use stays. At most ``pinnedLimit``, the least recently used
    /// retired first.
    private let pinned = Mutex<[String: (client: HTTPClient, lastUsed: ContinuousClock.Instant)]>([:])
    private static let pinnedLimit = 128

    /// Rocket.Chat's User-Agent for outgoing webhooks.
    public static let userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2227.0 Safari/537.36"

    public init(
        settings: DeliverySettings,
        resolver: any HostResolver = SystemResolver(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.settings = settings
        self.resolver = resolver
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        direct = Self.makeClient(settings: settings, pinning: [:], eventLoopGroup: eventLoopGroup, logger: logger)
    }

    /// Closes every connection.
    public func shutdown() async {
        let clients = pinned.withLock { pinned in
            defer { pinned.removeAll() }
            return pinned.values.map(\.client)
        }
        for client in clients + [direct] { try? await client.shutdown() }
    }

    /// POSTs `body` to `url` with `headers` (besides the User-Agent and the JSON content type). The whole call —
    /// resolving the host, connecting, the answer and its body — ends within the total timeout.
    public func post(url: String, body: [UInt8], headers: [(name: String, value: String)]) async -> AttemptResult {
        let limit = settings.totalTimeout
        return await withTaskGroup(of: AttemptResult?.self) { group in
            group.addTask { await self.call(url: url, body: body, headers: headers) }
            group.addTask {
                // nil when cancelled: the call's own result (or its cancellation) stands.
                (try? await Task.sleep(for: limit)) == nil
                    ? nil : .failed(AttemptResult.Failure(code: "ETIMEDOUT", message: "network timeout at: \(url)"))
            }
            var first: AttemptResult?
            while first == nil, let next = await group.next() { first = next }
            group.cancelAll()
            return first ?? .failed(AttemptResult.Failure(code: "ECANCELED", message: "request to \(url) failed, reason: the call was cancelled"))
        }
    }

    private func call(url: String, body: [UInt8], headers: [(name: String, value: String)]) async -> AttemptResult {
        let client: HTTPClient
        do {
            client = self.client(for: try await target(of: url))
        } catch {
            return .failed(error)
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "User-Agent", value: Self.userAgent)
        request.headers.add(name: "Content-Type", value: "application/json")
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: TimeAmount(settings.totalTimeout))
            let replied = try await response.body.collect(upTo: settings.responseLimit)
            return .response(
                AttemptResult.Response(
                    status: Int(response.status.code),
                    body: Array(replied.readableBytesView),
                    contentType: response.headers.first(name: "Content-Type"),
                    retryAfter: response.headers.first(name: "Retry-After").flatMap { Self.retryAfter($0, now: Date()) }
                )
            )
        } catch {
            return .failed(Self.failure(error, url: url, limit: settings.responseLimit))
        }
    }

    /// Where a call connects, once the address policy admitted it.
    enum Target: Sendable, Equatable {
        /// The URL's host is this address.
        case address(IPAddress)
        /// The URL names this host, resolved (once, for this call) to this address, which the connection uses.
        case host(String, pinnedTo: IPAddress)
    }

    /// Resolves the URL's host (when it is a name) and checks every address it has against the policy.
    func target(of url: String) async throws(AttemptResult.Failure) -> Target {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            var host = components.host, !host.isEmpty
        else {
            throw AttemptResult.Failure(code: "ERR_INVALID_URL", message: "Invalid URL: \(url)")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if let address = IPAddress(host) {
            try admit(address, url: url)
            return .address(address)
        }
        let name = host.lowercased()
        guard settings.resolvesHostNames || name == "localhost" else {
            throw AttemptResult.Failure(
                code: "ERR_ADDRESS_REFUSED",
                message: "request to \(url) refused: host names are not resolved (OUTGOING_RESOLVE_HOSTS)"
            )
        }
        let addresses = name == "localhost" && !settings.resolvesHostNames ? [IPAddress.v4(0x7F00_0001)] : try await resolver.addresses(of: name)
        guard let first = addresses.first else {
            throw AttemptResult.Failure(code: "ENOTFOUND", message: "request to \(url) failed, reason: getaddrinfo ENOTFOUND \(name)")
        }
        // Any refused address refuses the host: a name must not be a way around the policy.
        for address in addresses { try admit(address, url: url) }
        return .host(name, pinnedTo: first)
    }

    /// The client for a target: the shared one for addresses, one pinned to the checked address for a name.
    private func client(for target: Target) -> HTTPClient {
        switch target {
        case .address: direct
        case .host(let name, let address): client(for: name, pinnedTo: address)
        }
    }

    private func admit(_ address: IPAddress, url: String) throws(AttemptResult.Failure) {
        let canonical = AddressPolicy.canonical(address)
        if settings.onlyAllowedAddresses && !settings.addressPolicy.allowed.contains(where: { $0.contains(address) || $0.contains(canonical) }) {
            throw AttemptResult.Failure(
                code: "ERR_ADDRESS_REFUSED",
                message: "request to \(url) refused: address \(address) is not in OUTGOING_ALLOWED_CIDRS"
            )
        }
        if case .blocked(let range) = settings.addressPolicy.verdict(for: address) {
            throw AttemptResult.Failure(code: "ERR_ADDRESS_REFUSED", message: "request to \(url) refused: \(range.message(for: address))")
        }
    }

    private func client(for host: String, pinnedTo address: IPAddress) -> HTTPClient {
        let key = "\(host) \(address)"
        let (client, evicted) = pinned.withLock { pinned -> (HTTPClient, HTTPClient?) in
            if let existing = pinned[key] {
                pinned[key]?.lastUsed = ContinuousClock.now
                return (existing.client, nil)
            }
            var evicted: HTTPClient?
            if pinned.count >= Self.pinnedLimit, let oldest = pinned.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
                evicted = pinned.removeValue(forKey: oldest)?.client
            }
            let client = Self.makeClient(settings: settings, pinning: [host: "\(address)"], eventLoopGroup: eventLoopGroup, logger: logger)
            pinned[key] = (client, ContinuousClock.now)
            return (client, evicted)
        }
        if let evicted {
            // The least recently used client may still carry calls: it is shut down once they have had their
            // whole timeout to end.
            let grace = settings.totalTimeout + .seconds(1)
            Task {
                try? await Task.sleep(for: grace)
                try? await evicted.shutdown()
            }
        }
        return client
    }

    private static func makeClient(
        settings: DeliverySettings,
        pinning: [String: String],
        eventLoopGroup: any EventLoopGroup,
        logger: Logger
    ) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(settings.connectTimeout), read: TimeAmount(settings.totalTimeout)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, settings.concurrency)),
            decompression: .disabled
        )
        // A refused connection fails the attempt at once, as Node's fetch does (AsyncHTTPClient would retry it
        // until the connect timeout).
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.dnsOverride = pinning
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration, backgroundActivityLogger: logger)
    }

    /// A `Retry-After` value: delay-seconds, or an HTTP date (its distance from `now`, at least zero).
    static func retryAfter(_ value: String, now: Date) -> Duration? {
        let text = value.trimmed
        if let seconds = Int(text), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }

    /// A client or network error as a Node-style failure (`code`, and `message` as node-fetch words it).
    static func failure(_ error: any Error, url: String, limit: Int) -> AttemptResult.Failure {
        func failed(_ code: String, _ reason: String) -> AttemptResult.Failure {
            AttemptResult.Failure(code: code, message: "request to \(url) failed, reason: \(reason)")
        }
        if error is NIOTooManyBytesError {
            return AttemptResult.Failure(code: "ERR_RESPONSE_TOO_LARGE", message: "content size at \(url) over limit: \(limit)")
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .getConnectionFromPoolTimeout: return failed("ETIMEDOUT", "connect ETIMEDOUT")
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return AttemptResult.Failure(code: "ETIMEDOUT", message: "network timeout at: \(url)")
            case .remoteConnectionClosed: return failed("ECONNRESET", "socket hang up")
            case .cancelled: return failed("ECANCELED", "the call was cancelled")
            default: return failed("ERR_HTTP", "\(error)")
            }
        }
        if let error = error as? NIOConnectionError {
            let refused = error.connectionErrors.contains { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }
            return refused ? failed("ECONNREFUSED", "connect ECONNREFUSED") : failed("ECONNFAILED", "\(error)")
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return failed("ECONNREFUSED", "connect ECONNREFUSED")
            case ECONNRESET: return failed("ECONNRESET", "socket hang up")
            default: return failed("ERR_SOCKET", "\(error)")
            }
        }
        if error is ChannelError { return failed("ECONNRESET", "socket hang up") }
        return failed("ERR_HTTP", "\(error)")
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
