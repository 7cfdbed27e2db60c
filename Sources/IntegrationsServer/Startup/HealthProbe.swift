import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// `integrations healthcheck`: one `GET /readyz` to the service on this machine, for a container's
/// `HEALTHCHECK` (the runtime image has no curl). Plain blocking sockets: it runs alone, for a moment.
public enum HealthProbe {
    /// Whether `GET path` on `host:port` answers 200 within `timeoutSeconds`.
    public static func isHealthy(host: String, port: Int, path: String = "/readyz", timeoutSeconds: Int = 3) -> Bool {
        guard let address = SocketAddress(ipLiteral: host, port: port) else { return false }
        let descriptor = socket(address.protocol.rawValue, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = address.withSockAddr { connect(descriptor, $0, socklen_t($1)) }
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
