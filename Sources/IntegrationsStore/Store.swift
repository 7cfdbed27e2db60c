import LibPQ

/// The repositories of the service over one connection pool.
public struct Store: Sendable {
    public let users: UserRepository
    public let integrations: IntegrationRepository
    public let history: HistoryRepository
    public let permissions: PermissionRepository
    public let rooms: RoomRepository
    public let messages: MessageRepository
    public let health: DatabaseHealth
    public let loginFailures: LoginFailureRepository
    public let rateLimitWindows: RateLimitWindowRepository

    public init(pool: ConnectionPool) {
        users = UserRepository(pool: pool)
        integrations = IntegrationRepository(pool: pool)
        history = HistoryRepository(pool: pool)
        permissions = PermissionRepository(pool: pool)
        rooms = RoomRepository(pool: pool)
        messages = MessageRepository(pool: pool)
        health = DatabaseHealth(pool: pool)
        loginFailures = LoginFailureRepository(pool: pool)
        rateLimitWindows = RateLimitWindowRepository(pool: pool)
    }
}
