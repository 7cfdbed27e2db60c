import LibPQ

/// The repositories of the service over one connection pool.
public struct Store: Sendable {
    public let users: UserRepository
    public let integrations: IntegrationRepository
    public let history: HistoryRepository
    public let permissions: PermissionRepository
    public let rooms: RoomRepository
    public let health: DatabaseHealth
    public let loginProtection: LoginProtectionRepository

    public init(pool: ConnectionPool) {
        users = UserRepository(pool: pool)
        integrations = IntegrationRepository(pool: pool)
        history = HistoryRepository(pool: pool)
        permissions = PermissionRepository(pool: pool)
        rooms = RoomRepository(pool: pool)
        health = DatabaseHealth(pool: pool)
        loginProtection = LoginProtectionRepository(pool: pool)
    }
}
