#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 literal and a port as the `sockaddr` that `bind` and `connect` take.
struct IPSocketAddress {
    private var storage = sockaddr_storage()
    let length: socklen_t
    let family: CInt

    /// `nil` when `host` is not an IP literal.
    init?(host: String, port: Int) {
        if host.contains(":") {
            var ipv6 = sockaddr_in6()
            ipv6.sin6_family = sa_family_t(AF_INET6)
            ipv6.sin6_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
            guard inet_pton(AF_INET6, host, &ipv6.sin6_addr) == 1 else { return nil }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            family = AF_INET6
            storage = Self.storage(of: ipv6)
        } else {
            var ipv4 = sockaddr_in()
            ipv4.sin_family = sa_family_t(AF_INET)
            ipv4.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
            guard inet_pton(AF_INET, host, &ipv4.sin_addr) == 1 else { return nil }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            family = AF_INET
            storage = Self.storage(of: ipv4)
        }
    }

    private static func storage<Address>(of address: Address) -> sockaddr_storage {
        var storage = sockaddr_storage()
        withUnsafeBytes(of: address) { bytes in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) } }
        return storage
    }

    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        withUnsafePointer(to: storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
