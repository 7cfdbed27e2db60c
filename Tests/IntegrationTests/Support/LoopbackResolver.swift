import IntegrationsCore
import IntegrationsDelivery

/// A resolver for tests that never asks DNS: `localhost` is 127.0.0.1, and a name in ``names`` is what it maps
/// to; every other name does not exist. Tests may send traffic only to loopback.
struct LoopbackResolver: HostResolver {
    func addresses(of host: String) async throws(AttemptResult.Failure) -> [IPAddress] {
        if host == "localhost", let address = IPAddress("127.0.0.1") { return [address] }
        throw AttemptResult.Failure(code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND \(host)")
    }
}
