import Foundation
import HTTPTypes
import HummingbirdTesting
import IntegrationsCore
import IntegrationsStore
import NIOCore
import Testing

/// The exact round trip of history payloads: generated documents written through the data layer, read back
/// through the HTTP API, compared as values (key order aside, numbers as exact decimals).
@Suite struct RoundTripTests {
    static let cases = 300

    @Test func generatedPayloadsComeBackExactly() async throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["ROUND_TRIP_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64.max)
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let integrationId = try await server.createIntegration(type: "webhook-outgoing", createdBy: admin)
            let history = HistoryRepository(pool: server.pool)
            var generator = JSONGenerator(seed: seed)
            var payloads: [String: JSONValue] = [:]
            for index in 0..<Self.cases {
                let payload = index == 0 ? generator.deep(levels: 120) : generator.value()
                let id = String(format: "rt%05d", index)
                payloads[id] = payload
                let record = JSONValue.object([
                    ("_id", .string(id)), ("integration", .object([("_id", .string(integrationId))])),
                    ("_updatedAt", .string("2024-01-10T14:12:52.201Z")), ("data", payload),
                ])
                try await history.insert(record)
            }
            let response = try await server.get("/api/v1/integrations.history?id=\(integrationId)&count=0", as: admin)
            #expect(response.status == .ok)
            let body = try JSONParser.parse(response.body.readableBytesView)
            let records = try #require(body["history"]?.arrayValue)
            #expect(records.count == Self.cases)
            for record in records {
                let id = try #require(record["_id"]?.stringValue)
                let sent = try #require(payloads[id])
                #expect(JSONEquality.same(try #require(record["data"]), sent), "seed \(seed), record \(id): sent \(sent.text)")
            }
        }
    }

    @Test func decimalEqualityIsExact() {
        typealias D = JSONEquality.Decimal
        #expect(D("1e2") == D("100"))
        #expect(D("-0") == D("0.000"))
        #expect(D("1.50") == D("1.5"))
        #expect(D("1e400") == D("1" + String(repeating: "0", count: 400)))
        #expect(D("-1.5E-10") == D("-0.00000000015"))
        #expect(D("9007199254740993") != D("9007199254740992"))
        #expect(D("0.1000000000000000055511151231257827") != D("0.1"))
    }

    @Test func nulCharactersAreRefusedNotAltered() async throws {
        try await TestServer.run { server in
            let history = HistoryRepository(pool: server.pool)
            let record = JSONValue.object([
                ("_id", .string(RandomToken.id())), ("integration", .object([("_id", .string("x"))])), ("data", .string("a\u{0}b")),
            ])
            await #expect {
                try await history.insert(record)
            } throws: { error in
                (error as? StoreError)?.kind == .invalidDocument
            }
        }
    }
}
