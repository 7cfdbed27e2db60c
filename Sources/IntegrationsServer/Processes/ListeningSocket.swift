import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// The one TCP listening socket of the service, opened by the supervisor and inherited by every worker.
/// The supervisor owns the descriptor and closes it when it stops or moves to another address.
///
/// One shared accept queue instead of a socket per worker with `SO_REUSEPORT`: a connection the kernel has
/// queued is never lost when a worker dies or drains, because the queue outlives any one worker (with
/// `SO_REUSEPORT` each worker owns a queue, and the connections waiting in it are reset when it closes).
/// That is what makes a rolling restart lose nothing. It also keeps another process of the same user from
/// joining the port.
public struct ListeningSocket: Sendable {
    /// The accept queue's length (capped by `net.core.somaxconn`).
    public static let defaultBacklog: Int32 = 1024

    /// The socket's descriptor (close-on-exec; a worker receives it as descriptor 3).
    public let descriptor: CInt
    /// The bound port (the chosen one when the configuration says 0).
    public let port: Int

    /// A failure to open the socket, with the system's reason.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// A socket inherited from the supervisor, already bound and listening.
    public init(inherited descriptor: CInt) {
        self.descriptor = descriptor
        self.port = Self.boundPort(descriptor) ?? 0
    }

    /// Binds `host` (an IPv4 or IPv6 literal) and `port`, and starts listening.
    public init(host: String, port: Int, backlog: Int32 = defaultBacklog) throws(Failure) {
        guard let address = SocketAddress(ipLiteral: host, port: port) else {
            throw Failure(description: "\(host) is not an IPv4 or IPv6 address")
        }
        let descriptor = socket(address.protocol.rawValue, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "cannot create a socket: \(Self.lastError)") }
        var one: CInt = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<CInt>.size))
        let bound = address.withSockAddr { bind(descriptor, $0, socklen_t($1)) }
        guard bound == 0 else {
            let reason = Self.lastError
            Glibc.close(descriptor)
            throw Failure(description: "cannot listen on \(host.contains(":") ? "[\(host)]" : host):\(port): \(reason)")
        }
        guard listen(descriptor, backlog) == 0 else {
            let reason = Self.lastError
            Glibc.close(descriptor)
            throw Failure(description: "cannot listen on port \(port): \(reason)")
        }
        self.descriptor = descriptor
        self.port = Self.boundPort(descriptor) ?? port
    }

    /// Closes the supervisor's descriptor: once the workers have closed their copies too, connections are refused.
    public func close() {
        _ = Glibc.close(descriptor)
    }

    private static var lastError: String { String(cString: strerror(errno)) }

    private static func boundPort(_ descriptor: CInt) -> Int? {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0 else { return nil }
        switch CInt(address.ss_family) {
        case AF_INET:
            return withUnsafeBytes(of: address) { SocketAddress($0.load(as: sockaddr_in.self)).port }
        case AF_INET6:
            return withUnsafeBytes(of: address) { SocketAddress($0.load(as: sockaddr_in6.self)).port }
        default:
            return nil
        }
    }
}
