import Hummingbird
import IntegrationsAPI
import Logging
import NIOCore
import ServiceLifecycle

extension Logger {
    /// A copy with one more metadata entry.
    func with(metadataKey key: String, value: Logger.MetadataValue) -> Logger {
        var copy = self
        copy[metadataKey: key] = value
        return copy
    }
}

/// Prometheus's scrape endpoint, `GET /metrics`, on a listener of its own (`METRICS_BIND_IP`:`METRICS_PORT`,
/// by default 127.0.0.1:9458 as Rocket.Chat's port), never on the API's port, so that a reverse proxy in front
/// of the API cannot expose it by accident.
struct MetricsServer: Service {
    let server: HTTPServer

    /// - Parameter render: the exposition text, built at each scrape.
    init(host: String, port: Int, logger: Logger, render: @escaping @Sendable () -> String) {
        let router = Router(context: APIRequestContext.self)
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = MetricsExposition.contentType
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: render())))
        }
        var configuration = HTTPServer.Configuration(listener: .address(host: host, port: port))
        configuration.backlog = 64
        let metricsLogger = logger.with(metadataKey: "listener", value: "metrics")
        server = HTTPServer(configuration: configuration, router: router, draining: DrainingFlag(), logger: metricsLogger) { port in
            metricsLogger.notice("metrics listening", metadata: ["address": "\(host):\(port)", "path": "/metrics"])
        }
    }

    func run() async throws {
        try await server.run()
    }
}
