import IntegrationsCore
import Metrics

/// The engine's Prometheus series (queue gauges come from ``DeliveryQueueMonitor``, one per service). Each is
/// looked up in the metrics system when recorded, so an engine made before the process bootstraps its metrics
/// still reports.
struct DeliveryMetrics: Sendable {
    var takeovers: Counter { Counter(label: "integrations_outgoing_takeovers_total") }
    var lostLeases: Counter { Counter(label: "integrations_outgoing_lost_leases_total") }
    private var duration: Metrics.Timer {
        Metrics.Timer(label: "integrations_outgoing_attempt_duration_seconds", preferredDisplayUnit: .seconds)
    }

    /// Counts an attempt by its outcome class and records its duration.
    func record(_ result: AttemptResult, duration elapsed: Duration) {
        duration.record(duration: elapsed)
        switch result {
        case .response(let response):
            let outcome =
                switch response.status {
                case 200..<300: "2xx"
                case 410: "410"
                case 300..<400: "3xx"
                case 400..<500: "4xx"
                default: "5xx"
                }
            record(outcome: outcome)
        case .failed(let failure):
            record(outcome: failure.code == "ERR_ADDRESS_REFUSED" ? "refused" : failure.code == "ETIMEDOUT" ? "timeout" : "network-error")
        }
    }

    func record(outcome: String) {
        Counter(label: "integrations_outgoing_attempts_total", dimensions: [("outcome", outcome)]).increment()
    }
}
