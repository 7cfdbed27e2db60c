import IntegrationsCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Turns a host name into the addresses a webhook call may connect to. The engine checks every address
/// against its policy and then connects to the one it checked, never resolving twice (DNS rebinding).
public protocol HostResolver: Sendable {
    func addresses(of host: String) async throws(AttemptResult.Failure) -> [IPAddress]
}

/// The system's resolver (`getaddrinfo`), run on NIO's blocking-I/O thread pool.
public struct SystemResolver: HostResolver {
    public init() {}

    public func addresses(of host: String) async throws(AttemptResult.Failure) -> [IPAddress] {
        let found: Result<[IPAddress], AttemptResult.Failure>
        do {
            found = try await NIOThreadPool.singleton.runIfActive { Self.lookUp(host) }
        } catch {
            throw AttemptResult.Failure(code: "EAI_AGAIN", message: "getaddrinfo EAI_AGAIN \(host)")
        }
        return try found.get()
    }

    static func lookUp(_ host: String) -> Result<[IPAddress], AttemptResult.Failure> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            return .failure(AttemptResult.Failure(code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND \(host)"))
        }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            if let address = text(of: current.pointee).flatMap(IPAddress.init), !addresses.contains(address) {
                addresses.append(address)
            }
            entry = current.pointee.ai_next
        }
        return .success(addresses)
    }

    /// An address of getaddrinfo's list as text (`inet_ntop`).
    private static func text(of info: addrinfo) -> String? {
        guard let socketAddress = info.ai_addr else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch info.ai_family {
        case AF_INET:
            return socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                var address = pointer.pointee.sin_addr
                return inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count)).map { String(cString: $0) }
            }
        case AF_INET6:
            return socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                var address = pointer.pointee.sin6_addr
                return inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)).map { String(cString: $0) }
            }
        default:
            return nil
        }
    }
}
