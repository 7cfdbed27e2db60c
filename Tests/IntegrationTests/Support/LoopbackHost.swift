import NIOCore

/// Loopback addresses: the only ones ``WebhookSink`` binds to and ``LoopbackHTTPClient`` connects to.
enum LoopbackHost {
    /// True for an IPv4 literal in 127.0.0.0/8 and for `::1`.
    static func isLoopback(_ host: String) -> Bool {
        guard let address = try? SocketAddress(ipAddress: host, port: 0), let text = address.ipAddress else { return false }
        switch address {
        case .v4: return text.hasPrefix("127.")
        case .v6: return text == "::1"
        default: return false
        }
    }
}
