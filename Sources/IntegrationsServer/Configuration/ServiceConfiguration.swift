import Foundation
import IntegrationsAPI
import IntegrationsCore
import IntegrationsDelivery
import IntegrationsStore
import LibPQ
import Logging

/// Every setting of the service, with its documented default. Read from `config/integrations.conf`
/// (or the file named by `--config` / `CONFIG_FILE`), then overridden by environment variables of the same name.
public struct ServiceConfiguration: Sendable, Equatable {
    /// `PORT`: the HTTP port (Rocket.Chat's default, 3000).
    public var port = 3000
    /// `BIND_IP`: the address to listen on.
    public var bindIP = "0.0.0.0"
    /// `DATABASE_URL`: a PostgreSQL URL or libpq connection string. Unset: the embedded cluster.
    public var databaseURL: String?
    /// `DATA_DIR`: where the embedded cluster lives (`<DATA_DIR>/postgres`).
    public var dataDirectory = "./.data"
    /// `EMBEDDED_POSTGRES_PORT`: the loopback port of the embedded cluster.
    public var embeddedPostgresPort = 54329
    /// `DB_POOL_MIN`: connections opened at start and kept.
    public var poolMinimum = 1
    /// `DB_POOL_MAX`: the most connections (and queries in flight) per process.
    public var poolMaximum = 4
    /// `DB_PIPELINE_DEPTH`: how many single-statement requests may share one connection at a time, sent
    /// together in one libpq pipeline; 1 gives each request a connection of its own.
    public var pipelineDepth = 64
    /// `DB_ACQUIRE_TIMEOUT_MS`: how long a request waits for a connection before answering 503.
    public var acquireTimeoutMilliseconds = 5000
    /// `HISTORY_RETENTION_DAYS`: integration history is deleted this many days after its last update
    /// (Rocket.Chat's 30-day TTL); 0 keeps it forever.
    public var historyRetentionDays = 30
    /// `LOG_LEVEL`: trace, debug, info, notice, warning, error or critical.
    public var logLevel = Logger.Level.info
    /// `MIGRATIONS_DIR`: a folder of numbered SQL migrations to apply instead of those built into the binary
    /// (from the repository's `sql/`). Unset: the built-in ones.
    public var migrationsDirectory: String?
    /// `ADMIN_USERNAME`, `ADMIN_PASS`, `ADMIN_EMAIL`, `ADMIN_NAME`: the first administrator, created when none exists.
    public var adminUsername = "admin"
    public var adminPassword: String?
    public var adminEmail: String?
    public var adminName = "Administrator"
    /// `OVERWRITE_SETTING_Accounts_RegistrationForm`: `Public` opens `users.register`; `Disabled` (the stored
    /// default) closes it. Unset: the stored value stands.
    public var registrationForm: String?

    /// `WORKERS`: worker processes serving HTTP; unset means one per CPU core, 0 serves from a single
    /// process (no supervisor), for debugging.
    public var workers: Int?
    /// `WORKER_HEARTBEAT_TIMEOUT_MS`: a worker that sends no heartbeat for this long is killed and replaced.
    public var workerHeartbeatTimeoutMilliseconds = 10_000
    /// `GRACEFUL_TIMEOUT_MS`: how long a stopping worker may take to finish the requests in flight.
    public var gracefulTimeoutMilliseconds = 30_000
    /// `DEBUG_WORKER_HEADER`: `true` adds `X-Worker-Pid` to every response (which process answered).
    public var debugWorkerHeader = false
    /// `TRUSTED_PROXIES`: addresses and CIDR blocks whose `X-Forwarded-For`/`X-Real-IP` are believed.
    public var trustedProxies = TrustedProxies.loopback
    /// `ROOT_URL`: the public URL (Rocket.Chat's setting); a path in it (`https://example.com/chat`) is the
    /// prefix the API is served under.
    public var rootURL: String?
    /// `HTTP_KEEP_ALIVE_TIMEOUT_MS`: an idle keep-alive connection is closed after this long; longer than
    /// nginx's upstream `keepalive_timeout` (60 s) so that nginx always closes first.
    public var keepAliveTimeoutMilliseconds = 75_000
    /// `METRICS_ENABLED`: serve Prometheus metrics.
    public var metricsEnabled = true
    /// `METRICS_BIND_IP`, `METRICS_PORT`: where `GET /metrics` answers (Rocket.Chat's port 9458; 0 picks a free
    /// port, which the log names). Loopback by default: metrics are for the monitoring, not the public.
    public var metricsBindIP = "127.0.0.1"
    public var metricsPort = 9458
    /// `LOG_FORMAT`: `text` (swift-log's lines) or `json` (one JSON object per line).
    public var logFormat = LogFormat.text
    /// Rocket.Chat's blocking of logins after failures, under its setting names
    /// (`OVERWRITE_SETTING_Block_Multiple_Failed_Logins_*`).
    public var loginBlocking = LoginBlocking()
    /// Rocket.Chat's REST rate limiter (`OVERWRITE_SETTING_API_Enable_Rate_Limiter*`); `nil` when disabled.
    public var rateLimit: RateLimit? = .rocketChatDefault
    /// `OUTGOING_ENABLED`: whether this service's processes deliver outgoing webhooks (the deliveries are
    /// written either way; another service on the same database may deliver them).
    public var outgoingEnabled = true
    /// `OUTGOING_DB_POOL_MAX`: the most connections of the delivery engine's own pool, per process.
    public var outgoingPoolMaximum = 2
    /// The outgoing-webhook engine: `OUTGOING_CONCURRENCY`, `OUTGOING_LEASE_MS`, `OUTGOING_POLL_MS`,
    /// `OUTGOING_CONNECT_TIMEOUT_MS`, `OUTGOING_TIMEOUT_MS`, `OUTGOING_ALLOWED_CIDRS`,
    /// `OUTGOING_EVERY_2XX_SUCCEEDS`, `OUTGOING_RETRY_NETWORK_ERRORS`, `OUTGOING_RETRY_AFTER_MAX_MS`,
    /// `OUTGOING_SIGNATURES`, `OUTGOING_ONLY_ALLOWED_CIDRS`, `OUTGOING_RESOLVE_HOSTS`. The `siteUrl` of payloads is `ROOT_URL` (else `http://localhost:PORT`).
    public var delivery = DeliverySettings()

    public enum LogFormat: String, Sendable, Equatable {
        case text, json
    }

    /// The path the API is served under: `""`, or `ROOT_URL`'s path without its trailing slash.
    public var pathPrefix: String {
        guard let rootURL, let components = URLComponents(string: rootURL) else { return "" }
        let path = components.path
        return path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    public init() {}

    /// The number of workers `WORKERS` asks for, one per core when unset.
    public var workerCount: Int { workers ?? ProcessInfo.processInfo.activeProcessorCount }

    /// A setting has a value the service cannot use; the message names the setting.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
        init(_ setting: String, _ problem: String) {
            description = "invalid configuration: \(setting) \(problem)"
        }
    }

    /// The names of every setting, for help texts.
    public static var settingNames: [String] { keys.sorted() }

    /// The keys a configuration file or the environment may set.
    static let keys = Set(
        [
            "PORT", "BIND_IP", "DATABASE_URL", "DATA_DIR", "EMBEDDED_POSTGRES_PORT", "DB_POOL_MIN", "DB_POOL_MAX", "DB_PIPELINE_DEPTH",
            "DB_ACQUIRE_TIMEOUT_MS", "HISTORY_RETENTION_DAYS", "LOG_LEVEL", "MIGRATIONS_DIR", "ADMIN_USERNAME", "ADMIN_PASS", "ADMIN_EMAIL",
            "ADMIN_NAME",
            "OVERWRITE_SETTING_Accounts_RegistrationForm", "WORKERS", "WORKER_HEARTBEAT_TIMEOUT_MS", "GRACEFUL_TIMEOUT_MS",
            "DEBUG_WORKER_HEADER", "TRUSTED_PROXIES", "ROOT_URL", "HTTP_KEEP_ALIVE_TIMEOUT_MS", "LOG_FORMAT",
            "METRICS_ENABLED", "METRICS_BIND_IP", "METRICS_PORT",
            "OUTGOING_ENABLED", "OUTGOING_DB_POOL_MAX", "OUTGOING_CONCURRENCY", "OUTGOING_LEASE_MS", "OUTGOING_POLL_MS",
            "OUTGOING_CONNECT_TIMEOUT_MS",
            "OUTGOING_TIMEOUT_MS", "OUTGOING_ALLOWED_CIDRS", "OUTGOING_EVERY_2XX_SUCCEEDS", "OUTGOING_RETRY_NETWORK_ERRORS",
            "OUTGOING_RETRY_AFTER_MAX_MS", "OUTGOING_SIGNATURES", "OUTGOING_ONLY_ALLOWED_CIDRS", "OUTGOING_RESOLVE_HOSTS",
        ] + protectionKeys.map { "OVERWRITE_SETTING_" + $0 }
    )

    /// Rocket.Chat's settings for the login protections.
    static let protectionKeys = [
        "Block_Multiple_Failed_Logins_Enabled", "Block_Multiple_Failed_Logins_By_User",
        "Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User", "Block_Multiple_Failed_Logins_Time_To_Unblock_By_User_In_Minutes",
        "Block_Multiple_Failed_Logins_By_Ip", "Block_Multiple_Failed_Logins_Attempts_Until_Block_By_Ip",
        "Block_Multiple_Failed_Logins_Time_To_Unblock_By_Ip_In_Minutes", "Block_Multiple_Failed_Logins_Ip_Whitelist",
        "API_Enable_Rate_Limiter", "API_Enable_Rate_Limiter_Limit_Calls_Default", "API_Enable_Rate_Limiter_Limit_Time_Default",
    ]

    /// Loads the file (when given, or when the default `config/integrations.conf` exists), then the environment.
    public static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServiceConfiguration {
        var values: [String: String] = [:]
        let explicitFile = file ?? environment["CONFIG_FILE"]
        let path = explicitFile ?? "config/integrations.conf"
        if explicitFile != nil || FileManager.default.fileExists(atPath: path) {
            values = try ConfigurationFile.parse(path: path)
        }
        for key in keys {
            if let value = environment[key] { values[key] = value }
        }
        return try ServiceConfiguration(values: values)
    }

    /// Builds a configuration from raw `KEY → value` settings, validating every one.
    public init(values: [String: String]) throws {
        if let unknown = values.keys.first(where: { !Self.keys.contains($0) }) {
            throw Invalid(unknown, "is not a known setting")
        }
        func integer(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let raw = values[key] else { return nil }
            guard let value = Int(raw.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
                throw Invalid(key, "must be an integer from \(range.lowerBound) to \(range.upperBound), not \"\(raw)\"")
            }
            return value
        }
        func nonEmpty(_ key: String) throws -> String? {
            guard let raw = values[key] else { return nil }
            guard !raw.isEmpty else { throw Invalid(key, "must not be empty") }
            return raw
        }
        func boolean(_ key: String) throws -> Bool? {
            try nonEmpty(key).map { try Self.boolean($0, of: key) }
        }
        if let port = try integer("PORT", 0...65535) { self.port = port }
        if let bindIP = try nonEmpty("BIND_IP") {
            guard IPAddress(bindIP) != nil else { throw Invalid("BIND_IP", "must be an IPv4 or IPv6 address, not \"\(bindIP)\"") }
            self.bindIP = bindIP
        }
        if let url = values["DATABASE_URL"], !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") || url.contains("=") else {
                throw Invalid("DATABASE_URL", "must be a postgres:// URL or a libpq connection string")
            }
            do {
                try ConnectionString.validate(url)
            } catch {
                throw Invalid("DATABASE_URL", "is not a valid connection string: \(error.message)")
            }
            databaseURL = url
        }
        if let directory = try nonEmpty("DATA_DIR") { dataDirectory = directory }
        if let port = try integer("EMBEDDED_POSTGRES_PORT", 1...65535) { embeddedPostgresPort = port }
        if let minimum = try integer("DB_POOL_MIN", 0...1000) { poolMinimum = minimum }
        if let maximum = try integer("DB_POOL_MAX", 1...1000) { poolMaximum = maximum }
        guard poolMinimum <= poolMaximum else { throw Invalid("DB_POOL_MIN", "(\(poolMinimum)) must not exceed DB_POOL_MAX (\(poolMaximum))") }
        if let depth = try integer("DB_PIPELINE_DEPTH", 1...1000) { pipelineDepth = depth }
        if let timeout = try integer("DB_ACQUIRE_TIMEOUT_MS", 1...600_000) { acquireTimeoutMilliseconds = timeout }
        if let days = try integer("HISTORY_RETENTION_DAYS", 0...36500) { historyRetentionDays = days }
        if let level = try nonEmpty("LOG_LEVEL") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw Invalid("LOG_LEVEL", "must be one of trace, debug, info, notice, warning, error, critical, not \"\(level)\"")
            }
            logLevel = parsed
        }
        if let directory = try nonEmpty("MIGRATIONS_DIR") { migrationsDirectory = directory }
        if let username = try nonEmpty("ADMIN_USERNAME") {
            guard username.range(of: #"^[0-9A-Za-z._-]{1,64}$"#, options: .regularExpression) != nil else {
                throw Invalid("ADMIN_USERNAME", "may hold only letters, digits, '.', '_' and '-' (at most 64)")
            }
            adminUsername = username
        }
        if let password = values["ADMIN_PASS"], !password.isEmpty { adminPassword = password }
        if let email = values["ADMIN_EMAIL"], !email.isEmpty {
            guard email.range(of: #"^[^@\s]+@[^@\s]+$"#, options: .regularExpression) != nil else {
                throw Invalid("ADMIN_EMAIL", "must be an email address, not \"\(email)\"")
            }
            adminEmail = email
        }
        if let name = try nonEmpty("ADMIN_NAME") { adminName = name }
        if let form = try nonEmpty("OVERWRITE_SETTING_Accounts_RegistrationForm") {
            guard ["Public", "Disabled", "Secret URL"].contains(form) else {
                throw Invalid("OVERWRITE_SETTING_Accounts_RegistrationForm", "must be Public, Disabled or Secret URL, not \"\(form)\"")
            }
            registrationForm = form
        }
        if let workers = try integer("WORKERS", 0...256) { self.workers = workers }
        if let timeout = try integer("WORKER_HEARTBEAT_TIMEOUT_MS", 100...3_600_000) { workerHeartbeatTimeoutMilliseconds = timeout }
        if let timeout = try integer("GRACEFUL_TIMEOUT_MS", 0...3_600_000) { gracefulTimeoutMilliseconds = timeout }
        if let enabled = try boolean("DEBUG_WORKER_HEADER") { debugWorkerHeader = enabled }
        if let list = values["TRUSTED_PROXIES"] {
            switch TrustedProxies.parse(list) {
            case .success(let proxies): trustedProxies = proxies
            case .failure(let error): throw Invalid("TRUSTED_PROXIES", "has \(error)")
            }
        }
        if let url = try nonEmpty("ROOT_URL") {
            guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
                components.host?.isEmpty == false, components.query == nil, components.fragment == nil
            else { throw Invalid("ROOT_URL", "must be an http(s) URL without query, such as https://chat.example.com/integrations, not \"\(url)\"") }
            guard components.path.allSatisfy({ $0.isLetter || $0.isNumber || "/-._~".contains($0) }), !components.path.contains("//") else {
                throw Invalid("ROOT_URL", "may have a path of letters, digits and -._~ only, not \"\(components.path)\"")
            }
            rootURL = url
        }
        if let timeout = try integer("HTTP_KEEP_ALIVE_TIMEOUT_MS", 1000...3_600_000) { keepAliveTimeoutMilliseconds = timeout }
        try readProtections(values)
        if let enabled = try boolean("METRICS_ENABLED") { metricsEnabled = enabled }
        if let address = try nonEmpty("METRICS_BIND_IP") {
            guard IPAddress(address) != nil else { throw Invalid("METRICS_BIND_IP", "must be an IPv4 or IPv6 address, not \"\(address)\"") }
            metricsBindIP = address
        }
        if let port = try integer("METRICS_PORT", 0...65535) { metricsPort = port }
        if let format = try nonEmpty("LOG_FORMAT") {
            guard let parsed = LogFormat(rawValue: format.lowercased()) else {
                throw Invalid("LOG_FORMAT", "must be text or json, not \"\(format)\"")
            }
            logFormat = parsed
        }
        if let enabled = try boolean("OUTGOING_ENABLED") { outgoingEnabled = enabled }
        if let maximum = try integer("OUTGOING_DB_POOL_MAX", 1...100) { outgoingPoolMaximum = maximum }
        if let concurrency = try integer("OUTGOING_CONCURRENCY", 1...10_000) { delivery.concurrency = concurrency }
        if let lease = try integer("OUTGOING_LEASE_MS", 1000...3_600_000) { delivery.lease = .milliseconds(lease) }
        if let poll = try integer("OUTGOING_POLL_MS", 10...600_000) { delivery.pollInterval = .milliseconds(poll) }
        if let timeout = try integer("OUTGOING_CONNECT_TIMEOUT_MS", 10...600_000) { delivery.connectTimeout = .milliseconds(timeout) }
        if let timeout = try integer("OUTGOING_TIMEOUT_MS", 10...3_600_000) { delivery.totalTimeout = .milliseconds(timeout) }
        if let list = values["OUTGOING_ALLOWED_CIDRS"] {
            do {
                delivery.addressPolicy = AddressPolicy(allowed: try AddressPolicy.parseAllowList(list))
            } catch {
                throw Invalid("OUTGOING_ALLOWED_CIDRS", "has \(error)")
            }
        }
        if let succeeds = try boolean("OUTGOING_EVERY_2XX_SUCCEEDS") { delivery.decisionOptions.everySuccessStatusSucceeds = succeeds }
        if let retry = try boolean("OUTGOING_RETRY_NETWORK_ERRORS") { delivery.decisionOptions.retryNetworkErrors = retry }
        if let limit = try integer("OUTGOING_RETRY_AFTER_MAX_MS", 0...604_800_000) {
            delivery.decisionOptions.retryAfterLimit = limit == 0 ? nil : .milliseconds(limit)
        }
        if let signs = try boolean("OUTGOING_SIGNATURES") { delivery.signsRequests = signs }
        if let only = try boolean("OUTGOING_ONLY_ALLOWED_CIDRS") { delivery.onlyAllowedAddresses = only }
        if let resolves = try boolean("OUTGOING_RESOLVE_HOSTS") { delivery.resolvesHostNames = resolves }
        delivery.drainTimeout = .milliseconds(gracefulTimeoutMilliseconds / 4)
        delivery.siteURL = rootURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? "http://localhost:\(port)"
    }

    /// The value of a boolean setting: true, 1, yes or on; false, 0, no or off; in any case.
    private static func boolean(_ raw: String, of key: String) throws -> Bool {
        switch raw.lowercased() {
        case "true", "1", "yes", "on": true
        case "false", "0", "no", "off": false
        default: throw Invalid(key, "must be true or false, not \"\(raw)\"")
        }
    }

    /// The login blocking and the rate limiter, from Rocket.Chat's settings.
    private mutating func readProtections(_ values: [String: String]) throws {
        func setting(_ name: String) -> (key: String, value: String)? {
            let key = "OVERWRITE_SETTING_" + name
            return values[key].map { (key, $0.trimmingCharacters(in: .whitespaces)) }
        }
        func boolean(_ name: String) throws -> Bool? {
            guard let (key, value) = setting(name) else { return nil }
            return try Self.boolean(value, of: key)
        }
        func count(_ name: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let (key, value) = setting(name) else { return nil }
            guard let number = Int(value), range.contains(number) else {
                throw Invalid(key, "must be an integer from \(range.lowerBound) to \(range.upperBound), not \"\(value)\"")
            }
            return number
        }
        func minutes(_ name: String) throws -> Double? {
            guard let (key, value) = setting(name) else { return nil }
            guard let number = Double(value), number.isFinite, number >= 0, number <= 525_600 else {
                throw Invalid(key, "must be a number of minutes (decimals allowed), not \"\(value)\"")
            }
            return number
        }
        var blocking = loginBlocking
        let enabled = try boolean("Block_Multiple_Failed_Logins_Enabled") ?? true
        if let failures = try count("Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User", 1...1_000_000) {
            blocking.byUser?.failures = failures
        }
        if let minutes = try minutes("Block_Multiple_Failed_Logins_Time_To_Unblock_By_User_In_Minutes") { blocking.byUser?.seconds = minutes * 60 }
        if let failures = try count("Block_Multiple_Failed_Logins_Attempts_Until_Block_By_Ip", 1...1_000_000) {
            blocking.byAddress?.failures = failures
        }
        if let minutes = try minutes("Block_Multiple_Failed_Logins_Time_To_Unblock_By_Ip_In_Minutes") { blocking.byAddress?.seconds = minutes * 60 }
        let byUser = try boolean("Block_Multiple_Failed_Logins_By_User") ?? true
        let byAddress = try boolean("Block_Multiple_Failed_Logins_By_Ip") ?? true
        if !enabled || !byUser { blocking.byUser = nil }
        if !enabled || !byAddress { blocking.byAddress = nil }
        if let (key, list) = setting("Block_Multiple_Failed_Logins_Ip_Whitelist") {
            let entries = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if let bad = entries.first(where: { IPAddress($0) == nil }) { throw Invalid(key, "has \"\(bad)\", which is not an IP address") }
            blocking.addressAllowList = Set(entries)
        }
        if let calls = try count("API_Enable_Rate_Limiter_Limit_Calls_Default", 1...1_000_000) { rateLimit?.calls = calls }
        if let window = try count("API_Enable_Rate_Limiter_Limit_Time_Default", 1...86_400_000) { rateLimit?.windowMilliseconds = window }
        if try boolean("API_Enable_Rate_Limiter") == false { rateLimit = nil }
        loginBlocking = blocking
    }
}
