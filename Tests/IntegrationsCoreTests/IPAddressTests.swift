import IntegrationsCore
import Testing

@Suite struct IPAddressTests {
    @Test func parsesDottedQuads() {
        #expect(IPAddress("127.0.0.1") == .v4(0x7f00_0001))
        #expect(IPAddress("0.0.0.0") == .v4(0))
        #expect(IPAddress("255.255.255.255") == .v4(.max))
        #expect(IPAddress("10.200.3.40") == .v4(0x0ac8_0328))
    }

    /// `inet_aton` reads these as addresses (127.0.0.1, 127.0.0.1, 8.0.0.1); a URL's host must not.
    @Test(arguments: [
        "127.1", "0x7f.0.0.1", "010.0.0.1", "1.2.3.256", "1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3", "",
        " 1.2.3.4", "1.2.3.4 ", "+1.2.3.4", "1.2.3.-4", "2130706433", "1.2.3.4%eth0", "0000.0.0.1", "localhost",
    ])
    func refusesAnythingButStrictDottedQuads(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func parsesIPv6Text() {
        #expect(IPAddress("::") == .v6(high: 0, low: 0))
        #expect(IPAddress("::1") == .v6(high: 0, low: 1))
        #expect(IPAddress("1::") == .v6(high: 0x0001_0000_0000_0000, low: 0))
        #expect(IPAddress("2001:db8:0:0:0:0:2:1") == .v6(high: 0x2001_0db8_0000_0000, low: 0x0000_0000_0002_0001))
        #expect(IPAddress("2001:DB8::2:1") == IPAddress("2001:db8:0:0:0:0:2:1"))
        #expect(IPAddress("1:2:3:4:5:6:7:8") == .v6(high: 0x0001_0002_0003_0004, low: 0x0005_0006_0007_0008))
        #expect(IPAddress("1:2:3:4:5:6:7::") == .v6(high: 0x0001_0002_0003_0004, low: 0x0005_0006_0007_0000))
        #expect(IPAddress("::2:3:4:5:6:7:8") == .v6(high: 0x0000_0002_0003_0004, low: 0x0005_0006_0007_0008))
        #expect(IPAddress("fe80::1:0:0:1") == .v6(high: 0xfe80_0000_0000_0000, low: 0x0001_0000_0000_0001))
        #expect(IPAddress("0000:0000:0000:0000:0000:0000:0000:0001") == IPAddress("::1"))
    }

    @Test func parsesAnEmbeddedIPv4Tail() {
        #expect(IPAddress("::ffff:1.2.3.4") == .v6(high: 0, low: 0x0000_ffff_0102_0304))
        #expect(IPAddress("::1.2.3.4") == .v6(high: 0, low: 0x0102_0304))
        #expect(IPAddress("64:ff9b::169.254.169.254") == IPAddress("64:ff9b::a9fe:a9fe"))
        #expect(IPAddress("1:2:3:4:5:6:1.2.3.4") == .v6(high: 0x0001_0002_0003_0004, low: 0x0005_0006_0102_0304))
    }

    /// A zone names the interface that reaches a scoped address; it is not part of the address.
    @Test func dropsAZone() {
        #expect(IPAddress("fe80::1%eth0") == IPAddress("fe80::1"))
        #expect(IPAddress("fe80::1%2") == IPAddress("fe80::1"))
        #expect(IPAddress("fe80::1%") == nil)
        #expect(IPAddress("fe80::1%eth 0") == nil)
        #expect(IPAddress("fe80::1%eth0%1") == nil)
    }

    @Test(arguments: [
        "::1::", "1:2:3:4:5:6:7:8:9", "", ":", ":::", "1:::2", ":1::", "::1:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::",
        "::1:2:3:4:5:6:7:8", "12345::", "g::", "::ffff:1.2.3", "::ffff:1.2.3.256", "::1.2.3.4:5", "1.2.3.4::",
        "::ffff:01.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "[::1]", " ::1", "::1 ", "::-1",
    ])
    func refusesMalformedIPv6(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func describesIPv6Canonically() {
        #expect(IPAddress.v6(high: 0, low: 0).description == "::")
        #expect(IPAddress.v6(high: 0, low: 1).description == "::1")
        #expect(IPAddress("2001:0DB8:0:0:0:0:2:1")?.description == "2001:db8::2:1")
        #expect(IPAddress("2001:db8:0:1:1:1:1:1")?.description == "2001:db8:0:1:1:1:1:1")
        #expect(IPAddress("2001:0:0:1:0:0:0:1")?.description == "2001:0:0:1::1")
        #expect(IPAddress("2001:db8:0:0:1:0:0:1")?.description == "2001:db8::1:0:0:1")
        #expect(IPAddress("1::")?.description == "1::")
        #expect(IPAddress("::ffff:a00:1")?.description == "::ffff:10.0.0.1")
        #expect(IPAddress("fd00:ec2::254")?.description == "fd00:ec2::254")
        #expect(IPAddress("192.168.1.1")?.description == "192.168.1.1")
    }

    @Test func descriptionsParseBackToTheSameAddress() {
        let texts = ["::", "::1", "1::", "2606:4700:4700::1111", "::ffff:127.0.0.1", "64:ff9b::a9fe:a9fe", "1:2:3:4:5:6:7:8", "8.8.8.8"]
        for text in texts {
            let address = IPAddress(text)
            #expect(address.flatMap { IPAddress($0.description) } == address, "\(text)")
        }
    }
}
