import Foundation
import IntegrationsAPI
import IntegrationsServer
import IntegrationsStore
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
        ("DEBUG_WORKER_HEADER", "maybe"), ("DEBUG_WORKER_HEADER", ""), ("METRICS_ENABLED", "maybe"), ("DB_PIPELINE_DEPTH", "0"),
        ("DB_PIPELINE_DEPTH", "deep"), ("OUTGOING_DB_POOL_MAX", "0"), ("OUTGOING_DB_POOL_MAX", "many"),
    ])
    func badValuesNameTheSetting(key: String, value: String) {
        #expect {
            try ServiceConfiguration(values: [key: value])
        } throws: { error in
            "\(error)".contains(key)
        }
    }

    @Test func loginBlockingAndTheRateLimiterTakeRocketChatsSettingNames() throws {
        let defaults = try ServiceConfiguration(values: [:])
        #expect(defaults.loginBlocking.byUser?.failures == 10 && defaults.loginBlocking.byUser?.seconds == 300)
        #expect(defaults.loginBlocking.byAddress?.failures == 50 && defaults.loginBlocking.byAddress?.seconds == 300)
        #expect(defaults.rateLimit == .init(calls: 10, windowMilliseconds: 60_000))
        let tuned = try ServiceConfiguration(values: [
            "OVERWRITE_SETTING_Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User": "2",
            "OVERWRITE_SETTING_Block_Multiple_Failed_Logins_Time_To_Unblock_By_User_In_Minutes": "0.05",
            "OVERWRITE_SETTING_Block_Multiple_Failed_Logins_By_Ip": "false",
            "OVERWRITE_SETTING_Block_Multiple_Failed_Logins_Ip_Whitelist": "10.0.0.1, ::1",
            "OVERWRITE_SETTING_API_Enable_Rate_Limiter": "false",
        ])
        #expect(tuned.loginBlocking.byUser?.failures == 2 && tuned.loginBlocking.byUser?.seconds == 3)
        #expect(tuned.loginBlocking.byAddress == nil)
        #expect(tuned.loginBlocking.addressAllowList == ["10.0.0.1", "::1"])
        #expect(tuned.rateLimit == nil)
        let limited = try ServiceConfiguration(values: [
            "OVERWRITE_SETTING_API_Enable_Rate_Limiter_Limit_Calls_Default": "3",
            "OVERWRITE_SETTING_API_Enable_Rate_Limiter_Limit_Time_Default": "1000",
        ])
        #expect(limited.rateLimit == .init(calls: 3, windowMilliseconds: 1000))
        let off = try ServiceConfiguration(values: ["OVERWRITE_SETTING_Block_Multiple_Failed_Logins_Enabled": "false"]).loginBlocking
        #expect(off.byUser == nil && off.byAddress == nil)
        for (key, value) in [
            ("OVERWRITE_SETTING_Block_Multiple_Failed_Logins_Attempts_Until_Block_By_Ip", "0"),
            ("OVERWRITE_SETTING_API_Enable_Rate_Limiter", "perhaps"),
            ("OVERWRITE_SETTING_Block_Multiple_Failed_Logins_Ip_Whitelist", "10.0.0.0/8"),
            ("TRUSTED_PROXIES", "10.0.0.0/99"), ("ROOT_URL", "ftp://x/y"), ("LOG_FORMAT", "xml"),
        ] {
            #expect { try ServiceConfiguration(values: [key: value]) } throws: { "\($0)".contains(key) }
        }
        #expect(try ServiceConfiguration(values: ["ROOT_URL": "https://chat.example.com/integrations/"]).pathPrefix == "/integrations")
        #expect(try ServiceConfiguration(values: ["ROOT_URL": "https://chat.example.com"]).pathPrefix == "")
    }

    @Test func poolMinimumMayNotExceedMaximum() {
        #expect(throws: ServiceConfiguration.Invalid.self) {
            try ServiceConfiguration(values: ["DB_POOL_MIN": "5", "DB_POOL_MAX": "2"])
        }
    }
}
