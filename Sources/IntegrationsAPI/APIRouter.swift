import Hummingbird
import IntegrationsCore
import IntegrationsStore

/// Builds the router of the Rocket.Chat-compatible REST API over the store.
public enum APIRouter {
    public static func make(
        store: Store,
        passwordHasher: PasswordHasher = PasswordHasher(),
        draining: DrainingFlag = DrainingFlag(),
        trustedProxies: TrustedProxies = .loopback,
        loginBlocking: LoginBlocking = LoginBlocking(),
        rateLimit: RateLimit? = .rocketChatDefault
    ) -> Router<APIRequestContext> {
        let users = store.users
        let validator = RequestValidator(users: users)
        let router = Router(context: APIRequestContext.self)
        router.middlewares.add(RequestLogMiddleware(trustedProxies: trustedProxies))
        router.middlewares.add(RocketChatErrorMiddleware())
        router.middlewares.add(CredentialsMiddleware())
        if let limit = rateLimit {
            router.middlewares.add(RateLimitMiddleware(limit: limit, users: users))
        }
        AuthController(
            users: users,
            passwordHasher: passwordHasher,
            blocking: loginBlocking,
            rateLimit: rateLimit,
            loginFailures: store.loginFailures,
            rateLimitWindows: store.rateLimitWindows
        )
        .register(on: router)
        IntegrationsController(integrations: store.integrations, deliveries: store.deliveries, validator: validator)
            .register(on: router)
        PermissionsController(permissions: store.permissions, validator: validator)
            .register(on: router)
        RoomsController(rooms: store.rooms, validator: validator)
            .register(on: router)
        ChatController(messages: store.messages, validator: validator)
            .register(on: router)
        HooksController(hooks: store.hooks, messages: store.messages)
            .register(on: router)
        UsersController(users: users, passwordHasher: passwordHasher, validator: validator)
            .register(on: router)
        InfoController()
            .register(on: router)
        HealthController(health: store.health, draining: draining)
            .register(on: router)
        return router
    }

    /// The health probes' paths, which a server serving under a path prefix also answers without it.
    public static var probePaths: Set<String> { HealthController.paths }
}
