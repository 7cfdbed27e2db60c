import Foundation
import HTTPTypes
import HummingbirdTesting
import IntegrationsCore
import LibPQ
import Testing

@testable import IntegrationsServer

#if canImport(Glibc)
import Glibc
#endif

/// The delivery guarantees under faults: a worker killed mid-call, the whole service killed with retries
/// pending, PostgreSQL restarted while events arrive. Each runs the real executable (or an in-process server on
/// a cluster of its own) and a loopback sink; one at a time, on databases no other test's engine reads.
@Suite(.serialized) struct OutgoingFaultTests {
    static let database = Task<String, any Error> {
        try await TestDatabase.migratedDatabase("outgoing_faults", besides: try await OutgoingWebhookTests.database.value)
    }

    /// `integrations serve` on the suite's database with outgoing webhooks on (to 127.0.0.2 only), and a client.
    static func withService(
        workers: Int,
        metrics: Bool = false,
        gracefulTimeout: Int = 5000,
        pollMilliseconds: Int = 200,
        _ body: (ServiceProcess, TestServer) async throws -> Void
    ) async throws {
        let conninfo = try await database.value
        let process = try ServiceProcess(
            ["serve"],
            environment: [
                "DATABASE_URL": conninfo, "BIND_IP": "127.0.0.1", "PORT": "0", "WORKERS": "\(workers)", "DB_POOL_MAX": "2",
                "MIGRATIONS_DIR": TestDatabase.migrationsDirectory, "METRICS_ENABLED": "\(metrics)", "METRICS_PORT": "0",
                "HISTORY_RETENTION_DAYS": "0",
                "OUTGOING_ENABLED": "true", "OUTGOING_LEASE_MS": "2000", "OUTGOING_POLL_MS": "\(pollMilliseconds)",
                "OUTGOING_ALLOWED_CIDRS": "127.0.0.2/32",
                "OVERWRITE_SETTING_API_Enable_Rate_Limiter": "false", "GRACEFUL_TIMEOUT_MS": "\(gracefulTimeout)",
                "OVERWRITE_SETTING_Block_Multiple_Failed_Logins_Enabled": "false",
            ]
        )
        defer { process.killGroup() }
        let port = try await process.waitForPort()
        try await process.waitForLine(timeout: .seconds(30)) { _ in process.readyWorkers.count >= workers }
        let pool = DatabaseSetup.makePool(TestDatabase.configuration(), conninfo: conninfo, logger: TestDatabase.logger)
        pool.start()
        defer { pool.shutdown() }
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(10)))
        client.connect()
        do {
            try await body(process, TestServer(pool: pool, client: LiveClient(client: client, port: port)))
            try? await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Polls the integration's history until `done` holds (bounded).
    static func history(_ server: TestServer, _ admin: TestUser, _ id: String, until done: ([JSONValue]) -> Bool) async throws -> [JSONValue] {
        var records: [JSONValue] = []
        for _ in 0..<200 {
            records = try await OutgoingWebhookTests.history(server, as: admin, of: id)
            if done(records) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return records
    }

    @Test func aWorkerKilledMidCallIsReplacedAndTheDeliveryRepeatedUnderItsWebhookId() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.withService(workers: 2) { process, server in
                let admin = try await server.createUser(roles: ["admin"])
                let room = try await server.createRoom()
                let id = try await OutgoingWebhookTests.createOutgoing(
                    server,
                    as: admin,
                    event: "roomJoined",
                    channel: "#\(room.name)",
                    urls: [sink.url("/hold")]
                )
                try await OutgoingWebhookTests.join(server, try await server.createUser(roles: ["user"]), room.id)
                let held = await sink.waitForRequests(count: 1, timeout: .seconds(10))
                let first = try #require(held.first)
                let owner = try await server.pool.withSession { session in
                    try session.execute(sql: "SELECT lease_owner FROM outgoing_deliveries WHERE integration_id = $1", [id]).string(row: 0, column: 0)
                }
                let pid = try #require(owner?.split(separator: ":").last.flatMap { pid_t($0) })
                #expect(process.readyWorkers.contains(pid))
                kill(pid, SIGKILL)
                sink.release()

                let calls = await sink.waitForRequests(count: 2, timeout: .seconds(15))
                #expect(calls.count == 2)
                let second = try #require(calls.last)
                #expect(second.header("webhook-id") == first.header("webhook-id"))
                #expect(second.text == first.text)
                // Not before the killed worker's lease (2 s) ran out.
                #expect(second.arrival - first.arrival >= .milliseconds(1500))
                // Read from the database: the client's keep-alive connection may have been the killed worker's.
                var steps: [String] = []
                for _ in 0..<200 where !steps.contains("after-http-call") {
                    steps = try await server.pool.withSession { session in
                        let result = try session.execute(sql: "SELECT doc ->> 'step' FROM integration_history WHERE integration_id = $1", [id])
                        return (0..<result.rowCount).compactMap { result.string(row: $0, column: 0) }.sorted()
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
                // The abandoned attempt stays at its last step; the takeover is not a retry.
                #expect(steps == ["after-http-call", "pre-http-call"])
                try await Task.sleep(for: .milliseconds(500))
                #expect(sink.requests.count == 2)
            }
        }
    }

    @Test func retriesPendingWhenTheServiceIsKilledRunAtTheirTimeAfterItRestarts() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            var integration: (id: String, admin: TestUser)?
            try await Self.withService(workers: 1) { process, server in
                let admin = try await server.createUser(roles: ["admin"])
                let room = try await server.createRoom()
                let id = try await OutgoingWebhookTests.createOutgoing(
                    server,
                    as: admin,
                    event: "roomJoined",
                    channel: "#\(room.name)",
                    urls: [sink.url("/status/404")],
                    extra: #","retryFailedCalls":true,"retryCount":1,"retryDelay":"powers-of-two""#
                )
                try await OutgoingWebhookTests.join(server, try await server.createUser(roles: ["user"]), room.id)
                _ = try await Self.history(server, admin, id) { $0.first?["step"] == .string("going-to-retry-1") }
                // Rocket.Chat keeps its retries in memory timers; here the retry is a row due 2 s after the call.
                process.killGroup()
                _ = try await process.waitForExit(timeout: .seconds(10))
                integration = (id, admin)
            }
            #expect(sink.requests.count == 1)
            let (id, admin) = try #require(integration)
            try await Self.withService(workers: 1) { _, server in
                let calls = await sink.waitForRequests(count: 2, timeout: .seconds(20))
                #expect(calls.count == 2)
                if calls.count == 2 {
                    #expect(calls[1].arrival - calls[0].arrival >= .seconds(2))
                    #expect(calls[1].header("webhook-id") == calls[0].header("webhook-id"))
                }
                let records = try await Self.history(server, admin, id) { $0.count == 2 && $0.first?["step"] == .string("too-many-retries") }
                #expect(records.compactMap { $0["step"]?.stringValue } == ["too-many-retries", "going-to-retry-1"])
            }
        }
    }

    @Test func noAcknowledgedEventIsLostWhenPostgreSQLRestartsWhileEventsArrive() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            let (cluster, conninfo) = try await TestDatabase.privateDatabase()
            try await TestServer.run(
                conninfo: conninfo,
                configure: { $0.acquireTimeoutMilliseconds = 2000 },
                delivering: OutgoingWebhookTests.settings()
            ) { server in
                let admin = try await server.createUser(roles: ["admin"])
                let joiner = try await server.createUser(roles: ["user"])
                _ = try await OutgoingWebhookTests.createOutgoing(
                    server,
                    as: admin,
                    event: "roomJoined",
                    channel: "all_public_channels",
                    urls: [sink.url("/ok")]
                )
                var rooms: [String] = []
                for _ in 0..<30 { rooms.append(try await server.createRoom().id) }
                var acknowledged: Set<String> = []
                for (index, room) in rooms.enumerated() {
                    if index == 10 {
                        try await cluster.stop()
                        _ = try await cluster.start()
                    }
                    let response = try? await server.post("/api/v1/channels.join", json: #"{"roomId":"\#(room)"}"#, as: joiner)
                    if response?.status == .ok { acknowledged.insert(room) }
                }
                #expect(acknowledged.count >= 20)
                func delivered() -> Set<String> {
                    Set(sink.requests.compactMap { (try? JSONParser.parse($0.text))?["channel_id"]?.stringValue })
                }
                let deadline = ContinuousClock.now + .seconds(20)
                while !acknowledged.isSubset(of: delivered()), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
                #expect(acknowledged.subtracting(delivered()).isEmpty, "lost: \(acknowledged.subtracting(delivered()))")
            }
        }
    }

    @Test func metricsCountAttemptsByOutcomeAndShowTheQueue() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.withService(workers: 1, metrics: true) { process, server in
                let line = try await process.waitForLine { $0.contains("metrics listening") }
                let port = try #require(line.firstMatch(of: /address=127\.0\.0\.1:(\d+)/).flatMap { Int($0.1) })
                let admin = try await server.createUser(roles: ["admin"])
                let room = try await server.createRoom()
                let id = try await OutgoingWebhookTests.createOutgoing(
                    server,
                    as: admin,
                    event: "roomJoined",
                    channel: "#\(room.name)",
                    urls: [sink.url("/ok"), sink.url("/status/404")]
                )
                try await OutgoingWebhookTests.join(server, try await server.createUser(roles: ["user"]), room.id)
                _ = try await Self.history(server, admin, id) { records in
                    records.count == 2 && records.allSatisfy { $0["step"] != .string("pre-http-call") }
                }
                var text = ""
                for _ in 0..<40 where !(text.contains(#"outcome="2xx""#) && text.contains(#"outcome="4xx""#)) {
                    try await Task.sleep(for: .milliseconds(250))
                    let scrape = try RawConnection(port: port)
                    defer { scrape.close() }
                    text = try await scrape.exchange("GET", "/metrics").body
                }
                let attempts = text.split(separator: "\n").filter { $0.hasPrefix("integrations_outgoing_attempts_total{") }
                #expect(attempts.contains { $0.contains(#"outcome="2xx""#) && $0.hasSuffix(" 1") }, "\(attempts)")
                #expect(attempts.contains { $0.contains(#"outcome="4xx""#) && $0.hasSuffix(" 1") }, "\(attempts)")
                #expect(text.contains("integrations_outgoing_attempt_duration_seconds_bucket{"))
                #expect(text.contains("integrations_outgoing_deliveries_due "))
                #expect(text.contains("integrations_outgoing_deliveries_in_flight "))
                #expect(text.contains("integrations_outgoing_oldest_due_seconds "))
            }
        }
    }

    @Test func aStoppingServiceGivesBackTheCallsItCouldNotFinish() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.withService(workers: 1, gracefulTimeout: 2000) { process, server in
                let admin = try await server.createUser(roles: ["admin"])
                let room = try await server.createRoom()
                let id = try await OutgoingWebhookTests.createOutgoing(
                    server,
                    as: admin,
                    event: "roomJoined",
                    channel: "#\(room.name)",
                    urls: [sink.url("/hold")]
                )
                try await OutgoingWebhookTests.join(server, try await server.createUser(roles: ["user"]), room.id)
                #expect(await sink.waitForRequests(count: 1, timeout: .seconds(10)).count == 1)
                process.send(SIGTERM)
                let status = try await process.waitForExit(timeout: .seconds(15))
                #expect(status == IntegrationsServer.ExitStatus.exited(code: 0), "\(process.lines.suffix(20).joined(separator: "\n"))")
                // Given back, due now: the next engine makes the call at once, not after the lease.
                let delivery = try await server.pool.withSession { session in
                    let result = try session.execute(
                        sql: "SELECT lease_token IS NULL, due_at <= now() FROM outgoing_deliveries WHERE integration_id = $1",
                        [id]
                    )
                    return (result.rowCount, result.bool(row: 0, column: 0), result.bool(row: 0, column: 1))
                }
                #expect(delivery.0 == 1)
                #expect(delivery.1 == true && delivery.2 == true, "\(process.lines.suffix(30).joined(separator: "\n"))")
                sink.release()
            }
        }
    }

    @Test func anotherProcessesWriteWakesTheEngineThroughNotifyNotThePoll() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            // The service polls once a minute: only a notification can make it deliver within seconds.
            try await Self.withService(workers: 1, pollMilliseconds: 60_000) { _, _ in
                try await TestServer.run(conninfo: try await Self.database.value, notifying: true) { server in
                    let admin = try await server.createUser(roles: ["admin"])
                    let room = try await server.createRoom()
                    _ = try await OutgoingWebhookTests.createOutgoing(
                        server,
                        as: admin,
                        event: "roomJoined",
                        channel: "#\(room.name)",
                        urls: [sink.url("/ok?notified")]
                    )
                    // Let the service's engine make its claim at start and go to sleep.
                    try await Task.sleep(for: .seconds(1))
                    let joined = ContinuousClock.now
                    try await OutgoingWebhookTests.join(server, try await server.createUser(roles: ["user"]), room.id)
                    let calls = await sink.waitForRequests(count: 1, timeout: .seconds(10))
                    let call = try #require(calls.first)
                    #expect(call.path == "/ok?notified")
                    #expect(call.arrival - joined < .seconds(3))
                }
            }
        }
    }
}
