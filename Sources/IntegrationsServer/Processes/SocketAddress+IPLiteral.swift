import NIOCore

extension SocketAddress {
    /// An IPv4 or IPv6 literal and a port; `nil` for anything else (a host name, a port outside 0–65535, which
    /// NIO's initializer would trap on).
    init?(ipLiteral host: String, port: Int) {
        guard (0...65535).contains(port), let address = try? SocketAddress(ipAddress: host, port: port) else { return nil }
        self = address
    }
}
