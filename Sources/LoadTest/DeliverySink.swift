import Foundation
import IntegrationsCore
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// `integrations loadtest sink`: an HTTP/1.1 server on a loopback address that receives outgoing webhooks
/// as fast as they come. It answers every POST with 200 `{"ok":true}` (keep-alive), counts the calls and the
/// distinct `webhook-id`s, and measures each call's event-to-delivery latency: from the payload's `timestamp`
/// (the message's time) to its arrival, on the wall clock. `GET /stats` answers the ``DeliverySinkReport`` so
/// far; `DELETE /stats` answers it and starts counting afresh (after a warm-up).
public final class DeliverySink: Sendable {
    public struct Options: Sendable {
        /// An IPv4 address of 127.0.0.0/8: the sink never listens beyond the machine.
        public var host = "127.0.0.1"
        /// 0 for any free port (see ``DeliverySink/port``).
        public var port = 0
        /// Event loop threads.
        public var threads = 1

        public init() {}

        public func validate() throws(LoadTestError) {
            guard let address = IPAddress(host), CIDR("127.0.0.0/8")?.contains(address) == true else {
                throw .invalidOption("--host must be a loopback address of 127.0.0.0/8 (got '\(host)')")
            }
            guard (0...65535).contains(port) else { throw .invalidOption("--port must be from 0 to 65535") }
            guard (1...64).contains(threads) else { throw .invalidOption("--threads must be from 1 to 64") }
        }
    }

    /// The statistics, shared by the connections of every event loop (one short lock per call).
    final class Recorder: Sendable {
        private let statistics = Mutex(DeliverySinkStatistics())

        func record(arrival: Int64, timestamp: Int64?, webhookID: String?) {
            statistics.withLock { $0.record(arrival: arrival, timestamp: timestamp, webhookID: webhookID) }
        }

        var report: DeliverySinkReport { statistics.withLock { $0.report } }

        /// The report so far, and counting from zero again.
        func reset() -> DeliverySinkReport {
            statistics.withLock { statistics in
                defer { statistics = DeliverySinkStatistics() }
                return statistics.report
            }
        }
    }

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let recorder: Recorder
    /// The port it listens on.
    public let port: Int

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel, recorder: Recorder, port: Int) {
        self.group = group
        self.channel = channel
        self.recorder = recorder
        self.port = port
    }

    /// Starts listening; the sink serves until ``stop()``.
    public static func start(_ options: Options) async throws -> DeliverySink {
        try options.validate()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: options.threads)
        let recorder = Recorder()
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(DeliverySinkHandler(recorder: recorder))
                    }
                }
                .bind(host: options.host, port: options.port).get()
            return DeliverySink(group: group, channel: channel, recorder: recorder, port: channel.localAddress?.port ?? options.port)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// What it has received so far.
    public var report: DeliverySinkReport { recorder.report }

    /// Closes the listening socket and every connection.
    public func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    /// The wall clock in epoch milliseconds.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }
}
