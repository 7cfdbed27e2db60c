import IntegrationsAPI
import IntegrationsStore
import LibPQ
import Logging

extension HTTPServer {
    /// The HTTP server of a serving process (a worker, the single process, a test): the API over `pool`, with
    /// the listener-independent settings of the service's configuration; `deliverySignal` hears of every write
    /// that enqueued outgoing-webhook deliveries.
    public init(
        serviceConfiguration configuration: ServiceConfiguration,
        pool: ConnectionPool,
        listener: Listener,
        deliverySignal: DeliverySignal = .none,
        logger: Logger,
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) {
        var server = Configuration(listener: listener)
        server.workerPidHeader = configuration.debugWorkerHeader
        server.drainIdleGrace = min(.seconds(1), .milliseconds(configuration.gracefulTimeoutMilliseconds))
        server.pathPrefix = configuration.pathPrefix
        server.keepAliveTimeout = .milliseconds(configuration.keepAliveTimeoutMilliseconds)
        let draining = DrainingFlag()
        self.init(
            configuration: server,
            router: APIRouter.make(
                store: Store(pool: pool, deliverySignal: deliverySignal),
                draining: draining,
                trustedProxies: configuration.trustedProxies,
                loginBlocking: configuration.loginBlocking,
                rateLimit: configuration.rateLimit
            ),
            draining: draining,
            logger: logger,
            onServerRunning: onServerRunning
        )
    }
}
