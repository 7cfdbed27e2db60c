import LibPQ

/// Failed logins per client address and per user, counted in PostgreSQL so that every worker process sees the
/// same, for Rocket.Chat's blocking after repeated failures.
public struct LoginFailureRepository: Sendable {
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
            LoginFailureStatements.loginBlock,
            [
                address, String(byAddress?.failures ?? 0), String(byAddress?.seconds ?? 0), userId, String(byUser?.failures ?? 0),
                String(byUser?.seconds ?? 0),
            ]
        )
        return result.string(row: 0, column: 0).flatMap(Blocked.init(rawValue:))
    }

    public func recordFailure(address: String?, userId: String?) async throws(StoreError) {
        guard address != nil || userId != nil else { return }
        _ = try await pool.run(LoginFailureStatements.recordFailedLogin, [address, userId])
    }

    public func forgetFailures(address: String?, userId: String) async throws(StoreError) {
        _ = try await pool.run(LoginFailureStatements.forgetFailedLogins, [address, userId])
    }
}
