import Foundation
import LibPQ
import Logging

/// Where the service's database is: the server `DATABASE_URL` names, or the embedded cluster, started on demand.
public struct DatabaseProvider: Sendable {
    /// The libpq connection string of the database to use.
    public let conninfo: String
    /// The embedded cluster, when this provider started it (and so stops it at shutdown).
    private let startedCluster: EmbeddedPostgres?

    /// Uses `DATABASE_URL`, or creates and starts the embedded cluster.
    public static func open(_ configuration: ServiceConfiguration, logger: Logger) async throws -> DatabaseProvider {
        if let url = configuration.databaseURL {
            return DatabaseProvider(conninfo: url, startedCluster: nil)
        }
        let cluster = try EmbeddedPostgres(
            dataDirectory: configuration.dataDirectory,
            port: configuration.embeddedPostgresPort,
            logger: logger
        )
        let started = try await cluster.start()
        return DatabaseProvider(conninfo: try cluster.conninfo, startedCluster: started ? cluster : nil)
    }

    /// Stops the embedded cluster if this provider started it.
    public func close() async {
        do {
            try await startedCluster?.stop()
        } catch {
            Logger(label: "integrations").error("cannot stop the embedded PostgreSQL: \(error)")
        }
    }
}
