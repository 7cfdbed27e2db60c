import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 server on a loopback address that outgoing-webhook tests deliver to. It records every request and
/// answers as the path says (``WebhookSinkRoute``): `/ok`, `/text`, `/empty200`, `/status/<code>`, `/429`,
/// `/slow`, `/hang`, `/reset`, `/big`, `/redirect`, `/hold`; anything else is a 404. Connections are kept alive
/// until the client closes them or sends `Connection: close`.
final class WebhookSink: Sendable {
    /// A request as it arrived.
    struct Recorded: Sendable {
        /// The number of the connection it came on, from 1 (see ``WebhookSink/connectionCount``).
        let connection: Int
        /// When its head was read.
        let arrival: ContinuousClock.Instant
        let date: Date
        let method: String
        /// The request target: path and query, as sent.
        let path: String
        let headers: HTTPHeaders
        /// Empty for `/reset`, which closes before reading the body.
        let body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }

        /// The first value of a header, its name in any case.
        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let host: String
    let port: Int
    private let state: WebhookSinkState
    private let server: any Channel
    // Unstructured, because the accept loop outlives `start` (start, use, shut down is what the webhook tests
    // need); the sink owns it, and `shutdown()` cancels and awaits it. `run(host:port:_:)` is the scoped form.
    private let serving: Task<Void, Never>

    private init(host: String, port: Int, state: WebhookSinkState, server: any Channel, serving: Task<Void, Never>) {
        self.host = host
        self.port = port
        self.state = state
        self.server = server
        self.serving = serving
    }

    /// Binds to `host` (a loopback address: 127.0.0.0/8 or ::1) on `port` (0: any free one) and starts serving.
    static func start(host: String = "127.0.0.1", port: Int = 0) async throws -> WebhookSink {
        guard LoopbackHost.isLoopback(host) else { throw Failure(description: "\(host) is not a loopback address") }
        let state = WebhookSinkState()
        let server = try await ServerBootstrap(group: .singletonMultiThreadedEventLoopGroup)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    // No pipelining assistance: it stops reading while a response is due, and `/hang` must see the
                    // client close. Requests on a connection are still read and answered one after another.
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: false)
                    let connection = try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                    return WebhookSinkConnection(number: state.accepted(channel), channel: connection, state: state)
                }
            }
        guard let boundPort = server.channel.localAddress?.port else { throw Failure(description: "the sink's socket has no port") }
        let serving = Task {
            do {
                try await server.executeThenClose { connections in
                    try await withThrowingDiscardingTaskGroup { group in
                        for try await connection in connections {
                            group.addTask { await connection.serve() }
                        }
                    }
                }
            } catch {
                // The accept loop ends by an error only at shutdown (cancellation); a connection's errors end
                // that connection alone.
            }
        }
        return WebhookSink(host: host, port: boundPort, state: state, server: server.channel, serving: serving)
    }

    /// Starts a sink, runs `body` with it, and shuts it down, also when `body` throws.
    static func run<R: Sendable>(host: String = "127.0.0.1", port: Int = 0, _ body: (WebhookSink) async throws -> R) async throws -> R {
        let sink = try await start(host: host, port: port)
        do {
            let value = try await body(sink)
            await sink.shutdown()
            return value
        } catch {
            await sink.shutdown()
            throw error
        }
    }

    /// `http://host:port/path`; `path` may carry a query (`/status/500?empty=1`).
    func url(_ path: String) -> String {
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        return "http://\(authority)\(path.hasPrefix("/") ? path : "/" + path)"
    }

    /// The requests recorded so far, in order of arrival.
    var requests: [Recorded] { state.requests }

    /// The TCP connections accepted so far (0 for a sink nobody reached).
    var connectionCount: Int { state.connectionCount }

    /// The connections open now (a sender that gave up on `/hang` has closed its own).
    var openConnectionCount: Int { state.openChannels.count }

    /// The `/hold` requests waiting for ``release()`` now.
    var heldCount: Int { state.heldCount }

    /// Returns the requests once `count` have arrived, or those there are when `timeout` has passed.
    func waitForRequests(count: Int, timeout: Duration) async -> [Recorded] {
        await withTaskGroup(of: [Recorded]?.self) { group in
            group.addTask { await self.state.requests(atLeast: count) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            // The first to finish decides; cancelling the wait makes it return what there is.
            var result: [Recorded] = []
            while let next = await group.next() {
                group.cancelAll()
                if let next {
                    result = next
                    break
                }
            }
            return result
        }
    }

    /// Opens the hold gate: the `/hold` requests waiting are answered, and later ones are answered at once.
    func release() {
        state.openHoldGate()
    }

    /// Closes the hold gate again: `/hold` requests wait for the next ``release()``.
    func closeHoldGate() {
        state.closeHoldGate()
    }

    /// Stops accepting, closes every connection (those answering `/hang`, `/slow` or `/hold` too) and returns
    /// when all are closed. Calling it again does nothing more.
    func shutdown() async {
        serving.cancel()
        server.close(promise: nil)
        for channel in state.openChannels { channel.close(promise: nil) }
        await serving.value
    }
}
