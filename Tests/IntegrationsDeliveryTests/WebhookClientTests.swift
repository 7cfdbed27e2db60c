import Foundation
import IntegrationsCore
import Logging
import Synchronization
import Testing

@testable import IntegrationsDelivery

/// The webhook client's decisions that need no socket: the address policy before any connection, and the
/// parsing of what a reply says.
@Suite struct WebhookClientTests {
    /// A resolver that answers from a table and counts its lookups.
    struct TableResolver: HostResolver {
        let table: [String: [String]]

        func addresses(of host: String) async throws(AttemptResult.Failure) -> [IPAddress] {
            guard let addresses = table[host] else { throw AttemptResult.Failure(code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND \(host)") }
            return addresses.compactMap { IPAddress($0) }
        }
    }

    static func client(_ table: [String: [String]] = [:], allowed: [String] = [], onlyAllowed: Bool = false) -> WebhookClient {
        var settings = DeliverySettings()
        settings.addressPolicy = AddressPolicy(allowed: allowed.compactMap { CIDR($0) })
        settings.onlyAllowedAddresses = onlyAllowed
        return WebhookClient(settings: settings, resolver: TableResolver(table: table), logger: Logger(label: "tests"))
    }

    /// The refusal of `url` by the client's checks, which run before any connection: asking for the target
    /// never connects, so a regression of the policy cannot make these tests dial the addresses they name.
    static func refusal(_ client: WebhookClient, _ url: String) async -> AttemptResult.Failure? {
        do {
            _ = try await client.target(of: url)
            return nil
        } catch {
            return error
        }
    }

    // Literal addresses in data only: every one of these is refused before a connection is attempted.
    @Test(arguments: [
        ("http://10.0.0.1/hook", "private"),
        ("http://169.254.169.254/latest/meta-data", "cloud metadata"),
        ("http://[::ffff:192.168.1.1]:8080/", "private"),
        ("https://100.64.0.1/", "carrier-grade NAT"),
        ("http://127.0.0.1:9/", "loopback"),
        ("http://[::1]/", "loopback"),
    ])
    func blockedAddressesAreRefusedBeforeConnecting(url: String, range: String) async throws {
        let client = Self.client()
        let failure = try #require(await Self.refusal(client, url))
        #expect(failure.code == "ERR_ADDRESS_REFUSED")
        #expect(failure.message.contains(range), "\(failure.message)")
        await client.shutdown()
    }

    @Test func aNameIsRefusedWhenAnyOfItsAddressesIs() async throws {
        let client = Self.client(["internal.example": ["10.1.2.3"], "mixed.example": ["203.0.113.9", "10.0.0.7"]], allowed: ["203.0.113.0/24"])
        for url in ["http://internal.example/", "http://mixed.example/"] {
            let failure = try #require(await Self.refusal(client, url))
            #expect(failure.code == "ERR_ADDRESS_REFUSED", "\(url)")
            #expect(failure.message.contains("10."), "\(failure.message)")
        }
        let unknown = try #require(await Self.refusal(client, "http://nowhere.example/"))
        #expect(unknown.code == "ENOTFOUND")
        await client.shutdown()
    }

    @Test func onlyAllowedAddressesRefusesPublicOnes() async throws {
        let client = Self.client(allowed: ["127.0.0.2/32"], onlyAllowed: true)
        let failure = try #require(await Self.refusal(client, "http://8.8.8.8/"))
        #expect(failure.message.contains("not in OUTGOING_ALLOWED_CIDRS"))
        await client.shutdown()
    }

    @Test(arguments: ["ftp://127.0.0.2/", "not a url", "http:///path", "/relative"])
    func urlsThatAreNotHttpAreRefused(url: String) async throws {
        let client = Self.client()
        #expect(await Self.refusal(client, url)?.code == "ERR_INVALID_URL")
        await client.shutdown()
    }

    @Test func retryAfterIsSecondsOrAnHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(WebhookClient.retryAfter("120", now: now) == .seconds(120))
        #expect(WebhookClient.retryAfter(" 3 ", now: now) == .seconds(3))
        #expect(WebhookClient.retryAfter("Tue, 14 Nov 2023 22:13:27 GMT", now: now) == .seconds(7))
        #expect(WebhookClient.retryAfter("Tue, 14 Nov 2023 22:00:00 GMT", now: now) == .zero)
        #expect(WebhookClient.retryAfter("-1", now: now) == nil)
        #expect(WebhookClient.retryAfter("soon", now: now) == nil)
    }

    /// Answers one address for the first lookup of a name and another for every later one (DNS rebinding).
    final class RebindingResolver: HostResolver, Sendable {
        let lookups = Mutex(0)

        func addresses(of host: String) async throws(AttemptResult.Failure) -> [IPAddress] {
            let count = lookups.withLock { count in
                count += 1
                return count
            }
            return [IPAddress(count == 1 ? "127.0.0.2" : "127.0.0.3")].compactMap { $0 }
        }
    }

    @Test func aNameIsResolvedOncePerCallAndTheConnectionPinnedToTheAddressChecked() async throws {
        var settings = DeliverySettings()
        settings.addressPolicy = AddressPolicy(allowed: [CIDR("127.0.0.2/32")].compactMap { $0 })
        let resolver = RebindingResolver()
        let client = WebhookClient(settings: settings, resolver: resolver, logger: Logger(label: "tests"))
        let first = try await client.target(of: "http://rebind.example:8080/hook")
        #expect(first == .host("rebind.example", pinnedTo: try #require(IPAddress("127.0.0.2"))))
        #expect(resolver.lookups.withLock { $0 } == 1)
        // The rebound answer is checked in its turn, and refused; nothing ever connects to it.
        await #expect(throws: AttemptResult.Failure.self) { try await client.target(of: "http://rebind.example:8080/hook") }
        #expect(resolver.lookups.withLock { $0 } == 2)
        await client.shutdown()
    }
}
