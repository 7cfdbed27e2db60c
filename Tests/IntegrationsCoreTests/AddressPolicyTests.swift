import IntegrationsCore
import Testing

@Suite struct AddressPolicyTests {
    private static let policy = AddressPolicy()

    /// The range an address is blocked in, as `name block`; `nil` when it is allowed.
    private static func blockedRange(_ text: String, policy: AddressPolicy = policy) throws -> String? {
        let address = try #require(IPAddress(text))
        switch policy.verdict(for: address) {
        case .allowed: return nil
        case .blocked(let range): return "\(range.name) \(range.block)"
        }
    }

    @Test(arguments: [
        ("10.0.0.1", "private 10.0.0.0/8"),
        ("172.16.0.1", "private 172.16.0.0/12"),
        ("172.31.255.255", "private 172.16.0.0/12"),
        ("192.168.1.1", "private 192.168.0.0/16"),
        ("169.254.169.254", "cloud metadata 169.254.169.254/32"),
        ("169.254.1.1", "link-local 169.254.0.0/16"),
        ("100.64.0.1", "carrier-grade NAT 100.64.0.0/10"),
        ("127.0.0.1", "loopback 127.0.0.0/8"),
        ("0.0.0.0", "unspecified 0.0.0.0/8"),
        ("255.255.255.255", "broadcast 255.255.255.255/32"),
        ("240.0.0.1", "reserved 240.0.0.0/4"),
        ("224.0.0.251", "multicast 224.0.0.0/4"),
        ("192.0.0.8", "IETF protocol assignments 192.0.0.0/24"),
        ("192.0.2.1", "documentation 192.0.2.0/24"),
        ("192.88.99.1", "6to4 relay anycast 192.88.99.0/24"),
        ("198.19.255.255", "benchmarking 198.18.0.0/15"),
        ("198.51.100.7", "documentation 198.51.100.0/24"),
        ("203.0.113.9", "documentation 203.0.113.0/24"),
        ("::", "unspecified ::/128"),
        ("::1", "loopback ::1/128"),
        ("fd00:ec2::254", "cloud metadata fd00:ec2::254/128"),
        ("fd12:3456::1", "private fc00::/7"),
        ("fe80::1", "link-local fe80::/10"),
        ("fe80::1%eth0", "link-local fe80::/10"),
        ("ff02::1", "multicast ff00::/8"),
        ("2001:db8::1", "documentation 2001:db8::/32"),
        ("100::1", "discard-only 100::/64"),
    ])
    func blocksSpecialPurposeAddresses(_ text: String, _ range: String) throws {
        #expect(try Self.blockedRange(text) == range)
    }

    /// IPv6 forms that reach an IPv4 address are judged as that address.
    @Test(arguments: [
        ("::ffff:10.0.0.1", "private 10.0.0.0/8"),
        ("::ffff:127.0.0.1", "loopback 127.0.0.0/8"),
        ("::ffff:7f00:1", "loopback 127.0.0.0/8"),
        ("::127.0.0.1", "loopback 127.0.0.0/8"),
        ("64:ff9b::a9fe:a9fe", "cloud metadata 169.254.169.254/32"),
        ("64:ff9b::10.0.0.1", "private 10.0.0.0/8"),
        ("2002:0a00:0001::", "private 10.0.0.0/8"),
        ("2002:a9fe:a9fe:1:2:3:4:5", "cloud metadata 169.254.169.254/32"),
    ])
    func blocksIPv4RangesThroughIPv6(_ text: String, _ range: String) throws {
        #expect(try Self.blockedRange(text) == range)
    }

    @Test(arguments: [
        "8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1", "169.255.0.1", "192.169.0.1", "11.0.0.1",
        "2606:4700:4700::1111", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::",
        "100:0:0:1::",
    ])
    func allowsPublicAddresses(_ text: String) throws {
        #expect(try Self.blockedRange(text) == nil)
    }

    @Test func canonicalFormsNameTheEmbeddedIPv4Address() {
        #expect(IPAddress("::ffff:10.0.0.1").map(AddressPolicy.canonical) == IPAddress("10.0.0.1"))
        #expect(IPAddress("::10.0.0.1").map(AddressPolicy.canonical) == IPAddress("10.0.0.1"))
        #expect(IPAddress("64:ff9b::a9fe:a9fe").map(AddressPolicy.canonical) == IPAddress("169.254.169.254"))
        #expect(IPAddress("2002:0a00:0001::").map(AddressPolicy.canonical) == IPAddress("10.0.0.1"))
        // `::` and `::1` are IPv6's own unspecified and loopback addresses.
        #expect(IPAddress("::").map(AddressPolicy.canonical) == IPAddress("::"))
        #expect(IPAddress("::1").map(AddressPolicy.canonical) == IPAddress("::1"))
        #expect(IPAddress("64:ff9b:1::a00:1").map(AddressPolicy.canonical) == IPAddress("64:ff9b:1::a00:1"))
        #expect(IPAddress("10.0.0.1").map(AddressPolicy.canonical) == IPAddress("10.0.0.1"))
    }

    @Test func anAllowedBlockAdmitsOnlyItsAddresses() throws {
        let policy = AddressPolicy(allowed: try AddressPolicy.parseAllowList("127.0.0.2/32"))
        #expect(try Self.blockedRange("127.0.0.2", policy: policy) == nil)
        #expect(try Self.blockedRange("::ffff:127.0.0.2", policy: policy) == nil)
        #expect(try Self.blockedRange("127.0.0.3", policy: policy) == "loopback 127.0.0.0/8")
        #expect(try Self.blockedRange("127.0.0.1", policy: policy) == "loopback 127.0.0.0/8")
        #expect(try Self.blockedRange("8.8.8.8", policy: policy) == nil)
    }

    @Test func anAllowedIPv6BlockAdmitsIPv6Addresses() throws {
        let policy = AddressPolicy(allowed: try AddressPolicy.parseAllowList("fd00:1234::/32"))
        #expect(try Self.blockedRange("fd00:1234::5", policy: policy) == nil)
        #expect(try Self.blockedRange("fd00:1235::5", policy: policy) == "private fc00::/7")
    }

    @Test func messagesNameTheAddressAndTheRange() throws {
        func message(_ text: String) throws -> String? {
            let address = try #require(IPAddress(text))
            guard case .blocked(let range) = Self.policy.verdict(for: address) else { return nil }
            return range.message(for: address)
        }
        #expect(try message("10.0.0.1") == "address 10.0.0.1 is in a private range (10.0.0.0/8)")
        #expect(try message("::ffff:10.0.0.1") == "address ::ffff:10.0.0.1 is in a private range (10.0.0.0/8)")
        #expect(try message("0.0.0.0") == "address 0.0.0.0 is in an unspecified range (0.0.0.0/8)")
        #expect(try message("fd00:ec2::254") == "address fd00:ec2::254 is in a cloud metadata range (fd00:ec2::254/128)")
        #expect(try message("8.8.8.8") == nil)
    }

    @Test func everyBlockedRangeIsPresent() {
        #expect(AddressPolicy.blockedRanges.count == 25)
        #expect(Set(AddressPolicy.blockedRanges.map(\.block)).count == 25)
    }

    @Test func parsesAllowListsSeparatedByCommasOrWhiteSpace() throws {
        let blocks = try AddressPolicy.parseAllowList(" 127.0.0.2, 10.1.0.0/16 ::1\n\t192.168.0.5/32,,")
        #expect(blocks.map(\.description) == ["127.0.0.2/32", "10.1.0.0/16", "::1/128", "192.168.0.5/32"])
        #expect(try AddressPolicy.parseAllowList("").isEmpty)
        #expect(try AddressPolicy.parseAllowList(" , ").isEmpty)
    }

    @Test func allowListErrorsNameTheBadEntry() {
        #expect(throws: AllowListError(entry: "127.1")) { try AddressPolicy.parseAllowList("10.0.0.0/8, 127.1") }
        #expect(throws: AllowListError(entry: "localhost")) { try AddressPolicy.parseAllowList("localhost") }
        #expect(throws: AllowListError(entry: "10.0.0.0/33")) { try AddressPolicy.parseAllowList("::1 10.0.0.0/33") }
        #expect(AllowListError(entry: "127.1").description.contains("\"127.1\""))
    }
}
