import LibPQ

/// Whether this process can reach PostgreSQL, for the readiness probe.
public struct DatabaseHealth: Sendable {
    let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// A round trip (`SELECT 1`) through the pool; answered at once, without waiting for the acquire timeout,
    /// when the pool already knows PostgreSQL is unreachable.
    public func isReachable() async -> Bool {
        if pool.statistics.isFailing { return false }
        do {
            _ = try await pool.query(HealthStatements.ping, [])
            return true
        } catch {
            return false
        }
    }
}
