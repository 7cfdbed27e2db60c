import IntegrationsServer
import IntegrationsStore
import LibPQ
import Testing

@Suite struct MigratorTests {
    @Test func concurrentRunsApplyEachMigrationOnce() async throws {
        let cluster = try await TestDatabase.startCluster()
        let conninfo = try cluster.conninfo
        let migrator = Migrator(migrations: [
            .init(version: 1, name: "one", sql: "CREATE TABLE one (id int)"),
            .init(version: 2, name: "two", sql: "CREATE TABLE two (id int); INSERT INTO two VALUES (2)"),
        ])
        let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let pool = TestDatabase.singleConnectionPool(conninfo)
                    defer { pool.shutdown() }
                    return try await migrator.run(on: pool, logger: TestDatabase.logger)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(applied.flatMap { $0 }.sorted() == [1, 2])

        let changed = Migrator(migrations: [.init(version: 1, name: "one", sql: "CREATE TABLE one (id bigint)")])
        let pool = TestDatabase.singleConnectionPool(conninfo)
        defer { pool.shutdown() }
        await #expect(throws: Migrator.Failure.self) { try await changed.run(on: pool, logger: TestDatabase.logger) }
    }

    @Test func failingMigrationLeavesNothingBehind() async throws {
        let cluster = try await TestDatabase.startCluster()
        let pool = TestDatabase.singleConnectionPool(try cluster.conninfo)
        defer { pool.shutdown() }
        let broken = Migrator(migrations: [.init(version: 1, name: "broken", sql: "CREATE TABLE half (id int); SELECT no_such_function()")])
        await #expect(throws: PostgresError.self) { try await broken.run(on: pool, logger: TestDatabase.logger) }
        let tables = try await pool.withSession { session in
            try session.execute(sql: "SELECT count(*) FROM pg_tables WHERE tablename IN ('half')", []).int(row: 0, column: 0)
        }
        #expect(tables == 0)
        let fixed = Migrator(migrations: [.init(version: 1, name: "broken", sql: "CREATE TABLE half (id int)")])
        #expect(try await fixed.run(on: pool, logger: TestDatabase.logger) == [1])
    }
}
