import LoadTest
import Testing

/// `integrations loadtest`: the seed, and runs against the real server that verify what they measure.
/// The seed adds users and integrations every other test would see, so it gets a database of its own.
@Suite struct LoadTestTests {
    static let dataSet = LoadDataSet(integrations: 300, historyPerIntegration: 3)

    @Test func closedLoopRunChecksEveryAnswerAndPasses() async throws {
        let database = try await TestDatabase.privateDatabase()
        try await TestServer.run(conninfo: database.conninfo) { server in
            try await Self.dataSet.seed(server.pool)
            // Seeding twice changes nothing (the rows exist).
            try await Self.dataSet.seed(server.pool)

            var options = LoadTest.Options(target: LoadTest.Target(host: "127.0.0.1", port: server.client.port))
            options.dataSet = Self.dataSet
            options.connections = 4
            // A fixed number of requests, not a duration: the other suites share the cores, so the rate is anyone's guess.
            options.duration = .seconds(120)
            options.requestLimit = 120
            options.checkEvery = 1
            let report = try await LoadTest.run(options)
            #expect(report.passed, "\(report.text)")
            #expect(report.mode == "closed-loop")
            #expect(report.requests == 120)
            #expect(report.verification.checked == report.requests)
            #expect(report.statuses["200", default: 0] > 0 && report.statuses["400", default: 0] > 0)
            #expect(Set(report.requestsByKind.keys) == ["admin", "admin-history", "own", "unknown"])
            #expect(report.bytesPerSecond > 0 && report.latencyMs.p99 >= report.latencyMs.p50)

            // The JSON summary carries the same figures under snake_case keys.
            let json = try report.json()
            #expect(json.contains("\"requests_per_second\"") && json.contains("\"latency_ms\"") && json.contains("\"p999\""))

            // A fast wrong answer is caught: told that 600 integrations exist, half of its gets expect an
            // integration the server (rightly) does not have.
            var wrong = options
            wrong.dataSet = LoadDataSet(integrations: 600, historyPerIntegration: 3)
            wrong.mix = try RequestMix(parsing: "admin")
            wrong.requestLimit = 40
            let failed = try await LoadTest.run(wrong)
            #expect(!failed.passed)
            #expect(failed.verification.unexpectedStatuses > 0)
            #expect(failed.verification.failed > 0)
            #expect(failed.verification.problems.contains { $0.contains("status 400, expected 200") })
        }
    }

    @Test func constantRateKeepsItsRate() async throws {
        let database = try await TestDatabase.privateDatabase()
        try await TestServer.run(conninfo: database.conninfo) { server in
            try await Self.dataSet.seed(server.pool)
            var options = LoadTest.Options(target: LoadTest.Target(host: "127.0.0.1", port: server.client.port))
            options.dataSet = Self.dataSet
            options.connections = 4
            options.rate = 25
            options.duration = .seconds(2)
            options.requestTimeout = .seconds(30)
            let report = try await LoadTest.run(options)
            #expect(report.passed, "\(report.text)")
            #expect(report.mode == "constant-rate" && report.targetRate == 25)
            // 50 requests were scheduled in the 2 s; late ones are still sent after the 2 s (a stall is measured,
            // not dropped), and none beyond the schedule.
            #expect(report.requests == 50, "\(report.requests)")
            // Paced, not as fast as possible: the 50th request was not meant to leave before 1.96 s.
            #expect(report.seconds >= 1.9, "\(report.seconds)")
        }
    }

    @Test func aTargetThatDoesNotListenIsAnError() async throws {
        var options = LoadTest.Options(target: LoadTest.Target(host: "127.0.0.1", port: try TestDatabase.freePort()))
        options.duration = .seconds(1)
        await #expect(throws: LoadTestError.self) { try await LoadTest.run(options) }
    }
}
