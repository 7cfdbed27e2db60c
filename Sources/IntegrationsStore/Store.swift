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
    public let deliveries: DeliveryRepository
    public let hooks: IncomingHookRepository

    /// `deliveries` is told of every committed write that enqueued outgoing-webhook deliveries.
    public init(pool: ConnectionPool, deliverySignal: DeliverySignal = .none) {
        users = UserRepository(pool: pool, deliveries: deliverySignal)
        integrations = IntegrationRepository(pool: pool)
        history = HistoryRepository(pool: pool)
        permissions = PermissionRepository(pool: pool)
        rooms = RoomRepository(pool: pool, deliveries: deliverySignal)
        messages = MessageRepository(pool: pool, deliveries: deliverySignal)
        health = DatabaseHealth(pool: pool)
        loginFailures = LoginFailureRepository(pool: pool)
        rateLimitWindows = RateLimitWindowRepository(pool: pool)
        deliveries = DeliveryRepository(pool: pool, signal: deliverySignal)
        hooks = IncomingHookRepository(pool: pool)
    }
}
