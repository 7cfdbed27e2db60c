import LibPQ
import ServiceLifecycle

/// Runs a ``ConnectionPool`` as a service: opens its minimum connections at start, and shuts it down
/// after the HTTP server (which comes later in the service group) has drained.
public struct ConnectionPoolService: Service {
    public let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    public func run() async throws {
        pool.start()
        try? await gracefulShutdown()
        pool.shutdown()
    }
}
