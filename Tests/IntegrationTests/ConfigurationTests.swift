import Foundation
import IntegrationsServer
import Logging
import Testing

@Suite struct ConfigurationTests {
    @Test func defaultsMatchTheDocumentation() throws {
        let configuration = try ServiceConfiguration(values: [:])
        #expect(configuration.port == 3000)
        #expect(configuration.bindIP == "0.0.0.0")
        #expect(configuration.databaseURL == nil)
        #expect(configuration.dataDirectory == "./.data")
        #expect(configuration.adminUsername == "admin")
        #expect(configuration.workers == nil)
        #expect(configuration.workerCount == ProcessInfo.processInfo.activeProcessorCount)
        #expect(configuration.workerHeartbeatTimeoutMilliseconds == 10_000)
        #expect(configuration.gracefulTimeoutMilliseconds == 30_000)
        #expect(configuration.debugWorkerHeader == false)
    }

    @Test func processSettings() throws {
        let configuration = try ServiceConfiguration(values: ["WORKERS": "0", "GRACEFUL_TIMEOUT_MS": "250", "DEBUG_WORKER_HEADER": "TRUE"])
        #expect(configuration.workerCount == 0)
        #expect(configuration.gracefulTimeoutMilliseconds == 250)
        #expect(configuration.debugWorkerHeader)
    }

    @Test func environmentOverridesTheFile() throws {
        let configuration = try ServiceConfiguration.load(
            file: "config/integrations.conf",
            environment: ["PORT": "4000", "DATABASE_URL": "postgres://u:p@db:5432/x", "LOG_LEVEL": "DEBUG"]
        )
        #expect(configuration.port == 4000)
        #expect(configuration.databaseURL == "postgres://u:p@db:5432/x")
        #expect(configuration.logLevel == .debug)
    }

    @Test(arguments: [
        ("PORT", "70000"), ("PORT", "abc"), ("BIND_IP", "localhost:3000"), ("DB_POOL_MAX", "0"),
        ("DB_ACQUIRE_TIMEOUT_MS", "-5"), ("LOG_LEVEL", "loud"), ("DATABASE_URL", "mysql://x"), ("ADMIN_USERNAME", "a b"),
        ("ADMIN_EMAIL", "not-an-email"), ("NO_SUCH_SETTING", "1"),
        ("DATABASE_URL", "postgres://u:p@host:notaport/db"), ("DATABASE_URL", "host=x nosuchkey=1"),
        ("WORKERS", "-1"), ("WORKERS", "1000"), ("WORKER_HEARTBEAT_TIMEOUT_MS", "10"), ("GRACEFUL_TIMEOUT_MS", "soon"),
        ("DEBUG_WORKER_HEADER", "maybe"),
    ])
    func badValuesNameTheSetting(key: String, value: String) {
        #expect {
            try ServiceConfiguration(values: [key: value])
        } throws: { error in
            "\(error)".contains(key)
        }
    }

    @Test func poolMinimumMayNotExceedMaximum() {
        #expect(throws: ServiceConfiguration.Invalid.self) {
            try ServiceConfiguration(values: ["DB_POOL_MIN": "5", "DB_POOL_MAX": "2"])
        }
    }
}
