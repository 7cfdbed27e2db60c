import Testing

@testable import IntegrationsAPI

/// Literal addresses and CIDR blocks, as the trusted proxies list holds them.
@Suite struct IPAddressTests {
    @Test func anIPv4AddressIsItsMappedIPv6Address() throws {
        let plain = try #require(IPAddress("127.0.0.1"))
        let mapped = try #require(IPAddress("::ffff:127.0.0.1"))
        #expect(plain == mapped)
        #expect(plain.isIPv4)
        #expect(plain.bytes == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1])
        #expect(try #require(IPAddress("::1")).isIPv4 == false)
    }

    @Test(arguments: ["", "localhost", "127.0.0.1:80", "[::1]", "fe80::1%eth0", " 1.2.3.4", "1.2.3", "256.0.0.1", "1.2.3.4/8", "::g"])
    func anythingButALiteralAddressIsRefused(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func aBareAddressIsABlockOfOne() throws {
        let one = try #require(IPAddressRange("192.0.2.7"))
        #expect(one.contains(try #require(IPAddress("192.0.2.7"))))
        #expect(!one.contains(try #require(IPAddress("192.0.2.8"))))
        let v6 = try #require(IPAddressRange("2001:db8::1"))
        #expect(v6.contains(try #require(IPAddress("2001:db8::1"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db8::2"))))
    }

    @Test func prefixesNeedNotEndOnAByte() throws {
        let range = try #require(IPAddressRange("10.0.0.0/12"))
        #expect(range.contains(try #require(IPAddress("10.15.255.255"))))
        #expect(!range.contains(try #require(IPAddress("10.16.0.0"))))
    }

    @Test func hostBitsOfTheNetworkAreIgnored() throws {
        #expect(try #require(IPAddressRange("10.1.2.3/8")).contains(try #require(IPAddress("10.9.9.9"))))
    }

    @Test func theWholeIPv4SpaceHoldsNoIPv6Address() throws {
        let all = try #require(IPAddressRange("0.0.0.0/0"))
        #expect(all.contains(try #require(IPAddress("203.0.113.9"))))
        #expect(!all.contains(try #require(IPAddress("2001:db8::1"))))
        #expect(try #require(IPAddressRange("::/0")).contains(try #require(IPAddress("203.0.113.9"))))
    }

    @Test(arguments: ["10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/8/9", "/8", "example.com/8"])
    func aBadBlockIsRefused(text: String) {
        #expect(IPAddressRange(text) == nil)
    }

    @Test func aBlockIsDescribedAsWritten() throws {
        #expect(try #require(IPAddressRange("fd00::/8")).description == "fd00::/8")
    }
}
