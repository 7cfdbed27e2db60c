import IntegrationsStore
import Logging
import Metrics
import ServiceLifecycle

/// The queue's gauges (deliveries due, attempts in flight, age of the oldest due delivery), read from the
/// database by one process (the supervisor) so that they are not counted once per worker; and the cleanup of
/// events whose deliveries have all ended.
public struct DeliveryQueueMonitor: Service {
    let deliveries: DeliveryRepository
    let interval: Duration
    let logger: Logger

    public init(deliveries: DeliveryRepository, interval: Duration = .seconds(5), logger: Logger) {
        self.deliveries = deliveries
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        let due = Gauge(label: "integrations_outgoing_deliveries_due")
        let inFlight = Gauge(label: "integrations_outgoing_deliveries_in_flight")
        let oldest = Gauge(label: "integrations_outgoing_oldest_due_seconds")
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let statistics = try await deliveries.statistics()
                    due.record(statistics.due)
                    inFlight.record(statistics.inFlight)
                    let (seconds, attoseconds) = statistics.oldestDueAge.components
                    oldest.record(Double(seconds) + Double(attoseconds) / 1e18)
                    var purged = 0
                    repeat {
                        purged = try await deliveries.purgeDeliveredEvents(limit: 1000)
                    } while purged == 1000 && !Task.isCancelled
                } catch {
                    logger.debug("reading the delivery queue failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
