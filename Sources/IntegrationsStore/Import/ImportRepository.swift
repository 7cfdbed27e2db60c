import IntegrationsCore
import LibPQ

/// The bulk path of `integrations import`: batches of documents upserted by `_id` in one statement each.
public struct ImportRepository: Sendable {
    let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// What a batch holds.
    public enum Collection: String, Sendable, CaseIterable {
        case users
        case integrations
        case history
    }

    /// Upserts integration or history documents (plain JSON objects).
    public func upsert(_ documents: [JSONValue], into collection: Collection) async throws(StoreError) {
        guard !documents.isEmpty else { return }
        let array = JSONValue.array(documents).text
        switch collection {
        case .integrations: _ = try await pool.run(ImportStatements.integrations, [array])
        case .history: _ = try await pool.run(ImportStatements.history, [array])
        case .users: throw StoreError(kind: .failed, message: "users are imported with upsert(users:tokens:)")
        }
    }

    /// Refreshes the planner statistics and visibility map of a collection's table after a bulk load, so that
    /// index-only scans (history pages and counts) work at once instead of after autovacuum.
    public func vacuum(_ collection: Collection) async throws(StoreError) {
        let table =
            switch collection {
            case .users: "users"
            case .integrations: "integrations"
            case .history: "integration_history"
            }
        // VACUUM takes no parameters; the table name comes from this switch.
        try await pool.session { session in try session.executeScript("VACUUM (ANALYZE) \(table)") }
    }

    /// Upserts users and their login tokens, given as rows (JSON objects keyed by column name).
    public func upsert(users: [JSONValue], tokens: [JSONValue]) async throws(StoreError) {
        guard !users.isEmpty else { return }
        _ = try await pool.run(ImportStatements.users, [JSONValue.array(users).text, JSONValue.array(tokens).text])
    }
}
