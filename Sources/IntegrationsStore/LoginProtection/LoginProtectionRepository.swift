import LibPQ

/// The state of Rocket.Chat's login protections, in PostgreSQL so that every worker process sees the same:
/// failed logins per address and per user, and the rate limiter's request windows.
public struct LoginProtectionRepository: Sendable {
    let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// A limit: so many failures, blocking for so long after the last one.
    public struct BlockRule: Sendable, Equatable {
        public var failures: Int
        public var seconds: Double

        public init(failures: Int, seconds: Double) {
            self.failures = failures
            self.seconds = seconds
        }
    }

    public enum Blocked: String, Sendable {
        case ip, user
    }

    /// Whether the address (checked first) or the user is blocked; a `nil` rule or key is not checked.
    public func blocked(address: String?, byAddress: BlockRule?, userId: String?, byUser: BlockRule?) async throws(StoreError) -> Blocked? {
        let address = byAddress == nil ? nil : address
        let userId = byUser == nil ? nil : userId
        guard address != nil || userId != nil else { return nil }
        let result = try await pool.run(
            LoginProtectionStatements.loginBlock,
            [
                address, String(byAddress?.failures ?? 0), String(byAddress?.seconds ?? 0), userId, String(byUser?.failures ?? 0),
                String(byUser?.seconds ?? 0),
            ]
        )
        return result.string(row: 0, column: 0).flatMap(Blocked.init(rawValue:))
    }

    public func recordFailure(address: String?, userId: String?) async throws(StoreError) {
        guard address != nil || userId != nil else { return }
        _ = try await pool.run(LoginProtectionStatements.recordFailedLogin, [address, userId])
    }

    public func forgetFailures(address: String?, userId: String) async throws(StoreError) {
        _ = try await pool.run(LoginProtectionStatements.forgetFailedLogins, [address, userId])
    }

    /// One request of `key` in a fixed window of `windowMilliseconds`.
    public struct WindowCount: Sendable {
        /// Requests in the window so far, this one included.
        public let requests: Int
        /// When the window ends, in epoch milliseconds (Rocket.Chat's `X-RateLimit-Reset`).
        public let resetsAtMilliseconds: Int64

        public init(requests: Int, resetsAtMilliseconds: Int64) {
            self.requests = requests
            self.resetsAtMilliseconds = resetsAtMilliseconds
        }
    }

    public func countRequest(key: String, windowMilliseconds: Int) async throws(StoreError) -> WindowCount {
        let result = try await pool.run(LoginProtectionStatements.countRateLimitedRequest, [key, String(windowMilliseconds)])
        return WindowCount(
            requests: result.int(row: 0, column: 0) ?? 1,
            resetsAtMilliseconds: result.string(row: 0, column: 1).flatMap { Int64($0) } ?? 0
        )
    }
}
