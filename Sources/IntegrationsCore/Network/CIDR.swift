/// A block of addresses, `10.0.0.0/8` or `fc00::/7`: an address and how many of its leading bits every
/// member shares.
public struct CIDR: Sendable, Hashable {
    /// The first address of the block: host bits are always zero.
    public let network: IPAddress
    /// The number of leading bits fixed, 0–32 for IPv4 and 0–128 for IPv6.
    public let prefixLength: Int

    /// The block of `prefixLength` leading bits of `address`; `nil` when the length is out of range for the
    /// address's family. Host bits are cleared (`10.1.2.3/8` is `10.0.0.0/8`).
    public init?(address: IPAddress, prefixLength: Int) {
        switch address {
        case .v4(let value):
            guard (0...32).contains(prefixLength) else { return nil }
            network = .v4(value & Self.mask32(prefixLength))
        case .v6(let high, let low):
            guard (0...128).contains(prefixLength) else { return nil }
            let (highMask, lowMask) = Self.mask128(prefixLength)
            network = .v6(high: high & highMask, low: low & lowMask)
        }
        self.prefixLength = prefixLength
    }

    /// Parses `address/length`, or a bare address as a block of one (`/32`, `/128`). The address follows
    /// ``IPAddress/init(_:)`` but takes no `%zone`; the length is decimal without leading zeros. Host bits are
    /// cleared, as in ``init(address:prefixLength:)``.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard !text.contains("%"), let address = IPAddress(String(parts[0])) else { return nil }
        guard parts.count == 2 else {
            self.init(address: address, prefixLength: address.bitWidth)
            return
        }
        let digits = parts[1].utf8
        guard (1...3).contains(digits.count), digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            digits.count == 1 || digits.first != UInt8(ascii: "0"), let prefixLength = Int(parts[1])
        else { return nil }
        self.init(address: address, prefixLength: prefixLength)
    }

    /// Whether `address` is in the block. An IPv4 block holds no IPv6 address and the other way round, even
    /// IPv4-mapped ones: ``AddressPolicy`` maps those first.
    public func contains(_ address: IPAddress) -> Bool {
        switch (network, address) {
        case (.v4(let network), .v4(let value)):
            return value & Self.mask32(prefixLength) == network
        case (.v6(let networkHigh, let networkLow), .v6(let high, let low)):
            let (highMask, lowMask) = Self.mask128(prefixLength)
            return high & highMask == networkHigh && low & lowMask == networkLow
        default:
            return false
        }
    }

    private static func mask32(_ length: Int) -> UInt32 {
        length == 0 ? 0 : UInt32.max << (32 - length)
    }

    private static func mask128(_ length: Int) -> (high: UInt64, low: UInt64) {
        if length <= 64 { return (length == 0 ? 0 : UInt64.max << (64 - length), 0) }
        return (UInt64.max, UInt64.max << (128 - length))
    }
}

extension CIDR: CustomStringConvertible {
    /// `network/prefixLength`, the network in ``IPAddress/description``'s form.
    public var description: String { "\(network)/\(prefixLength)" }
}
