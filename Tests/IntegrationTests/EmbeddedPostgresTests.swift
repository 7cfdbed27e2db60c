import Foundation
import IntegrationsServer
import LibPQ
import Testing

/// The embedded cluster: created from the machine's PostgreSQL binaries, stopped cleanly, restarted on the same data.
@Suite struct EmbeddedPostgresTests {
    @Test func stopsCleanlyAndRestartsOnTheSameData() async throws {
        let cluster = try await TestDatabase.startCluster()
        #expect(try await cluster.isRunning())
        try await execute("CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')", on: cluster)

        try await cluster.stop()
        #expect(try await !cluster.isRunning())
        #expect(!FileManager.default.fileExists(atPath: cluster.clusterDirectory.appendingPathComponent("postmaster.pid").path))

        #expect(try await cluster.start())
        let value = try await query("SELECT value FROM kept", on: cluster)
        #expect(value == "still here")
    }

    private func execute(_ sql: String, on cluster: EmbeddedPostgres) async throws {
        let pool = TestDatabase.singleConnectionPool(try cluster.conninfo)
        defer { pool.shutdown() }
        try await pool.withSession { try $0.executeScript(sql) }
    }

    private func query(_ sql: String, on cluster: EmbeddedPostgres) async throws -> String? {
        let pool = TestDatabase.singleConnectionPool(try cluster.conninfo)
        defer { pool.shutdown() }
        return try await pool.withSession { try $0.execute(sql: sql, []).string(row: 0, column: 0) }
    }
}
