#if canImport(Glibc)
import Glibc
#endif

/// `integrations healthcheck`: one `GET /readyz` to the service on this machine, for a container's
/// `HEALTHCHECK` (the runtime image has no curl). Plain blocking sockets: it runs alone, for a moment.
public enum HealthProbe {
    /// Whether `GET path` on `host:port` answers 200 within `timeoutSeconds`.
    public static func isHealthy(host: String, port: Int, path: String = "/readyz", timeoutSeconds: Int = 3) -> Bool {
        let isIPv6 = host.contains(":")
        let family: CInt = isIPv6 ? AF_INET6 : AF_INET
        let descriptor = socket(family, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected: CInt
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { return false }
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return false }
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard connected == 0 else { return false }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
        guard write(descriptor, request, request.count) == request.count else { return false }
        var buffer = [UInt8](repeating: 0, count: 64)
        var received = [UInt8]()
        while received.count < 12 {
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else { break }
            received += buffer[0..<count]
        }
        return received.starts(with: Array("HTTP/1.1 200".utf8))
    }

    /// The address to probe for a bind address: loopback when the service listens on every interface.
    public static func probeAddress(forBindIP bindIP: String) -> String {
        switch bindIP {
        case "0.0.0.0": "127.0.0.1"
        case "::": "::1"
        default: bindIP
        }
    }
}

