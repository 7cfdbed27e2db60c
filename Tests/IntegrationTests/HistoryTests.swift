import Foundation
import HTTPTypes
import HummingbirdTesting
import IntegrationsCore
import IntegrationsServer
import IntegrationsStore
import Testing

/// The history write path (insert, then step-by-step updates) and retention.
@Suite struct HistoryTests {
    @Test func recordsAreInsertedThenUpdatedStepByStep() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let integrationId = try await server.createIntegration(type: "webhook-outgoing", createdBy: admin)
            let history = HistoryRepository(pool: server.pool)
            let id = RandomToken.id()
            try await history.insert(
                try JSONParser.parse(#"{"_id":"\#(id)","type":"outgoing-webhook","step":"start-execute-trigger-url","integration":{"_id":"\#(integrationId)"},"event":"sendMessage","_createdAt":"2024-01-10T14:12:52.201Z","_updatedAt":"2024-01-10T14:12:52.201Z"}"#)
            )
            #expect(try await history.update(id: id, fields: .object([("step", .string("mapped-args-to-data")), ("data", .object([("text", .string("hi"))]))]), now: "2024-01-10T14:12:53.000Z"))
            #expect(try await history.update(id: id, fields: .object([("step", .string("after-http-call")), ("httpResult", .string("\"{}\""))]), now: "2024-01-10T14:12:54.000Z"))
            #expect(try await !history.update(id: "no-such-record", fields: .object([("step", .string("x"))])))

            let response = try await server.get("/api/v1/integrations.history?id=\(integrationId)", as: admin)
            let record = try #require(try await server.extract("-> 'history' -> 0", from: response.text))
            #expect(try await server.extract("->> 'step'", from: record) == "after-http-call")
            #expect(try await server.extract("-> 'data' ->> 'text'", from: record) == "hi")
            #expect(try await server.extract("->> 'httpResult'", from: record) == "\"{}\"")
            #expect(try await server.extract("->> 'event'", from: record) == "sendMessage")
            #expect(try await server.extract("->> '_updatedAt'", from: record) == "2024-01-10T14:12:54.000Z")
        }
    }

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
