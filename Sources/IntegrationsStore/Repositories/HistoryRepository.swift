import IntegrationsCore
import LibPQ

/// Integration history records, written the way Rocket.Chat writes them: inserted at the first step of an
/// attempt, then updated step by step (`step` overwritten, other fields accumulated), and expired after a
/// retention period.
public struct HistoryRepository: Sendable {
    let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// Inserts a record given as JSON text (an object with `_id` and `integration._id`), stored as it is.
    public func insert(document: String) async throws(StoreError) {
        _ = try await pool.run(Statements.insertHistory, [document])
    }

    /// Inserts a record.
    public func insert(_ record: JSONValue) async throws(StoreError) {
        try await insert(document: record.text)
    }

    /// Merges top-level `fields` into record `id` and stamps `_updatedAt`, as Rocket.Chat's `updateHistory`
    /// does at each step. Returns whether the record exists.
    @discardableResult
    public func update(id: String, fields: JSONValue, now: String = RocketChatDate.now()) async throws(StoreError) -> Bool {
        try await pool.run(Statements.updateHistory, [id, fields.text, now]).affectedRows == 1
    }

    /// Deletes up to `batchSize` records whose `_updatedAt` is before `cutoff` (an ISO date); returns how many.
    public func deleteExpired(before cutoff: String, batchSize: Int) async throws(StoreError) -> Int {
        try await pool.run(Statements.deleteExpiredHistory, [cutoff, String(batchSize)]).affectedRows
    }
}
