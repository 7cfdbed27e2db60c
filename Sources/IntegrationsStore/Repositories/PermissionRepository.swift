import LibPQ

/// Rocket.Chat's permission documents (`{_id, roles, _updatedAt}`): which roles hold which permission.
/// Every authenticated statement reads them afresh, so a change applies to the very next request of every process.
public struct PermissionRepository: Sendable {
    let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// The permissions changed after `updatedSince` (all when `nil`) as a JSON array, or `nil` when the caller
    /// is not authenticated.
    public func list(userId: String, hashedToken: String, updatedSince: String?) async throws(StoreError) -> String? {
        let result = try await pool.run(Statements.listPermissions, [userId, hashedToken, updatedSince])
        guard result.string(row: 0, column: 0) == "ok" else { return nil }
        return result.string(row: 0, column: 1)
    }

    /// What `permissions.update` did.
    public enum UpdateOutcome: Sendable, Equatable {
        case unauthenticated
        /// The caller lacks `access-permissions`.
        case forbidden
        case unknownPermission
        case unknownRole
        /// Applied; every permission as a JSON array.
        case updated(String)
    }

    /// Replaces the roles of the given permissions (`[{"_id": …, "roles": […]}]` as JSON), all or nothing.
    public func update(userId: String, hashedToken: String, changesJSON: String) async throws(StoreError) -> UpdateOutcome {
        let result = try await pool.run(Statements.updatePermissions, [userId, hashedToken, changesJSON])
        switch result.string(row: 0, column: 0) {
        case "ok": return .updated(result.string(row: 0, column: 1) ?? "[]")
        case "unauthenticated": return .unauthenticated
        case "forbidden": return .forbidden
        case "unknown-permission": return .unknownPermission
        case "unknown-role": return .unknownRole
        case let other: throw StoreError(PostgresError(.unexpectedResult, message: "update_permissions returned \(other ?? "NULL")"))
        }
    }
}
