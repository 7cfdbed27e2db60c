/// An IPv4 or IPv6 address, as a number: what a webhook URL's host or a resolver's answer names, before
/// ``AddressPolicy`` decides whether the service may connect to it.
public enum IPAddress: Sendable, Hashable {
    /// An IPv4 address, the first octet in the high byte.
    case v4(UInt32)
    /// An IPv6 address: its first eight bytes in `high`, the last eight in `low`, both big-endian in meaning
    /// (`::1` is `high: 0, low: 1`).
    case v6(high: UInt64, low: UInt64)

    /// Parses an address literal, IPv4 or IPv6; `nil` for anything else, host names included.
    ///
    /// IPv4 is strict dotted-quad: four decimal numbers 0–255 without leading zeros, so `127.1`,
    /// `0x7f.0.0.1` and `010.0.0.1` (which `inet_aton` reads as other addresses) are not addresses. IPv6 is
    /// RFC 4291 text: hex groups of one to four digits, at most one `::`, optionally a dotted IPv4 tail
    /// (`::ffff:1.2.3.4`). An IPv6 `%zone` suffix (`fe80::1%eth0`) is accepted and dropped: a zone only says
    /// which interface reaches a scoped address, and the address is what a policy judges.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        if bytes.contains(UInt8(ascii: ":")) {
            var address = bytes[...]
            if let percent = bytes.firstIndex(of: UInt8(ascii: "%")) {
                guard Self.isZone(bytes[(percent + 1)...]) else { return nil }
                address = bytes[..<percent]
            }
            guard let (high, low) = Self.parseIPv6(address) else { return nil }
            self = .v6(high: high, low: low)
        } else {
            guard let value = Self.parseIPv4(bytes[...]) else { return nil }
            self = .v4(value)
        }
    }

    /// 32 for IPv4, 128 for IPv6.
    /// The IPv4 address of an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, as dual-stack sockets report IPv4
    /// peers); any other address is itself.
    public var unmapped: IPAddress {
        if case .v6(0, let low) = self, low >> 32 == 0xffff { return .v4(UInt32(truncatingIfNeeded: low)) }
        return self
    }

    public var bitWidth: Int {
        switch self {
        case .v4: 32
        case .v6: 128
        }
    }

    /// Strict dotted-quad.
    private static func parseIPv4(_ text: ArraySlice<UInt8>) -> UInt32? {
        let parts = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(Self.isDecimalDigit) else { return nil }
            guard part.count == 1 || part.first != UInt8(ascii: "0") else { return nil }
            let octet = part.reduce(0) { $0 * 10 + UInt32($1 - UInt8(ascii: "0")) }
            guard octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    /// RFC 4291 §2.2 text, without a zone.
    private static func parseIPv6(_ text: ArraySlice<UInt8>) -> (high: UInt64, low: UInt64)? {
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var compressed = false
        var index = text.startIndex
        let colon = UInt8(ascii: ":")

        if text.starts(with: [colon, colon]) {
            compressed = true
            index += 2
        }
        // Groups follow, each but the last followed by `:` (or by the `::` that splits head from tail).
        while index < text.endIndex {
            let groupStart = index
            while index < text.endIndex, Hex.value(of: text[index]) != nil { index += 1 }
            if index < text.endIndex, text[index] == UInt8(ascii: ".") {
                // A dotted IPv4 tail stands for the last two groups and ends the address.
                guard let value = parseIPv4(text[groupStart...]) else { return nil }
                let groups = [UInt16(truncatingIfNeeded: value >> 16), UInt16(truncatingIfNeeded: value)]
                if compressed { tail += groups } else { head += groups }
                index = text.endIndex
                break
            }
            let digits = text[groupStart..<index]
            guard (1...4).contains(digits.count) else { return nil }
            let group = digits.reduce(UInt16(0)) { $0 << 4 | UInt16(Hex.value(of: $1) ?? 0) }
            if compressed { tail.append(group) } else { head.append(group) }
            guard index < text.endIndex else { break }
            guard text[index] == colon else { return nil }
            index += 1
            if index < text.endIndex, text[index] == colon {
                guard !compressed else { return nil }
                compressed = true
                index += 1
            } else if index == text.endIndex {
                // A single trailing colon.
                return nil
            }
        }

        let count = head.count + tail.count
        guard compressed ? count <= 7 : count == 8 else { return nil }
        let groups = head + [UInt16](repeating: 0, count: 8 - count) + tail
        let high = groups[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        let low = groups[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        return (high, low)
    }

    /// RFC 6874's characters for a zone in a URL: letters, digits and `-._~`, at least one.
    private static func isZone(_ text: ArraySlice<UInt8>) -> Bool {
        !text.isEmpty && text.allSatisfy { isDecimalDigit($0) || isLetter($0) || "-._~".utf8.contains($0) }
    }

    private static func isDecimalDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }
}

extension IPAddress: CustomStringConvertible {
    /// Dotted-quad for IPv4; RFC 5952's canonical text for IPv6 (lowercase, no leading zeros, the longest run of
    /// two or more zero groups as `::`), with a dotted tail for IPv4-mapped addresses (`::ffff:10.0.0.1`).
    public var description: String {
        switch self {
        case .v4(let value):
            return Self.dottedQuad(value)
        case .v6(0, let low) where low >> 32 == 0xffff:
            return "::ffff:" + Self.dottedQuad(UInt32(truncatingIfNeeded: low))
        case .v6(let high, let low):
            let groups = (0..<8).map { index in
                UInt16(truncatingIfNeeded: (index < 4 ? high : low) >> (48 - 16 * UInt64(index % 4)))
            }
            // The longest run of zero groups, the first of equals; a single zero group stays `0`.
            var best: Range<Int> = 0..<0
            var start = 0
            while start < 8 {
                guard groups[start] == 0 else {
                    start += 1
                    continue
                }
                var end = start
                while end < 8, groups[end] == 0 { end += 1 }
                if end - start > best.count { best = start..<end }
                start = end
            }
            let hex = groups.map { String($0, radix: 16) }
            guard best.count >= 2 else { return hex.joined(separator: ":") }
            return hex[..<best.lowerBound].joined(separator: ":") + "::" + hex[best.upperBound...].joined(separator: ":")
        }
    }

    private static func dottedQuad(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
    }
}
