import Foundation
import IntegrationsAPI
import LibPQ
import Logging
import Synchronization

@testable import IntegrationsServer

#if canImport(Glibc)
import Glibc
#endif

/// The PostgreSQL the integration tests use: `DATABASE_URL` when set, otherwise a throw-away cluster
/// created in a temporary folder through the service's own embedded-cluster code, started once per
/// test process and stopped when the process exits.
enum TestDatabase {
    static let logger: Logger = {
        var logger = Logger(label: "tests")
        logger.logLevel = .warning
        return logger
    }()

    /// The migrated database every test shares (tests isolate themselves with fresh random ids).
    static func conninfo() async throws -> String {
        try await shared.value
    }

    private static let shared = Task<String, any Error> {
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty {
            try await DatabaseSetup.runMigrations(configuration(), conninfo: url, logger: logger)
            return url
        }
        let cluster = try await startCluster()
        try await DatabaseSetup.runMigrations(configuration(), conninfo: try cluster.conninfo, logger: logger)
        return try cluster.conninfo
    }

    /// A migrated database in a cluster of its own, for tests that change what every test relies on
    /// (the grants of the built-in roles) or stop the server.
    static func privateDatabase() async throws -> (cluster: EmbeddedPostgres, conninfo: String) {
        let cluster = try await startCluster()
        let conninfo = try cluster.conninfo
        try await DatabaseSetup.runMigrations(configuration(), conninfo: conninfo, logger: logger)
        return (cluster, conninfo)
    }

    /// A migrated database `name` created in the cluster of `conninfo`: cheaper than a cluster of its own, as
    /// separate from the other databases' rows. (libpq takes the last of repeated keys, so `dbname` is appended.)
    static func migratedDatabase(_ name: String, besides conninfo: String) async throws -> String {
        let pool = singleConnectionPool(conninfo)
        defer { pool.shutdown() }
        try await pool.withSession { try $0.executeScript("CREATE DATABASE \(name)") }
        let database = conninfo + " dbname=\(name)"
        try await DatabaseSetup.runMigrations(configuration(), conninfo: database, logger: logger)
        return database
    }

    /// A new cluster of its own, for tests that stop and start the server. Stopped at process exit too.
    ///
    /// Its port is drawn below Linux's ephemeral range (32768–60999), where the tests' HTTP servers (port 0)
    /// cannot take it between the check and PostgreSQL's bind; a start that still fails is retried on another port.
    static func startCluster() async throws -> EmbeddedPostgres {
        var lastError: (any Error)?
        for _ in 0..<5 {
            // A folder of its own per attempt: a server that a failed attempt started late (a loaded machine) must
            // not be adopted by the next attempt, which would then connect to its own port, where nobody listens.
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("integrations-tests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            // Every test runs its own server and pools (the requests', a delivery engine's), in parallel: at times over 300
            // connections ("too many clients" made pools retry), far more than PostgreSQL's default 100.
            let cluster = try EmbeddedPostgres(dataDirectory: directory.path, port: try freePort(), maxConnections: 1000, logger: logger)
            ClusterRegistry.register(cluster, directory: directory)
            do {
                _ = try await cluster.start()
                return cluster
            } catch {
                lastError = error
                try? await cluster.stop()
            }
        }
        throw lastError ?? CocoaError(.fileWriteUnknown)
    }

    /// This repository's `sql/`, wherever the tests run from.
    static let migrationsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sql").path

    /// A pool of one connection for tests that speak SQL directly, with the tests' generous acquire deadline
    /// (a connection attempt alone may take the service's 5 s `connect_timeout` while every suite starts at once).
    static func singleConnectionPool(_ conninfo: String) -> ConnectionPool {
        ConnectionPool(
            configuration: .init(conninfo: conninfo, minimumConnections: 0, maximumConnections: 1, acquireTimeout: .seconds(15), catalogue: []),
            logger: logger
        )
    }

    /// A service configuration for tests: port 0, the repository's `sql/`.
    static func configuration() -> ServiceConfiguration {
        var configuration = ServiceConfiguration()
        configuration.port = 0
        configuration.bindIP = "127.0.0.1"
        configuration.poolMaximum = 4
        // Generous: when every suite starts at once on a 2-core machine, opening a connection can take seconds.
        // Tests of the 503 set their own (PoolRecoveryTests: 1 s).
        configuration.acquireTimeoutMilliseconds = 15_000
        // Every test logs in from 127.0.0.1 over one database: the login protections have tests of their own.
        configuration.loginBlocking = .off
        configuration.rateLimit = nil
        return configuration
    }

    /// A TCP port from 20000–31999 that nobody listens on right now.
    static func freePort() throws -> Int {
        for _ in 0..<100 {
            let port = Int.random(in: 20000..<32000)
            let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(socketFD) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let bound = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            if bound { return port }
        }
        throw CocoaError(.fileWriteUnknown)
    }
}

/// Stops every cluster the tests started when the test process exits, and removes its folder.
private enum ClusterRegistry {
    private static let clusters = Mutex<[(EmbeddedPostgres, URL)]>([])

    static func register(_ cluster: EmbeddedPostgres, directory: URL) {
        let isFirst = clusters.withLock { clusters in
            clusters.append((cluster, directory))
            return clusters.count == 1
        }
        if isFirst { atexit { ClusterRegistry.stopAll() } }
    }

    static func stopAll() {
        for (cluster, directory) in clusters.withLock({ $0 }) {
            try? cluster.stopBlocking()
            try? FileManager.default.removeItem(at: directory)
        }
    }
}
