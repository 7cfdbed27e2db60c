import Foundation
import IntegrationsCore

/// The reverse proxies whose `X-Forwarded-For` / `X-Real-IP` are believed (nginx's `set_real_ip_from` with
/// `real_ip_recursive on`). A request from anywhere else is its own client, whatever its headers say.
public struct TrustedProxies: Sendable, Equatable {
    public let ranges: [CIDR]

    /// Loopback only: a proxy on the same machine.
    public static let loopback = TrustedProxies(ranges: ["127.0.0.0/8", "::1"].compactMap { CIDR($0) })

    public init(ranges: [CIDR]) {
        self.ranges = ranges
    }

    /// Parses a comma-separated list of addresses and CIDR blocks; `nil` names the first bad entry.
    public static func parse(_ list: String) -> Result<TrustedProxies, InvalidEntry> {
        var ranges: [CIDR] = []
        for entry in list.split(separator: ",") {
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let range = CIDR(trimmed) else { return .failure(InvalidEntry(entry: trimmed)) }
            ranges.append(range)
        }
        return .success(TrustedProxies(ranges: ranges))
    }

    public struct InvalidEntry: Error, CustomStringConvertible {
        public let entry: String
        public var description: String { "\"\(entry)\" is not an IP address or CIDR block" }
    }

    /// Whether the address (an IPv4-mapped one as its IPv4 address) is in one of the ranges.
    public func trusts(_ address: IPAddress) -> Bool {
        let address = address.unmapped
        return ranges.contains { $0.contains(address) }
    }

    /// The client's address: the peer itself unless it is a trusted proxy; then, walking `X-Forwarded-For` from
    /// the right (the entry the nearest proxy added), the first address that is not a trusted proxy, or
    /// `X-Real-IP` when there is no `X-Forwarded-For`. A malformed entry ends the walk at the last good one.
    public func clientAddress(peer: String?, forwardedFor: [String], realIP: String?) -> String? {
        guard let peer, let peerAddress = IPAddress(peer) else { return peer }
        guard trusts(peerAddress) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        guard !hops.isEmpty else {
            if let realIP, IPAddress(realIP) != nil { return realIP }
            return peer
        }
        var client = peer
        for hop in hops.reversed() {
            guard let address = IPAddress(hop) else { return client }
            client = hop
            if !trusts(address) { return hop }
        }
        return client
    }
}
