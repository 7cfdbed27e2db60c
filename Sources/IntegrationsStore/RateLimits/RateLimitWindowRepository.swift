import LibPQ

/// The REST rate limiter's fixed windows of requests, counted in PostgreSQL so that every worker process sees
/// the same (Rocket.Chat's limiter on `login`).
public struct RateLimitWindowRepository: Sendable {
    let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// Counts one request of `key` in its fixed window of `windowMilliseconds`.
    public func countRequest(key: String, windowMilliseconds: Int) async throws(StoreError) -> RateLimitWindow {
        let result = try await pool.run(RateLimitWindowStatements.countRequest, [key, String(windowMilliseconds)])
        return RateLimitWindow(
            requests: result.int(row: 0, column: 0) ?? 1,
            resetsAtMilliseconds: result.string(row: 0, column: 1).flatMap { Int64($0) } ?? 0
        )
    }
}
