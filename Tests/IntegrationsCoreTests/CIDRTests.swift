import IntegrationsCore
import Testing

@Suite struct CIDRTests {
    @Test func parsesBlocksOfEitherFamily() throws {
        let ten = try #require(CIDR("10.0.0.0/8"))
        #expect(ten.network == .v4(0x0a00_0000))
        #expect(ten.prefixLength == 8)
        let loopback = try #require(CIDR("::1/128"))
        #expect(loopback.network == .v6(high: 0, low: 1))
        #expect(loopback.prefixLength == 128)
        #expect(CIDR("0.0.0.0/0")?.prefixLength == 0)
        #expect(CIDR("::/0")?.prefixLength == 0)
    }

    @Test func aBareAddressIsABlockOfOne() {
        #expect(CIDR("127.0.0.2") == CIDR("127.0.0.2/32"))
        #expect(CIDR("::1") == CIDR("::1/128"))
        #expect(CIDR("127.0.0.2")?.description == "127.0.0.2/32")
    }

    @Test func hostBitsAreCleared() {
        #expect(CIDR("10.1.2.3/8") == CIDR("10.0.0.0/8"))
        #expect(CIDR("fe80::1/10")?.description == "fe80::/10")
        #expect(CIDR("172.31.0.1/12")?.description == "172.16.0.0/12")
    }

    @Test(arguments: [
        "", "/8", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/08", "10.0.0.0/8/8",
        "10.0.0.0 /8", "127.1/8", "fe80::1%eth0/64", "fe80::1%eth0", "localhost", "10.0.0.0/0008",
    ])
    func refusesMalformedBlocks(_ text: String) {
        #expect(CIDR(text) == nil)
    }

    @Test func containsExactlyItsAddresses() throws {
        let block = try #require(CIDR("172.16.0.0/12"))
        #expect(block.contains(.v4(0xac10_0000)))
        #expect(IPAddress("172.31.255.255").map(block.contains) == true)
        #expect(IPAddress("172.32.0.0").map(block.contains) == false)
        #expect(IPAddress("172.15.255.255").map(block.contains) == false)

        let ula = try #require(CIDR("fc00::/7"))
        #expect(IPAddress("fd00:ec2::254").map(ula.contains) == true)
        #expect(IPAddress("fe00::").map(ula.contains) == false)

        let any = try #require(CIDR("0.0.0.0/0"))
        #expect(any.contains(.v4(.max)))
        let one = try #require(CIDR("2001:db8::1/128"))
        #expect(IPAddress("2001:db8::1").map(one.contains) == true)
        #expect(IPAddress("2001:db8::2").map(one.contains) == false)
        let seventy = try #require(CIDR("2001:db8:0:0:ff00::/72"))
        #expect(IPAddress("2001:db8::ff12:0:0:1").map(seventy.contains) == true)
        #expect(IPAddress("2001:db8::fe00:0:0:1").map(seventy.contains) == false)
    }

    @Test func familiesDoNotMix() throws {
        let anyIPv4 = try #require(CIDR("0.0.0.0/0"))
        let anyIPv6 = try #require(CIDR("::/0"))
        #expect(IPAddress("::ffff:1.2.3.4").map(anyIPv4.contains) == false)
        #expect(!anyIPv6.contains(.v4(0x0102_0304)))
    }
}
