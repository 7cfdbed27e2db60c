import Foundation
import IntegrationsStore
import LibPQ
import Logging

/// Start-up: the embedded or external database, migrations, the connection pool; the commands that use them.
/// Serving is in `IntegrationsService+Serve.swift`.
public enum IntegrationsService {
    /// Applies the migrations and exits (`integrations migrate`).
    public static func migrate(_ configuration: ServiceConfiguration, logger: Logger) async throws {
        try await withDatabase(configuration, logger: logger) { conninfo in
            try await runMigrations(configuration, conninfo: conninfo, logger: logger)
        }
    }

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

    /// Runs `body` with a pool over the configured database, migrated first (`integrations loadtest seed`).
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

    /// What `integrations admin insert` writes.
    public enum DocumentKind: String, Sendable, CaseIterable {
        case integration, history
    }

    /// A line of input the store refused.
    public struct RejectedDocument: Error, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// Inserts documents (one JSON object per line; blank lines skipped) through the repositories
    /// `integrations.create` will use; stops at the first refused line. Returns how many were inserted.
    public static func insertDocuments(
        _ kind: DocumentKind,
        lines: [String],
        _ configuration: ServiceConfiguration,
        logger: Logger
    ) async throws -> Int {
        try await withDatabase(configuration, logger: logger) { conninfo in
            try await runMigrations(configuration, conninfo: conninfo, logger: logger)
            let pool = makePool(configuration, conninfo: conninfo, logger: logger)
            defer { pool.shutdown() }
            let store = Store(pool: pool)
            var count = 0
            for (index, line) in lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
                do {
                    switch kind {
                    case .integration: _ = try await store.integrations.insert(document: line)
                    case .history: try await store.history.insert(document: line)
                    }
                } catch let error as StoreError {
                    throw RejectedDocument(line: index + 1, reason: error.message)
                }
                count += 1
            }
            return count
        }
    }

    /// `integrations import`: a dry run needs no database; otherwise migrations first, then the batches.
    public static func importRecords(_ options: Importer.Options, _ configuration: ServiceConfiguration, logger: Logger) async throws -> Importer.Summary {
        if options.dryRun {
            return try await Importer(repository: nil, logger: logger).run(options)
        }
        return try await withDatabase(configuration, logger: logger) { conninfo in
            try await runMigrations(configuration, conninfo: conninfo, logger: logger)
            let pool = makePool(configuration, conninfo: conninfo, logger: logger)
            defer { pool.shutdown() }
            return try await Importer(repository: ImportRepository(pool: pool), logger: logger).run(options)
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

    /// Applies `sql/` with a one-connection pool that prepares nothing (the tables may not exist yet).
    public static func runMigrations(_ configuration: ServiceConfiguration, conninfo: String, logger: Logger) async throws {
        let migrator = try Migrator(directory: migrationsDirectory(configuration))
        let pool = ConnectionPool(
            configuration: .init(conninfo: conninfo, minimumConnections: 0, maximumConnections: 1, acquireTimeout: .seconds(30), catalogue: []),
            logger: logger
        )
        defer { pool.shutdown() }
        try await migrator.run(on: pool, logger: logger)
    }

    /// `MIGRATIONS_DIR`, relative to the working directory; the default falls back to this source tree's `sql/`
    /// so that a binary started from elsewhere still finds them.
    static func migrationsDirectory(_ configuration: ServiceConfiguration) -> URL {
        let configured = URL(fileURLWithPath: configuration.migrationsDirectory, isDirectory: true)
        if FileManager.default.fileExists(atPath: configured.path) || configuration.migrationsDirectory != "sql" {
            return configured
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sql", isDirectory: true)
    }
}
