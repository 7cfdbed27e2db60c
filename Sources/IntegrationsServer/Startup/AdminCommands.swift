import IntegrationsStore
import LibPQ
import Logging

/// The one-shot commands on the database: `integrations migrate`, `admin insert` and `import`. Each opens the
/// database (starting the embedded cluster if need be), applies the migrations, does its work and stops.
public enum AdminCommands {
    /// Applies the migrations and exits (`integrations migrate`).
    public static func migrate(_ configuration: ServiceConfiguration, logger: Logger) async throws {
        try await DatabaseSetup.withDatabase(configuration, logger: logger) { conninfo in
            try await DatabaseSetup.runMigrations(configuration, conninfo: conninfo, logger: logger)
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
        try await DatabaseSetup.withMigratedPool(configuration, logger: logger) { pool in
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
    public static func importRecords(
        _ options: Importer.Options,
        _ configuration: ServiceConfiguration,
        logger: Logger
    ) async throws -> Importer.Summary {
        if options.dryRun {
            return try await Importer(repository: nil, logger: logger).run(options)
        }
        return try await DatabaseSetup.withMigratedPool(configuration, logger: logger) { pool in
            try await Importer(repository: ImportRepository(pool: pool), logger: logger).run(options)
        }
    }
}
