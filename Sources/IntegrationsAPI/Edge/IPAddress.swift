#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as 16 bytes (IPv4 as the IPv4-mapped IPv6 address `::ffff:a.b.c.d`, so that
/// `127.0.0.1` and `::ffff:127.0.0.1` are the same address).
public struct IPAddress: Hashable, Sendable {
    let bytes: [UInt8]
    /// Whether it was written as (or maps) an IPv4 address.
    public var isIPv4: Bool { bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff }

    /// Parses a literal address (`inet_pton`); `nil` for anything else (names, ports, brackets, zones).
    public init?(_ text: some StringProtocol) {
        let text = String(text)
        var ipv4 = in_addr()
        if inet_pton(AF_INET, text, &ipv4) == 1 {
            bytes = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] + withUnsafeBytes(of: ipv4) { Array($0) }
            return
        }
        var ipv6 = in6_addr()
        guard inet_pton(AF_INET6, text, &ipv6) == 1 else { return nil }
        bytes = withUnsafeBytes(of: ipv6) { Array($0) }
    }
}

/// A CIDR block such as `10.0.0.0/8` or `fd00::/8`; a bare address is a block of one.
public struct IPAddressRange: Hashable, Sendable, CustomStringConvertible {
    let network: IPAddress
    /// Prefix length over the 128-bit form.
    let prefixLength: Int
    public let description: String

    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(parts[0]) else { return nil }
        let width = address.isIPv4 ? 32 : 128
        var length = width
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...width).contains(parsed) else { return nil }
            length = parsed
        }
        network = address
        prefixLength = length + (128 - width)
        description = String(text)
    }

    public func contains(_ address: IPAddress) -> Bool {
        var remaining = prefixLength
        for index in 0..<16 where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            if network.bytes[index] & mask != address.bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }
}
