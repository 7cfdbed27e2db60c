import Foundation
import HTTPTypes
import HummingbirdTesting
import IntegrationsCore
import IntegrationsServer
import IntegrationsStore
import Testing

/// History retention.
@Suite struct HistoryTests {
    /// Retention deletes across the whole table, so it runs on a database of its own.
    @Test func retentionDeletesOnlyExpiredRecordsInBatches() async throws {
        let database = try await TestDatabase.privateDatabase()
        try await TestServer.run(conninfo: database.conninfo) { server in
            let admin = try await server.createUser(roles: ["admin"])
            let integrationId = try await server.createIntegration(type: "webhook-outgoing", createdBy: admin)
            let history = HistoryRepository(pool: server.pool)
            let now = Date()
            for (index, age) in [1.0, 29.0, 31.0, 40.0, 400.0, 31.5, 45.0].enumerated() {
                let updated = RocketChatDate.string(from: now.addingTimeInterval(-age * 86_400))
                try await history.insert(
                    try JSONParser.parse(#"{"_id":"r\#(index)","integration":{"_id":"\#(integrationId)"},"_updatedAt":"\#(updated)"}"#)
                )
            }
            let service = HistoryRetentionService(history: history, retentionDays: 30, batchSize: 2, logger: TestDatabase.logger)
            #expect(try await service.purge(now: now) == 5)
            let left = try await server.get("/api/v1/integrations.history?id=\(integrationId)&sort=%7B%22_id%22%3A1%7D", as: admin)
            #expect(try await IntegrationsListTests.ids(left, server, key: "history") == ["r0", "r1"])
            let keepForever = HistoryRetentionService(history: history, retentionDays: 0, logger: TestDatabase.logger)
            #expect(try await keepForever.purge(now: now.addingTimeInterval(1e9)) == 0)
        }
    }
}
