/// Which addresses an outgoing webhook may connect to: none of the loopback, private, link-local, cloud
/// metadata and other special-purpose ranges (Svix's blocked set), unless an ``allowed`` block admits them.
///
/// It judges literal addresses only; the caller judges every address a host name resolves to, and the one it
/// then connects to.
public struct AddressPolicy: Sendable, Equatable {
    /// Blocks whose addresses are allowed even inside a blocked range, as self-hosters admit a service on the
    /// same machine (`127.0.0.2/32`).
    public var allowed: [CIDR]

    public init(allowed: [CIDR] = []) {
        self.allowed = allowed
    }

    /// Whether the service may connect to `address`.
    ///
    /// IPv6 forms that reach an IPv4 address are judged as that address (see ``canonical(_:)``), so
    /// `::ffff:127.0.0.1` is loopback. An ``allowed`` block matching either form admits the address.
    public func verdict(for address: IPAddress) -> Verdict {
        let canonical = Self.canonical(address)
        if allowed.contains(where: { $0.contains(address) || $0.contains(canonical) }) { return .allowed }
        guard let range = Self.blockedRanges.first(where: { $0.block.contains(canonical) }) else { return .allowed }
        return .blocked(range)
    }

    /// The IPv4 address an IPv6 address embeds, when it has one a connection could reach: IPv4-mapped
    /// (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`, except `::` and `::1`), NAT64's well-known prefix
    /// (`64:ff9b::a.b.c.d`) and 6to4 (`2002:AABB:CCDD::/48` for `AA.BB.CC.DD`). Any other address is itself.
    public static func canonical(_ address: IPAddress) -> IPAddress {
        guard case .v6(let high, let low) = address else { return address }
        let lowIPv4 = IPAddress.v4(UInt32(truncatingIfNeeded: low))
        switch (high, low >> 32) {
        case (0, 0xffff): return lowIPv4
        case (0, 0) where low > 1: return lowIPv4
        case (0x0064_ff9b_0000_0000, 0): return lowIPv4
        case _ where high >> 48 == 0x2002: return .v4(UInt32(truncatingIfNeeded: high >> 16))
        default: return address
        }
    }

    /// The allow-list of a setting's text: addresses and CIDR blocks separated by commas or white space, in
    /// any mix (`127.0.0.2, 10.1.0.0/16 ::1`). Empty text is an empty list.
    public static func parseAllowList(_ text: String) throws(AllowListError) -> [CIDR] {
        let entries = text.split { $0 == "," || $0.isWhitespace }
        var blocks: [CIDR] = []
        for entry in entries {
            guard let block = CIDR(String(entry)) else { throw AllowListError(entry: String(entry)) }
            blocks.append(block)
        }
        return blocks
    }
}

extension AddressPolicy {
    /// A policy's answer for one address.
    public enum Verdict: Sendable, Equatable {
        case allowed
        /// The address is in this range (for an IPv6 address embedding an IPv4 one, the IPv4 range).
        case blocked(BlockedRange)
    }

    /// A special-purpose block a webhook may not reach, and what it is for.
    public struct BlockedRange: Sendable, Hashable {
        /// What the range is, for messages: `private`, `loopback`, `cloud metadata`.
        public let name: String
        public let block: CIDR

        /// Why `address` is refused: `address 10.0.0.1 is in a private range (10.0.0.0/8)`.
        public func message(for address: IPAddress) -> String {
            let article = name.first.map { "aeiouAEIOU".contains($0) } == true ? "an" : "a"
            return "address \(address) is in \(article) \(name) range (\(block))"
        }
    }

    /// Svix's blocked set, the most specific first so that a message names, say, cloud metadata rather than
    /// link-local.
    public static let blockedRanges: [BlockedRange] = [
        ("unspecified", "0.0.0.0/8"),
        ("private", "10.0.0.0/8"),
        ("carrier-grade NAT", "100.64.0.0/10"),
        ("loopback", "127.0.0.0/8"),
        ("cloud metadata", "169.254.169.254/32"),
        ("link-local", "169.254.0.0/16"),
        ("private", "172.16.0.0/12"),
        ("IETF protocol assignments", "192.0.0.0/24"),
        ("documentation", "192.0.2.0/24"),
        ("6to4 relay anycast", "192.88.99.0/24"),
        ("private", "192.168.0.0/16"),
        ("benchmarking", "198.18.0.0/15"),
        ("documentation", "198.51.100.0/24"),
        ("documentation", "203.0.113.0/24"),
        ("multicast", "224.0.0.0/4"),
        ("broadcast", "255.255.255.255/32"),
        ("reserved", "240.0.0.0/4"),
        ("unspecified", "::/128"),
        ("loopback", "::1/128"),
        ("discard-only", "100::/64"),
        ("documentation", "2001:db8::/32"),
        ("cloud metadata", "fd00:ec2::254/128"),
        // Unique local addresses (RFC 4193), IPv6's private networks.
        ("private", "fc00::/7"),
        ("link-local", "fe80::/10"),
        ("multicast", "ff00::/8"),
    ].compactMap { name, block in CIDR(block).map { BlockedRange(name: name, block: $0) } }
}
