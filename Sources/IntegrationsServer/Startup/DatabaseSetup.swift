import Foundation
import IntegrationsStore
import LibPQ
import Logging

/// The database every command works on: the embedded cluster or `DATABASE_URL` (``DatabaseProvider``), its
/// migrations, and connection pools sized by the configuration.
public enum DatabaseSetup {
    /// Runs `body` with the configured database, stopping the embedded cluster afterwards when this call started it.
    static func withDatabase<R>(
        _ configuration: ServiceConfiguration,
        logger: Logger,
        _ body: (String) async throws -> R
    ) async throws -> R {
        let database = try await DatabaseProvider.open(configuration, logger: logger)
        do {
            let result = try await body(database.conninfo)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }

    /// Runs `body` with a pool over the configured database, migrated first (`integrations loadtest seed`, the
    /// admin commands).
    public static func withMigratedPool<R>(
        _ configuration: ServiceConfiguration,
        logger: Logger,
        _ body: (ConnectionPool) async throws -> R
    ) async throws -> R {
        try await withDatabase(configuration, logger: logger) { conninfo in
            try await runMigrations(configuration, conninfo: conninfo, logger: logger)
            let pool = makePool(configuration, conninfo: conninfo, logger: logger)
            defer { pool.shutdown() }
            return try await body(pool)
        }
    }

    /// A pool with the store's statement catalogue, sized by the configuration.
    public static func makePool(_ configuration: ServiceConfiguration, conninfo: String, logger: Logger) -> ConnectionPool {
        ConnectionPool(
            configuration: .init(
                conninfo: conninfo,
                minimumConnections: configuration.poolMinimum,
                maximumConnections: configuration.poolMaximum,
                acquireTimeout: .milliseconds(configuration.acquireTimeoutMilliseconds),
                pipelineDepth: configuration.pipelineDepth,
                catalogue: StatementCatalogue.statements
            ),
            logger: logger
        )
    }

    /// The delivery engine's own pool: only its statements, planned as
    /// ``StatementCatalogue/deliveryEngineSessionParameters`` says, and apart from the requests' pool so that its batches never queue behind (or ahead of) `integrations.get`.
    public static func makeDeliveryPool(_ configuration: ServiceConfiguration, conninfo: String, logger: Logger) -> ConnectionPool {
        ConnectionPool(
            configuration: .init(
                conninfo: conninfo,
                minimumConnections: 1,
                maximumConnections: configuration.outgoingPoolMaximum,
                acquireTimeout: .milliseconds(configuration.acquireTimeoutMilliseconds),
                pipelineDepth: configuration.pipelineDepth,
                sessionParameters: StatementCatalogue.deliveryEngineSessionParameters,
                catalogue: StatementCatalogue.deliveryEngine
            ),
            logger: logger
        )
    }

    /// Applies the migrations with a one-connection pool that prepares nothing (the tables may not exist yet).
    public static func runMigrations(_ configuration: ServiceConfiguration, conninfo: String, logger: Logger) async throws {
        let migrator = try Self.migrator(for: configuration)
        let pool = ConnectionPool(
            configuration: .init(conninfo: conninfo, minimumConnections: 0, maximumConnections: 1, acquireTimeout: .seconds(30), catalogue: []),
            logger: logger
        )
        defer { pool.shutdown() }
        try await migrator.run(on: pool, logger: logger)
    }

    /// The migrations built into this binary from the repository's `sql/` (``EmbeddedMigrations``), so that
    /// an installed binary needs no files beside it; or, when `MIGRATIONS_DIR` is set, that folder's, read now
    /// (relative to the working directory).
    static func migrator(for configuration: ServiceConfiguration) throws -> Migrator {
        guard let directory = configuration.migrationsDirectory else { return Migrator(migrations: EmbeddedMigrations.all) }
        return try Migrator(directory: URL(fileURLWithPath: directory, isDirectory: true))
    }
}
