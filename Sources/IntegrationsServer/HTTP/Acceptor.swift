import CGlibcExtensions
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Accepts connections on a listening socket that several processes share, on a thread of its own.
///
/// NIO's server channel assumes it is the only reader of its socket: in a debug build it traps when a readable
/// event yields no connection, which is exactly what happens when another worker took it first. A blocking
/// `accept` has no such race: the kernel wakes one waiting process per connection (an exclusive wait, so no
/// thundering herd), and the longest-waiting worker gets it, which spreads connections round-robin over idle
/// workers. The accepted sockets are handed to NIO (``HTTPServer``). `SO_RCVTIMEO` bounds each wait, so a
/// stop is noticed within ``wakeInterval``.
final class Acceptor: Sendable {
    /// How often a blocked `accept` returns to check whether the acceptor was stopped.
    static let wakeInterval: Duration = .milliseconds(200)

    let connections: AsyncStream<CInt>
    private let continuation: AsyncStream<CInt>.Continuation
    private let listener: CInt
    private let stopped = Atomic<Bool>(false)
    private let logger: Logger

    init(listener: CInt, logger: Logger) {
        (connections, continuation) = AsyncStream.makeStream(of: CInt.self)
        self.listener = listener
        self.logger = logger
    }

    /// Starts the accepting thread; connections arrive on ``connections`` until ``stop()``.
    func start() {
        // A blocking socket whose waits time out: the descriptor may come from another process, so say so here.
        let flags = fcntl(listener, F_GETFL)
        if flags >= 0 && flags & O_NONBLOCK != 0 { _ = fcntl(listener, F_SETFL, flags & ~O_NONBLOCK) }
        let microseconds = Int(Self.wakeInterval / .microseconds(1))
        var timeout = timeval(tv_sec: microseconds / 1_000_000, tv_usec: microseconds % 1_000_000)
        setsockopt(listener, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in acceptUntilStopped() }
        thread.name = "acceptor"
        thread.start()
    }

    /// Stops accepting; ``connections`` finishes within ``wakeInterval``. Connections still queued stay in the
    /// shared queue for the other workers.
    func stop() {
        stopped.store(true, ordering: .releasing)
    }

    /// Stops accepting at once by shutting the listening socket down, for a socket no other process shares
    /// (the single-process server); connections still queued are refused.
    func stopAndShutDownListener() {
        stopped.store(true, ordering: .releasing)
        shutdown(listener, CInt(SHUT_RDWR))
    }

    private func acceptUntilStopped() {
        while !stopped.load(ordering: .acquiring) {
            let connection = cglibc_accept_nonblocking_cloexec(listener)
            if connection >= 0 {
                if stopped.load(ordering: .acquiring) {
                    // Taken from the queue after the stop: serve it anyway (it is drained like the others).
                    continuation.yield(connection)
                    break
                }
                continuation.yield(connection)
                continue
            }
            if stopped.load(ordering: .acquiring) { break }
            switch errno {
            case EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED, EPROTO:
                continue
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                logger.error("cannot accept a connection: \(String(cString: strerror(errno))); retrying in 100 ms")
                usleep(100_000)
            default:
                logger.critical("accepting connections failed: \(String(cString: strerror(errno)))")
                stopped.store(true, ordering: .releasing)
            }
        }
        continuation.finish()
    }
}
