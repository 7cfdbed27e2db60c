import Foundation
import IntegrationsDelivery
import IntegrationsStore
import LibPQ
import Logging
import ServiceLifecycle

/// The outgoing-webhook engine of a serving process, with its `LISTEN` connection (woken by the other
/// processes' enqueues) and its debounced `NOTIFY` (waking theirs).
struct OutgoingDeliveryService: Service {
    let engine: DeliveryEngine
    let listener: NotificationListener
    let notifier: DeliveryNotifier

    init(configuration: ServiceConfiguration, pool: ConnectionPool, conninfo: String, logger: Logger) {
        var logger = logger
        logger[metadataKey: "component"] = "outgoing"
        let deliveries = DeliveryRepository(pool: pool)
        let engine = DeliveryEngine(
            deliveries: deliveries,
            messages: MessageRepository(pool: pool),
            client: WebhookClient(settings: configuration.delivery, logger: logger),
            settings: configuration.delivery,
            owner: "\(ProcessInfo.processInfo.hostName):\(getpid())",
            logger: logger
        )
        self.engine = engine
        listener = NotificationListener(conninfo: conninfo, channel: DeliveryNotifier.channel, logger: logger) { engine.wakeUp() }
        notifier = DeliveryNotifier(deliveries: deliveries, logger: logger)
    }

    /// What the store calls after a commit that enqueued deliveries: this engine wakes, the others are notified.
    var signal: DeliverySignal {
        let local = engine.signal
        return DeliverySignal { [notifier] in
            local.wakeNow()
            notifier.notifyOthers()
        }
    }

    func run() async throws {
        listener.start()
        defer { listener.stop() }
        try await engine.run()
    }
}
