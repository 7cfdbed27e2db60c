import Foundation
import IntegrationsDelivery
import IntegrationsStore
import LibPQ
import Logging
import ServiceLifecycle

/// The outgoing-webhook engine of a serving process, with its own connection pool, its `LISTEN` connection
/// (woken by the other processes' enqueues) and its debounced `NOTIFY` (waking theirs).
struct OutgoingDeliveryService: Service {
    let pool: ConnectionPool
    let engine: DeliveryEngine
    let listener: NotificationListener
    let notifier: DeliveryNotifier

    /// `requests` is the process's pool, on which the messages of webhook replies are posted.
    init(configuration: ServiceConfiguration, requests: ConnectionPool, conninfo: String, logger: Logger) {
        var logger = logger
        logger[metadataKey: "component"] = "outgoing"
        let pool = DatabaseSetup.makeDeliveryPool(configuration, conninfo: conninfo, logger: logger)
        self.pool = pool
        let deliveries = DeliveryRepository(pool: pool)
        let engine = DeliveryEngine(
            deliveries: deliveries,
            messages: MessageRepository(pool: requests),
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
        pool.start()
        defer { pool.shutdown() }
        listener.start()
        defer { listener.stop() }
        try await engine.run()
    }
}
