import LibPQ

/// Integration history records: inserted as documents (`integrations admin insert`) and expired after a
/// retention period. `integrations.history` reads them through
/// ``IntegrationRepository``, with the caller's permissions.
public struct HistoryRepository: Sendable {
    let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// Inserts a record given as JSON text (an object with `_id` and `integration._id`), stored as it is.
    public func insert(document: String) async throws(StoreError) {
        _ = try await pool.run(HistoryStatements.insert, [document])
    }

    /// Deletes up to `batchSize` records whose `_updatedAt` is before `cutoff` (an ISO date); returns how many.
    public func deleteExpired(before cutoff: String, batchSize: Int) async throws(StoreError) -> Int {
        try await pool.run(HistoryStatements.deleteExpired, [cutoff, String(batchSize)]).affectedRows
    }
}
