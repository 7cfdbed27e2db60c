import LibPQ

/// Rocket.Chat's permission documents (`{_id, roles, _updatedAt}`): which roles hold which permission.
/// Every authenticated statement reads them afresh, so a change applies to the very next request of every process.
public struct PermissionRepository: Sendable {
    let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// The permissions changed after `updatedSince` (all when `nil`) as a JSON array. Refusal: `unauthenticated`.
    public func list(userId: String, hashedToken: String, updatedSince: String?) async throws(StoreError) -> Outcome<String> {
        let statement = PermissionStatements.list
        let result = try await pool.run(statement, [userId, hashedToken, updatedSince])
        return try Verdict(result, of: statement).outcome { result.string(row: 0, column: 1) ?? "[]" }
    }

    /// Replaces the roles of the given permissions (`[{"_id": …, "roles": […]}]` as JSON), all or nothing;
    /// returns every permission as a JSON array. Refusals: `unauthenticated`, `forbidden` (no
    /// `access-permissions`), `unknownPermission`, `unknownRole`.
    public func update(userId: String, hashedToken: String, changesJSON: String) async throws(StoreError) -> Outcome<String> {
        let statement = PermissionStatements.update
        let result = try await pool.run(statement, [userId, hashedToken, changesJSON])
        return try Verdict(result, of: statement).outcome { result.string(row: 0, column: 1) ?? "[]" }
    }
}
