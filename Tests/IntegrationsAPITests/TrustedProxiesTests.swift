import IntegrationsAPI
import IntegrationsCore
import Testing

/// Which address is the client's, given the TCP peer and what proxies claim (nginx's realip rules).
@Suite struct TrustedProxiesTests {
    let proxies = try! TrustedProxies.parse("127.0.0.1, 10.0.0.0/8, fd00::/8").get()

    @Test func aPeerThatIsNoProxyIsTheClientWhateverItsHeadersSay() {
        #expect(proxies.clientAddress(peer: "203.0.113.9", forwardedFor: ["1.2.3.4"], realIP: "5.6.7.8") == "203.0.113.9")
    }

    @Test func theRightmostUntrustedForwardedAddressIsTheClient() {
        // A client that sends its own X-Forwarded-For: nginx appends the address it saw, which wins.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["6.6.6.6, 198.51.100.7"], realIP: nil) == "198.51.100.7")
        // Through two trusted proxies.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["198.51.100.7, 10.1.2.3"], realIP: nil) == "198.51.100.7")
        // Several header lines count as one list.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["198.51.100.7", "10.1.2.3"], realIP: nil) == "198.51.100.7")
    }

    @Test func malformedEntriesStopTheWalk() {
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["garbage, 10.1.2.3"], realIP: nil) == "10.1.2.3")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["not-an-ip"], realIP: nil) == "127.0.0.1")
    }

    @Test func realIPCountsOnlyWithoutForwardedFor() {
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: [], realIP: "198.51.100.7") == "198.51.100.7")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: [], realIP: "bogus") == "127.0.0.1")
    }

    @Test func rangesMatchIPv4IPv6AndMappedAddresses() throws {
        let range = try #require(CIDR("10.0.0.0/8"))
        #expect(range.contains(try #require(IPAddress("10.200.3.4"))))
        #expect(range.contains(try #require(IPAddress("::ffff:10.1.1.1")).unmapped))
        #expect(!range.contains(try #require(IPAddress("11.0.0.1"))))
        let v6 = try #require(CIDR("fd00::/8"))
        #expect(v6.contains(try #require(IPAddress("fd12::1"))))
        #expect(!v6.contains(try #require(IPAddress("fe80::1"))))
        #expect(CIDR("10.0.0.0/33") == nil)
        #expect(CIDR("example.com") == nil)
        #expect(TrustedProxies.loopback.trusts(try #require(IPAddress("::1"))))
        #expect(TrustedProxies.loopback.trusts(try #require(IPAddress("127.8.9.10"))))
    }

    @Test func aBadListNamesItsEntry() {
        guard case .failure(let error) = TrustedProxies.parse("127.0.0.1, 10.0.0.0/99") else {
            Issue.record("accepted a bad list")
            return
        }
        #expect(error.entry == "10.0.0.0/99")
    }
}
