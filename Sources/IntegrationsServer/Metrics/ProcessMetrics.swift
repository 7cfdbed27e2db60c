import CoreMetrics
import LibPQ
import Prometheus
import Synchronization

/// This process's Prometheus registry behind swift-metrics: what the HTTP middleware and the connection pool
/// record (`http_requests_total`, `http_request_duration_seconds`, `db_query_duration_seconds`) lands here.
public enum ProcessMetrics {
    private static let bootstrapped = Mutex<PrometheusCollectorRegistry?>(nil)

    /// Bootstraps swift-metrics with a Prometheus registry, once per process, and returns that registry.
    public static func bootstrap() -> PrometheusCollectorRegistry {
        bootstrapped.withLock { existing in
            if let existing { return existing }
            let registry = PrometheusCollectorRegistry()
            var factory = PrometheusMetricsFactory(registry: registry)
            // Finer at the fast end than the Prometheus defaults: most answers take a few milliseconds.
            factory.defaultDurationHistogramBuckets = [
                .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
                .seconds(5), .seconds(10),
            ]
            MetricsSystem.bootstrap(factory)
            existing = registry
            return registry
        }
    }

    /// Copies a pool's state into gauges: `db_pool_connections{state}`, `db_pool_max_connections`,
    /// `db_pool_waiting_requests`, `db_pool_acquire_timeouts_total`, `db_pipelines_total`, `db_pipelined_statements_total`.
    public static func record(_ statistics: ConnectionPool.Statistics) {
        Gauge(label: "db_pool_connections", dimensions: [("state", "idle")]).record(statistics.idle)
        Gauge(label: "db_pool_connections", dimensions: [("state", "in_use")]).record(statistics.leased)
        Gauge(label: "db_pool_connections", dimensions: [("state", "connecting")]).record(statistics.connecting)
        Gauge(label: "db_pool_max_connections").record(statistics.maximum)
        Gauge(label: "db_pool_waiting_requests").record(statistics.waiting)
        // A gauge that only grows: the pool keeps the count, this copies it.
        Gauge(label: "db_pool_acquire_timeouts_total").record(statistics.acquireTimeouts)
        Gauge(label: "db_pipelines_total").record(statistics.pipelines)
        Gauge(label: "db_pipelined_statements_total").record(statistics.pipelinedStatements)
    }
}
