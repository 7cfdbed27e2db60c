import Foundation
import IntegrationsCore
import IntegrationsDelivery
import IntegrationsStore
import LibPQ
import Logging
import NIOPosix
import Prometheus
import ServiceLifecycle
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// The processes that serve HTTP: the supervisor and its workers, or with `WORKERS=0` a single process. Each
/// serving process runs its parts (pool, HTTP server, heartbeat, metrics, history retention) as services of one
/// `ServiceGroup`, which starts them in order and stops them in reverse.
public enum ServiceProcesses {
    /// `integrations serve`: prepares the database once (embedded cluster, migrations, first administrator),
    /// then runs the supervisor and its workers until SIGTERM or SIGINT; the embedded PostgreSQL stops last.
    /// With `WORKERS=0` a single process serves instead (for debugging).
    public static func serve(_ configuration: ServiceConfiguration, configFile: String?, logger: Logger) async throws {
        ignoreSignalsOfServingProcesses()
        try await DatabaseSetup.withDatabase(configuration, logger: logger) { conninfo in
            if configuration.workerCount == 0 {
                try await serveSingleProcess(configuration, conninfo: conninfo, logger: logger)
            } else {
                try await supervise(configuration, conninfo: conninfo, configFile: configFile, logger: logger)
            }
        }
    }

    /// `integrations worker`, as started by the supervisor: serves on the inherited listening socket with a pool
    /// of its own, beats its heartbeat on the control socket, and drains on SIGTERM.
    public static func runWorker(
        _ configuration: ServiceConfiguration,
        slot: Int,
        listenerDescriptor: CInt,
        controlDescriptor: CInt,
        logger: Logger
    ) async throws {
        ignoreSignalsOfServingProcesses()
        // The supervisor's signals; a worker hears about them from the supervisor, never from a terminal.
        signal(SIGHUP, SIG_IGN)
        signal(SIGTTIN, SIG_IGN)
        signal(SIGTTOU, SIG_IGN)
        guard let conninfo = configuration.databaseURL else {
            throw ServiceConfiguration.Invalid("DATABASE_URL", "must be set for a worker (the supervisor sets it)")
        }
        let pool = DatabaseSetup.makePool(configuration, conninfo: conninfo, logger: logger)
        let heartbeat = WorkerHeartbeat(
            descriptor: controlDescriptor,
            interval: WorkerHeartbeat.interval(timeout: .milliseconds(configuration.workerHeartbeatTimeoutMilliseconds)),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: logger
        )
        let outgoing =
            configuration.outgoingEnabled
            ? OutgoingDeliveryService(configuration: configuration, requests: pool, conninfo: conninfo, logger: logger) : nil
        let server = HTTPServer(
            serviceConfiguration: configuration,
            pool: pool,
            listener: .inheritedSocket(listenerDescriptor),
            deliverySignal: outgoing?.signal ?? .none,
            logger: logger
        ) { _ in
            heartbeat.announceReady()
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: ConnectionPoolService(pool: pool))]
        if let outgoing { services.append(.init(service: outgoing)) }
        if let directory = ProcessInfo.processInfo.environment[Self.metricsDirectoryVariable] {
            let registry = ProcessMetrics.bootstrap()
            services.append(
                .init(
                    service: WorkerMetricsWriter(
                        registry: registry,
                        pool: pool,
                        directory: directory,
                        slot: slot,
                        interval: .seconds(1),
                        logger: logger
                    )
                )
            )
        }
        services.append(.init(service: heartbeat, failureTerminationBehavior: .gracefullyShutdownGroup))
        services.append(.init(service: server))
        try await runServing(services, configuration, logger: logger)
    }

    /// Where the supervisor tells its workers to write their metrics (an internal variable, not a setting).
    static let metricsDirectoryVariable = "INTEGRATIONS_METRICS_DIRECTORY"

    private static func supervise(_ configuration: ServiceConfiguration, conninfo: String, configFile: String?, logger: Logger) async throws {
        // The supervisor's own pool serves the first administrator and the history retention job: one connection.
        var own = configuration
        own.poolMinimum = 0
        own.poolMaximum = 1
        let pool = DatabaseSetup.makePool(own, conninfo: conninfo, logger: logger)
        let admin = try await prepare(configuration, conninfo: conninfo, pool: pool, logger: logger)
        let workers = configuration.workerCount
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: ConnectionPoolService(pool: pool)),
            .init(service: retention(configuration, pool: pool, logger: logger)),
            .init(service: DeliveryQueueMonitor(deliveries: DeliveryRepository(pool: pool), logger: logger)),
        ]
        var workerEnvironment: [String: String] = [:]
        var metricsDirectory: String?
        if configuration.metricsEnabled {
            let registry = ProcessMetrics.bootstrap()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("integrations-metrics-\(getpid())").path
            try? FileManager.default.removeItem(atPath: directory)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            metricsDirectory = directory
            workerEnvironment[Self.metricsDirectoryVariable] = directory
            services.append(
                .init(
                    service: MetricsServer(host: configuration.metricsBindIP, port: configuration.metricsPort, logger: logger) {
                        MetricsExposition.merge(own: registry.emitToString(), workers: WorkerMetricsWriter.read(directory: directory))
                    }
                )
            )
        }
        defer { if let metricsDirectory { try? FileManager.default.removeItem(atPath: metricsDirectory) } }
        let supervisor = Supervisor(
            configuration: configuration,
            conninfo: conninfo,
            configFile: configFile,
            workerEnvironment: workerEnvironment,
            loadConfiguration: { try ServiceConfiguration.load(file: configFile) },
            logger: logger,
            onFirstWorkerReady: { port in printBanner(admin: admin, port: port, workers: workers) }
        )
        services.append(
            .init(service: supervisor, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
        )
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                // The supervisor reads SIGTERM and SIGINT itself: the first drains the workers, a second kills them.
                gracefulShutdownSignals: [],
                logger: logger
            )
        )
        try await group.run()
    }

    private static func serveSingleProcess(_ configuration: ServiceConfiguration, conninfo: String, logger: Logger) async throws {
        let pool = DatabaseSetup.makePool(configuration, conninfo: conninfo, logger: logger)
        let admin = try await prepare(configuration, conninfo: conninfo, pool: pool, logger: logger)
        let outgoing =
            configuration.outgoingEnabled
            ? OutgoingDeliveryService(configuration: configuration, requests: pool, conninfo: conninfo, logger: logger) : nil
        let server = HTTPServer(
            serviceConfiguration: configuration,
            pool: pool,
            listener: .address(host: configuration.bindIP, port: configuration.port),
            deliverySignal: outgoing?.signal ?? .none,
            logger: logger
        ) { port in
            printBanner(admin: admin, port: port, workers: 0)
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: ConnectionPoolService(pool: pool)),
            .init(service: retention(configuration, pool: pool, logger: logger)),
            .init(service: DeliveryQueueMonitor(deliveries: DeliveryRepository(pool: pool), logger: logger)),
        ]
        if let outgoing { services.append(.init(service: outgoing)) }
        if configuration.metricsEnabled {
            let registry = ProcessMetrics.bootstrap()
            services.append(
                .init(service: WorkerMetricsWriter(registry: registry, pool: pool, directory: nil, slot: 0, interval: .seconds(1), logger: logger))
            )
            services.append(
                .init(
                    service: MetricsServer(host: configuration.metricsBindIP, port: configuration.metricsPort, logger: logger) {
                        registry.emitToString()
                    }
                )
            )
        }
        services.append(.init(service: server))
        try await runServing(services, configuration, logger: logger)
    }

    /// Migrations, the overwritten settings and the first administrator, once per start; starts the pool.
    private static func prepare(
        _ configuration: ServiceConfiguration,
        conninfo: String,
        pool: ConnectionPool,
        logger: Logger
    ) async throws -> FirstAdmin.Created? {
        try await DatabaseSetup.runMigrations(configuration, conninfo: conninfo, logger: logger)
        pool.start()
        do {
            let users = UserRepository(pool: pool)
            if let form = configuration.registrationForm {
                try await users.overwriteSetting(id: "Accounts_RegistrationForm", valueJSON: JSONValue.string(form).text)
            }
            return try await FirstAdmin.ensure(configuration, users: users, logger: logger)
        } catch {
            pool.shutdown()
            throw error
        }
    }

    private static func retention(_ configuration: ServiceConfiguration, pool: ConnectionPool, logger: Logger) -> HistoryRetentionService {
        HistoryRetentionService(history: HistoryRepository(pool: pool), retentionDays: configuration.historyRetentionDays, logger: logger)
    }

    /// A peer that closes a connection must not kill the process; broken pipes are errors, handled where they occur.
    private static func ignoreSignalsOfServingProcesses() {
        signal(SIGPIPE, SIG_IGN)
    }

    private static func printBanner(admin: FirstAdmin.Created?, port: Int, workers: Int) {
        let processes = workers == 0 ? "a single process" : "\(workers) worker process\(workers == 1 ? "" : "es")"
        var lines = ["Rocket.Chat Integrations API listening on port \(port) (\(processes))."]
        if let admin {
            lines.append("Created the first administrator \"\(admin.username)\".")
            if let password = admin.generatedPassword {
                lines.append("Its generated password, shown only this once: \(password)")
            }
            let shown = admin.generatedPassword ?? "<ADMIN_PASS>"
            lines.append("Log in with:")
            lines.append(
                "  curl -s -H 'Content-Type: application/json' "
                    + "-d '{\"user\":\"\(admin.username)\",\"password\":\"\(shown)\"}' http://127.0.0.1:\(port)/api/v1/login"
            )
        }
        print(lines.joined(separator: "\n"))
        fflush(nil)
    }
}

extension ServiceProcesses {
    /// Runs a serving process's services until SIGTERM or SIGINT, then stops them in reverse order (the HTTP
    /// server, last in the list, drains first), for at most `GRACEFUL_TIMEOUT_MS` before cancelling the rest.
    fileprivate static func runServing(
        _ services: [ServiceGroupConfiguration.ServiceConfiguration],
        _ configuration: ServiceConfiguration,
        logger: Logger
    ) async throws {
        var group = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .milliseconds(configuration.gracefulTimeoutMilliseconds)
        group.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: group).run()
    }
}
