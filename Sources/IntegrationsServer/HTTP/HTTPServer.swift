import HTTPTypes
import Hummingbird
import HummingbirdCore
import IntegrationsAPI
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// The HTTP/1.1 server of one process: Hummingbird's HTTP/1 channel and the API router, on a listener bound
/// here or on a listening socket inherited from the supervisor.
///
/// Hummingbird's `Application` binds its own socket and cannot share one with other processes, so this type
/// does the part of `Application.run` that differs: connections come from an ``Acceptor`` thread and are handed
/// to NIO with Hummingbird's HTTP/1 channel. A graceful shutdown stops accepting at once and lets every
/// connection finish the request it carries (``ConnectionRegistry``, ``ConnectionDrainHandler``).
public struct HTTPServer: Service {
    /// Where connections come from.
    public enum Listener: Sendable, CustomStringConvertible {
        /// Bind and listen on this address (the single-process server, the tests).
        case address(host: String, port: Int)
        /// A socket already bound and listening, shared by every worker (see ``ListeningSocket``).
        case inheritedSocket(CInt)

        public var description: String {
            switch self {
            case .address(let host, let port): "\(host):\(port)"
            case .inheritedSocket(let descriptor): "inherited socket \(descriptor)"
            }
        }
    }

    public struct Configuration: Sendable {
        public var listener: Listener
        /// The accept queue's length.
        public var backlog: Int32 = ListeningSocket.defaultBacklog
        /// When draining, how long a connection without a request in progress is kept for its next request
        /// (which is then answered with `Connection: close`).
        public var drainIdleGrace: Duration = .seconds(1)
        /// Adds `X-Worker-Pid` (this process's id) to every response: a debugging aid for the process model.
        public var workerPidHeader = false
        /// The path the API is served under (`/chat` for `ROOT_URL=https://example.com/chat`), or `""`.
        /// The health probes answer both with and without it; everything else outside it is not found.
        public var pathPrefix = ""
        /// How long an idle keep-alive connection is kept open.
        public var keepAliveTimeout: Duration = .seconds(75)

        public init(listener: Listener) {
            self.listener = listener
        }
    }

    public static let workerPidHeaderName = HTTPField.Name("X-Worker-Pid")!

    let configuration: Configuration
    let responder: RouterResponder<APIRequestContext>
    let draining: DrainingFlag
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger
    let onServerRunning: @Sendable (_ port: Int) async -> Void

    public init(
        configuration: Configuration,
        router: Router<APIRequestContext>,
        draining: DrainingFlag,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger,
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.responder = router.buildResponder()
        self.draining = draining
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.onServerRunning = onServerRunning
    }

    public func run() async throws {
        let logger = logger
        let idleGrace = TimeAmount(configuration.drainIdleGrace)
        // An autoclosure: a new handler for every connection.
        let http = HTTP1Channel(
            responder: respond,
            configuration: .init(
                additionalChannelHandlers: [ConnectionDrainHandler(idleGrace: idleGrace)],
                idleTimeout: TimeAmount(configuration.keepAliveTimeout)
            )
        )
        let listener: ListeningSocket
        let ownsListener: Bool
        switch configuration.listener {
        case .address(let host, let port):
            listener = try ListeningSocket(host: host, port: port, backlog: configuration.backlog)
            ownsListener = true
        case .inheritedSocket(let descriptor):
            listener = ListeningSocket(inherited: descriptor)
            ownsListener = false
        }
        defer { if ownsListener { listener.close() } }

        let acceptor = Acceptor(listener: listener.descriptor, logger: logger)
        let registry = ConnectionRegistry()
        let eventLoopGroup = eventLoopGroup
        acceptor.start()
        logger.info("serving HTTP", metadata: ["listener": "\(configuration.listener)", "port": "\(listener.port)"])

        await withGracefulShutdownHandler {
            await onServerRunning(listener.port)
            await withDiscardingTaskGroup { group in
                for await socket in acceptor.connections {
                    group.addTask {
                        let connection: HTTP1Channel.Value
                        do {
                            // NIO's way to adopt a connected socket (accepted or not); it takes ownership of it.
                            connection = try await ClientBootstrap(group: eventLoopGroup)
                                .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
                                .withConnectedSocket(socket) { channel in
                                    http.setup(channel: channel, logger: logger)
                                }
                        } catch {
                            logger.debug("cannot set up a connection", metadata: ["error": "\(error)"])
                            return
                        }
                        registry.add(connection.channel)
                        await http.handle(value: connection, logger: logger)
                        registry.remove(connection.channel)
                    }
                }
            }
        } onGracefulShutdown: {
            logger.info("draining HTTP connections")
            draining.raise()
            if ownsListener { acceptor.stopAndShutDownListener() } else { acceptor.stop() }
            registry.drain()
        }
        logger.info("HTTP server stopped")
    }

    /// The request as the router sees it: `prefix` taken off its path. A path outside the prefix is routed as
    /// not found, except the health probes, which orchestrators call on the port directly.
    static func unprefixed(_ request: Request, prefix: String) -> Request {
        let path = request.head.path ?? "/"
        var head = request.head
        if path.hasPrefix(prefix) {
            let rest = path.dropFirst(prefix.count)
            if rest.isEmpty || rest.first == "/" || rest.first == "?" {
                head.path = rest.first == "/" ? String(rest) : "/" + rest
                return Request(head: head, body: request.body)
            }
        }
        if APIRouter.probePaths.contains(request.uri.path) { return request }
        head.path = "/outside-the-path-prefix"
        return Request(head: head, body: request.body)
    }

    /// Hummingbird's `Application.run` responder: the router, a 500 for anything unexpected, the `Date` header.
    private var respond: HTTPChannelHandler.Responder {
        let responder = responder
        let date = HTTPDate()
        let pid = configuration.workerPidHeader ? String(getpid()) : nil
        let prefix = configuration.pathPrefix
        return { request, responseWriter, channel in
            let request = prefix.isEmpty ? request : Self.unprefixed(request, prefix: prefix)
            let logger = logger
            let context = APIRequestContext(source: .init(channel: channel, logger: logger))
            var response: Response
            do {
                response = try await responder.respond(to: request, context: context)
            } catch let error as HTTPParserError {
                throw error
            } catch {
                logger.debug("unexpected error", metadata: ["error": "\(error)"])
                response = Response(status: .internalServerError)
            }
            response.headers[.date] = date.now
            if let pid { response.headers[Self.workerPidHeaderName] = pid }
            try await responseWriter.write(response: response.head, body: response.body)
        }
    }
}
