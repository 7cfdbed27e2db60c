import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IntegrationsAPI
import IntegrationsServer
import IntegrationsStore
import LibPQ
import Testing

/// `/livez`, `/readyz`, `/health`: shapes, headers, and readiness while draining. (Readiness with PostgreSQL
/// down is in PoolRecoveryTests.)
@Suite struct HealthTests {
    /// The pool's first connection may take a while on a busy machine; readiness is what waits for it.
    static func eventuallyReady(_ probe: () async throws -> HTTPResponse.Status) async throws -> Bool {
        for _ in 0..<150 {
            if try await probe() == .ok { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func probesAnswerJSONThatIsNeverCached() async throws {
        try await TestServer.run { server in
            #expect(try await Self.eventuallyReady { try await server.get("/readyz").status })
            for (path, body) in [
                ("/livez", #"{"status":"ok"}"#), ("/health", #"{"status":"ok"}"#),
                ("/readyz", #"{"status":"ok","checks":{"database":"ok","accepting":true}}"#),
            ] {
                let response = try await server.get(path)
                #expect(response.status == .ok, "\(path)")
                #expect(response.text == body)
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(response.headers[.contentType] == "application/json")
            }
            #expect(try await server.get("/api/info").headers[.cacheControl] == "no-store")
        }
    }

    @Test func aDrainingServerIsNotReadyButAlive() async throws {
        let conninfo = try await TestDatabase.conninfo()
        let pool = DatabaseSetup.makePool(TestDatabase.configuration(), conninfo: conninfo, logger: TestDatabase.logger)
        pool.start()
        defer { pool.shutdown() }
        let draining = DrainingFlag()
        let app = Application(router: APIRouter.make(store: Store(pool: pool), draining: draining))
        try await app.test(.router) { client in
            #expect(try await Self.eventuallyReady { try await client.execute(uri: "/readyz", method: .get).status })
            draining.raise()
            let response = try await client.execute(uri: "/readyz", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(String(buffer: response.body) == #"{"status":"unavailable","checks":{"database":"ok","accepting":false}}"#)
            #expect(try await client.execute(uri: "/livez", method: .get).status == .ok)
        }
    }
}
