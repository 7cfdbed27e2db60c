import Logging
import NIOCore
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// A worker's side of its control socket: "ready" once it serves, then a heartbeat every `interval` for as long
/// as its event loops and Swift's task pool both answer. When the supervisor's end closes (the supervisor died),
/// the worker shuts down gracefully instead of serving on unsupervised.
public struct WorkerHeartbeat: Service {
    static let readyByte = UInt8(ascii: "R")
    static let beatByte = UInt8(ascii: ".")

    /// The beat interval for a heartbeat timeout: often enough that a late beat or two never costs a worker.
    public static func interval(timeout: Duration) -> Duration {
        min(.seconds(1), timeout / 4)
    }

    let descriptor: CInt
    let interval: Duration
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger

    /// The supervisor has gone away: there is no one left to restart this worker.
    public struct SupervisorGone: Error, CustomStringConvertible {
        public var description: String { "the supervisor has gone away" }
    }

    public init(descriptor: CInt, interval: Duration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.descriptor = descriptor
        self.interval = interval
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Tells the supervisor that this worker accepts connections.
    public func announceReady() {
        send(Self.readyByte)
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                // A beat proves that every event loop runs tasks, not merely that this task does.
                for loop in eventLoopGroup.makeIterator() {
                    try? await loop.submit {}.get()
                }
                guard send(Self.beatByte), !supervisorClosed() else {
                    logger.error("the supervisor has gone away; stopping")
                    throw SupervisorGone()
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    @discardableResult
    private func send(_ byte: UInt8) -> Bool {
        var byte = byte
        let sent = Glibc.send(descriptor, &byte, 1, CInt(MSG_DONTWAIT) | CInt(MSG_NOSIGNAL))
        // A full buffer (the supervisor is slow to read) is not a lost supervisor.
        return sent == 1 || errno == EAGAIN
    }

    /// Whether the supervisor's end is closed (a read would return end-of-file).
    private func supervisorClosed() -> Bool {
        var byte: UInt8 = 0
        return recv(descriptor, &byte, 1, CInt(MSG_DONTWAIT) | CInt(MSG_PEEK)) == 0
    }
}
