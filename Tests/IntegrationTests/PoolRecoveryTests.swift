import Foundation
import HTTPTypes
import HummingbirdTesting
import IntegrationsServer
import LibPQ
import Testing

/// The pool against a PostgreSQL that stops and starts: 503 within the acquire timeout while it is down,
/// and service again, without a restart, once it is back; the readiness probe follows, the liveness probe does not.
@Suite struct PoolRecoveryTests {
    @Test func serviceAnswers503WhileDatabaseIsDownAndRecoversAfterwards() async throws {
        let (cluster, conninfo) = try await TestDatabase.privateDatabase()
        try await TestServer.run(conninfo: conninfo, configure: { $0.acquireTimeoutMilliseconds = 1000 }) { server in
            let admin = try await server.createUser(roles: ["admin"])
            let id = try await server.createIntegration(type: "webhook-outgoing", createdBy: admin)
            let uri = "/api/v1/integrations.get?integrationId=\(id)"
            #expect(try await server.get(uri, as: admin).status == .ok)
            #expect(try await server.get("/readyz").status == .ok)

            try await cluster.stop()
            let notReady = try await server.get("/readyz")
            #expect(notReady.status == .serviceUnavailable)
            #expect(notReady.text == #"{"status":"unavailable","checks":{"database":"unreachable","accepting":true}}"#)
            #expect(try await server.get("/livez").status == .ok)
            for _ in 0..<3 {
                let started = ContinuousClock.now
                let response = try await server.get(uri, as: admin)
                let elapsed = ContinuousClock.now - started
                #expect(response.status == .serviceUnavailable)
                #expect(response.text.contains(#""success":false"#))
                #expect(response.text.contains(#""error":"Service Unavailable""#))
                // The 1 s acquire timeout answers, not a hang (the client gives up at 20 s); the margin is for a
                // machine whose two cores are busy with the process-model tests running alongside.
                #expect(elapsed < .seconds(5), "answered after \(elapsed)")
            }

            // Each 503 was a caller that gave up waiting, counted for the metrics.
            #expect(server.pool.statistics.acquireTimeouts >= 3)
            #expect(server.pool.statistics.isFailing)

            _ = try await cluster.start()
            var recovered = false
            for _ in 0..<50 where !recovered {
                recovered = try await server.get(uri, as: admin).status == .ok
                if !recovered { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(recovered)
            #expect(try await server.get("/readyz").status == .ok)
        }
    }

    @Test func brokenIdleConnectionsAreReplacedTransparently() async throws {
        let cluster = try await TestDatabase.startCluster()
        let conninfo = try cluster.conninfo
        let pool = ConnectionPool(
            configuration: .init(
                conninfo: conninfo,
                minimumConnections: 2,
                maximumConnections: 2,
                acquireTimeout: .seconds(5),
                catalogue: [
                    PreparedStatement(name: "one", sql: "SELECT 1", isIdempotent: true)
                ]
            ),
            logger: TestDatabase.logger
        )
        pool.start()
        defer { pool.shutdown() }
        let statement = PreparedStatement(name: "one", sql: "SELECT 1", isIdempotent: true)
        #expect(try await pool.query(statement, []).int(row: 0, column: 0) == 1)
        // Kill every other backend, as a server restart or an administrator would.
        try await pool.withSession { session in
            _ = try session.execute(
                sql: "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database()",
                []
            )
        }
        for _ in 0..<5 {
            #expect(try await pool.query(statement, []).int(row: 0, column: 0) == 1)
        }
    }
}
