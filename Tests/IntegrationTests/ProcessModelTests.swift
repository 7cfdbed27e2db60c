import Foundation
import HTTPTypes
import HummingbirdTesting
import LibPQ
import NIOCore
import Testing

@testable import IntegrationsServer

#if canImport(Glibc)
import Glibc
#endif

/// `integrations serve` as users run it: the real executable, a supervisor and its worker processes, signals.
/// Each test starts its own service on a free loopback port over the shared test database.
@Suite(.serialized) struct ProcessModelTests {
    @Test func requestsSpreadOverTheWorkers() async throws {
        try await RunningService.with(workers: 3) { service in
            var answered: [pid_t] = []
            for _ in 0..<30 {
                // A fresh connection each time: which worker accepts it is the kernel's choice.
                let response = try await service.freshConnectionGet()
                #expect(response.status == .ok)
                if let pid = response.headers[HTTPServer.workerPidHeaderName].flatMap({ pid_t($0) }) { answered.append(pid) }
            }
            let workers = service.workerPids()
            #expect(workers.count == 3)
            #expect(Set(answered).count > 1, "every request went to one worker: \(answered)")
            #expect(Set(answered).isSubset(of: workers))
        }
    }

    @Test func aKilledWorkerIsBackWithinTwoSecondsAndOnlyItsRequestsFail() async throws {
        try await RunningService.with(workers: 2) { service in
            let load = service.loadClient()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await load.run(connections: 8, pause: .milliseconds(5)) }
                try await Task.sleep(for: .seconds(1))
                let victim = try #require(load.outcomes.last(where: { $0.pid != nil })?.pid)
                let onVictim = Set(load.outcomes.filter { $0.pid == victim }.map(\.connection))
                let readyBefore = service.process.readyWorkers.count
                let killedAt = ContinuousClock.now
                kill(victim, SIGKILL)
                try await service.process.waitForLine(timeout: .seconds(5), after: 0) { _ in service.process.readyWorkers.count > readyBefore }
                let recovery = ContinuousClock.now - killedAt
                #expect(recovery < .seconds(2), "the replacement took \(recovery)")
                let replacement = try #require(service.process.readyWorkers.last)
                try await Task.sleep(for: .seconds(1))
                load.stop()
                try await group.waitForAll()

                let failures = load.failures
                print(
                    "kill -9 of a worker under load: replacement ready after \(recovery); \(failures.count) of \(load.outcomes.count) requests failed; the killed worker held \(onVictim.count) of 8 connections"
                )
                // At most one failure per connection the killed worker held, each on that worker.
                #expect(failures.allSatisfy { $0.previousPid == victim }, "\(failures.map(\.error))")
                #expect(failures.count <= onVictim.count)
                #expect(Set(failures.map(\.connection)).count == failures.count)
                #expect(!service.workerPids().contains(victim))
                #expect(service.workerPids().contains(replacement))
                let afterwards = load.outcomes.suffix(50)
                #expect(afterwards.allSatisfy { $0.status == 200 })
            }
        }
    }

    @Test func sigtermFinishesEveryAcceptedRequestAndLeavesNothingBehind() async throws {
        try await RunningService.with(workers: 2, environment: ["GRACEFUL_TIMEOUT_MS": "5000"]) { service in
            let load = service.loadClient()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await load.run(connections: 8, pause: .milliseconds(2)) }
                try await Task.sleep(for: .seconds(1))
                let workers = service.workerPids()
                load.stopOpeningConnections()
                let signalledAt = ContinuousClock.now
                service.process.send(SIGTERM)
                let status = try await service.process.waitForExit(timeout: .seconds(8))
                let stopTook = ContinuousClock.now - signalledAt
                load.stop()
                try await group.waitForAll()

                print("SIGTERM under load: stopped after \(stopTook); \(load.outcomes.count) requests, \(load.failures.count) failed")
                #expect(status == .exited(code: 0), "exit status \(String(describing: status)) after \(stopTook)")
                #expect(stopTook < .seconds(7))
                #expect(load.outcomes.count > 100)
                #expect(load.failures.isEmpty, "failed: \(load.failures.prefix(5).map { $0.error ?? "status \(String(describing: $0.status))" })")
                #expect(workers.allSatisfy { !ServiceProcess.isAlive($0) })
                #expect(!RunningService.accepts(port: service.port), "something still listens on \(service.port)")
            }
        }
    }

    @Test func sighupReplacesEveryWorkerWithoutAFailedRequest() async throws {
        try await RunningService.with(workers: 2) { service in
            let load = service.loadClient()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await load.run(connections: 8, pause: .milliseconds(2)) }
                try await Task.sleep(for: .seconds(1))
                let before = service.workerPids()
                let linesBefore = service.process.lines.count
                service.process.send(SIGHUP)
                for pid in before {
                    try await service.process.waitForLine(timeout: .seconds(15), after: linesBefore) { $0.contains("(pid \(pid)) stopped") }
                }
                let reloadedAt = load.outcomes.count
                try await Task.sleep(for: .milliseconds(500))
                load.stop()
                try await group.waitForAll()

                let after = service.workerPids()
                print(
                    "SIGHUP under load: \(load.outcomes.count) requests, \(load.failures.count) failed; workers \(before.sorted()) → \(after.sorted())"
                )
                #expect(after.count == 2)
                #expect(after.isDisjoint(with: before), "before \(before), after \(after)")
                #expect(load.outcomes.count > 200)
                #expect(load.failures.isEmpty, "failed: \(load.failures.prefix(5).map { $0.error ?? "status \(String(describing: $0.status))" })")
                let answeredAfter = Set(load.outcomes.dropFirst(reloadedAt).compactMap(\.pid))
                #expect(answeredAfter.isSubset(of: after))
            }
        }
    }

    @Test func ttinAddsAWorkerAndTtouRemovesOne() async throws {
        try await RunningService.with(workers: 1) { service in
            let first = service.workerPids()
            service.process.send(SIGTTIN)
            try await service.process.waitForLine(timeout: .seconds(10)) { _ in service.process.readyWorkers.count == 2 }
            #expect(service.workerPids().count == 2)
            let lines = service.process.lines.count
            service.process.send(SIGTTOU)
            try await service.process.waitForLine(timeout: .seconds(10), after: lines) { $0.contains(") stopped") }
            #expect(service.workerPids() == first)
            #expect(try await service.freshConnectionGet().status == .ok)
        }
    }

    @Test func aWorkerThatStopsAnsweringIsKilledAndReplaced() async throws {
        try await RunningService.with(workers: 1, environment: ["WORKER_HEARTBEAT_TIMEOUT_MS": "1000"]) { service in
            let stuck = try #require(service.workerPids().first)
            kill(stuck, SIGSTOP)
            try await service.process.waitForLine(timeout: .seconds(5)) { $0.contains("(pid \(stuck)) sent no heartbeat") }
            try await service.process.waitForLine(timeout: .seconds(5)) { _ in service.process.readyWorkers.count == 2 }
            #expect(!ServiceProcess.isAlive(stuck) || !service.workerPids().contains(stuck))
            #expect(try await service.freshConnectionGet().status == .ok)
        }
    }

    @Test func metricsAggregateEveryWorkerOnTheirOwnPort() async throws {
        try await RunningService.with(workers: 2) { service in
            let line = try await service.process.waitForLine { $0.contains("metrics listening") }
            let port = try #require(line.firstMatch(of: /address=127\.0\.0\.1:(\d+)/).flatMap { Int($0.1) })
            for _ in 0..<20 { #expect(try await service.freshConnectionGet().status == .ok) }
            // Workers write their figures every second.
            try await Task.sleep(for: .milliseconds(1500))
            let scrape = try RawConnection(port: port)
            defer { scrape.close() }
            let response = try await scrape.exchange("GET", "/metrics")
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            let text = response.body
            #expect(text.contains(#"route="/api/v1/integrations.get",status="200""#))
            #expect(text.contains(#"http_requests_total{worker="0""#) || text.contains(#"http_requests_total{worker="1""#))
            #expect(text.contains("http_request_duration_seconds_bucket{worker="))
            #expect(text.contains(#"statement="get_integration""#))
            #expect(text.contains(#"db_pool_connections{worker="0",state="idle"}"#))
            #expect(text.contains(#"db_pool_connections{worker="1",state="idle"}"#))
            #expect(text.contains("integrations_workers 2"))
            #expect(text.contains("integrations_worker_restarts_total 0"))
            // Each family is announced once, with all its samples after it.
            #expect(text.components(separatedBy: "# TYPE http_requests_total counter").count == 2)
            let served = text.split(separator: "\n").filter { $0.hasPrefix("http_requests_total{") && $0.contains("integrations.get") }
            let total = served.compactMap { Int($0.split(separator: " ").last ?? "") }.reduce(0, +)
            #expect(total >= 20)
            // The API's port does not serve metrics.
            #expect(try await service.server.get("/metrics").status == .notFound)
        }
    }

    @Test func workersZeroServesFromASingleProcess() async throws {
        let process = try ServiceProcess(
            ["serve", "--workers", "0"],
            environment: [
                "DATABASE_URL": try await TestDatabase.conninfo(), "BIND_IP": "127.0.0.1", "PORT": "0",
                "DEBUG_WORKER_HEADER": "true", "MIGRATIONS_DIR": TestDatabase.migrationsDirectory, "METRICS_ENABLED": "false",
            ]
        )
        defer { process.killGroup() }
        let port = try await process.waitForPort()
        #expect(process.lines.contains { $0.contains("(a single process)") })
        let response = try await SimpleClient(port: port).get("/api/info")
        #expect(response.status == .ok)
        #expect(response.headers[HTTPServer.workerPidHeaderName] == "\(process.pid)")
        // What a container's HEALTHCHECK runs.
        let probe = ["BIND_IP": "127.0.0.1", "PORT": "\(port)"]
        #expect(try await DeploymentFilesTests.run(ServiceProcess.executable, ["healthcheck"], environment: probe).0 == .exited(code: 0))
        process.send(SIGTERM)
        #expect(try await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
        #expect(!RunningService.accepts(port: port))
        #expect(try await DeploymentFilesTests.run(ServiceProcess.executable, ["healthcheck"], environment: probe).0 == .exited(code: 1))
    }

    @Test func theEmbeddedPostgreSQLStopsLastAndCleanlyAndKeepsItsData() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("integrations-serve-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: dataDirectory) }
        let environment = [
            "DATA_DIR": dataDirectory.path,
            "EMBEDDED_POSTGRES_PORT": "\(try TestDatabase.freePort())",
            "ADMIN_USERNAME": "admin",
            "ADMIN_PASS": "first-start-password",
        ]
        let login = #"{"user":"admin","password":"first-start-password"}"#

        // First start: creates the cluster; an integration is created through the API.
        var integrationId = ""
        try await RunningService.withEmbedded(environment: environment) { process, client in
            let session = try await client.post("/api/v1/login", json: login)
            let (user, token) = try session.credentials()
            let created = try await client.post(
                "/api/v1/integrations.create",
                json:
                    #"{"type":"webhook-incoming","name":"kept","enabled":true,"username":"rocket.cat","scriptEnabled":false,"channel":"\#u{23}general"}"#,
                user: user,
                token: token
            )
            #expect(created.status == .ok)
            integrationId = try #require(created.text.firstMatch(of: /"_id": ?"([^"]+)"/)?.1).description
        }
        let postmasterPid = dataDirectory.appendingPathComponent("postgres/postmaster.pid").path
        #expect(!FileManager.default.fileExists(atPath: postmasterPid), "the cluster was not stopped cleanly")

        // Second start: the same data.
        try await RunningService.withEmbedded(environment: environment) { process, client in
            #expect(!process.lines.contains { $0.contains("creating embedded PostgreSQL cluster") })
            let (user, token) = try await client.post("/api/v1/login", json: login).credentials()
            let got = try await client.get("/api/v1/integrations.get?integrationId=\(integrationId)", user: user, token: token)
            #expect(got.status == .ok)
            #expect(got.text.contains(#""name": "kept""#) || got.text.contains(#""name":"kept""#))
        }
        #expect(!FileManager.default.fileExists(atPath: postmasterPid))
    }
}

/// A service started for one test, with an administrator and an integration to ask for.
struct RunningService: Sendable {
    let process: ServiceProcess
    let port: Int
    let server: TestServer
    let admin: TestUser
    let integrationId: String

    static func with(workers: Int, environment extra: [String: String] = [:], _ body: (RunningService) async throws -> Void) async throws {
        let conninfo = try await TestDatabase.conninfo()
        var environment = [
            "DATABASE_URL": conninfo,
            "BIND_IP": "127.0.0.1",
            "PORT": "0",
            "WORKERS": "\(workers)",
            "DB_POOL_MIN": "1",
            "DB_POOL_MAX": "2",
            "DEBUG_WORKER_HEADER": "true",
            "GRACEFUL_TIMEOUT_MS": "5000",
            "HISTORY_RETENTION_DAYS": "0",
            "MIGRATIONS_DIR": TestDatabase.migrationsDirectory,
            "METRICS_PORT": "0",
        ]
        for (key, value) in extra { environment[key] = value }
        // The service's temporary files (the workers' metrics), removed even when the test kills it.
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("service-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        environment["TMPDIR"] = temporary.path
        let process = try ServiceProcess(["serve"], environment: environment)
        defer {
            process.killGroup()
            try? FileManager.default.removeItem(at: temporary)
        }
        let port = try await process.waitForPort()
        try await process.waitForLine(timeout: .seconds(30)) { _ in process.readyWorkers.count >= workers }

        let pool = DatabaseSetup.makePool(TestDatabase.configuration(), conninfo: conninfo, logger: TestDatabase.logger)
        pool.start()
        defer { pool.shutdown() }
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(10)))
        client.connect()
        let server = TestServer(pool: pool, client: LiveClient(client: client, port: port))
        let admin = try await server.createUser(roles: ["admin"])
        let integrationId = try await server.createIntegration(type: "webhook-incoming", createdBy: admin)
        let service = RunningService(process: process, port: port, server: server, admin: admin, integrationId: integrationId)
        do {
            try await body(service)
            try? await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// A service on its embedded PostgreSQL: started, handed to `body`, then stopped with SIGTERM (which must
    /// succeed).
    static func withEmbedded(environment extra: [String: String], _ body: (ServiceProcess, SimpleClient) async throws -> Void) async throws {
        var environment = [
            "BIND_IP": "127.0.0.1", "PORT": "0", "WORKERS": "1", "MIGRATIONS_DIR": TestDatabase.migrationsDirectory, "METRICS_PORT": "0",
        ]
        for (key, value) in extra { environment[key] = value }
        let process = try ServiceProcess(["serve"], environment: environment)
        defer { process.killGroup() }
        let port = try await process.waitForPort()
        try await process.waitForLine(timeout: .seconds(30)) { _ in !process.readyWorkers.isEmpty }
        try await body(process, SimpleClient(port: port))
        process.send(SIGTERM)
        let status = try await process.waitForExit(timeout: .seconds(30))
        #expect(status == .exited(code: 0), "\(process.lines.suffix(20).joined(separator: "\n"))")
    }

    /// The load of the tests: `integrations.get` of one integration by the administrator.
    func loadClient() -> LoadClient {
        var headers = HTTPFields()
        headers[HTTPField.Name("X-User-Id")!] = admin.id
        headers[HTTPField.Name("X-Auth-Token")!] = admin.token
        return LoadClient(port: port, uri: "/api/v1/integrations.get?integrationId=\(integrationId)", headers: headers)
    }

    /// One `integrations.get` on a connection of its own.
    func freshConnectionGet() async throws -> TestClient.Response {
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(10)))
        client.connect()
        var headers = HTTPFields()
        headers[HTTPField.Name("X-User-Id")!] = admin.id
        headers[HTTPField.Name("X-Auth-Token")!] = admin.token
        do {
            let response = try await client.execute(
                .init("/api/v1/integrations.get?integrationId=\(integrationId)", method: .get, authority: "localhost", headers: headers)
            )
            try? await client.shutdown()
            return response
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// The supervisor's live children, from `/proc` (every thread's list: a child belongs to the thread that
    /// spawned it).
    func workerPids() -> Set<pid_t> {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.pid)/task")) ?? []
        var children = Set<pid_t>()
        for task in tasks {
            let text = (try? String(contentsOfFile: "/proc/\(process.pid)/task/\(task)/children", encoding: .utf8)) ?? ""
            children.formUnion(text.split(separator: " ").compactMap { pid_t($0) })
        }
        return children
    }

    /// Whether a TCP connection to the loopback port succeeds.
    static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

/// One request per connection, for tests that talk to a service they did not start in-process.
struct SimpleClient: Sendable {
    let port: Int

    func get(_ uri: String, user: String? = nil, token: String? = nil) async throws -> TestResponse {
        var headers = HTTPFields()
        if let user, let token { headers.append(contentsOf: Self.credentials(user, token)) }
        return try await send(.init(uri, method: .get, authority: "localhost", headers: headers))
    }

    func post(_ uri: String, json: String, user: String? = nil, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let user, let token { headers.append(contentsOf: Self.credentials(user, token)) }
        return try await send(.init(uri, method: .post, authority: "localhost", headers: headers, body: ByteBuffer(string: json)))
    }

    private static func credentials(_ user: String, _ token: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[HTTPField.Name("X-User-Id")!] = user
        headers[HTTPField.Name("X-Auth-Token")!] = token
        return headers
    }

    private func send(_ request: TestClient.Request) async throws -> TestResponse {
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(10)))
        client.connect()
        defer { Task { try? await client.shutdown() } }
        let response = try await client.execute(request)
        return TestResponse(head: response.head, body: response.body ?? ByteBuffer())
    }
}

extension TestResponse {
    /// The `userId` and `authToken` of a login answer.
    func credentials() throws -> (user: String, token: String) {
        guard let user = text.firstMatch(of: /"userId":"([^"]+)"/)?.1, let token = text.firstMatch(of: /"authToken":"([^"]+)"/)?.1 else {
            throw ServiceProcess.Failure(description: "not a login answer: \(text)")
        }
        return (String(user), String(token))
    }
}
