import Hummingbird
import IntegrationsCore
import IntegrationsStore
import LibPQ

/// Builds the router of the Rocket.Chat-compatible REST API over a connection pool.
public enum APIRouter {
    public static func make(pool: ConnectionPool, passwordHasher: PasswordHasher = PasswordHasher()) throws -> Router<APIRequestContext> {
        let users = UserRepository(pool: pool)
        let router = Router(context: APIRequestContext.self)
        router.middlewares.add(RocketChatErrorMiddleware())
        AuthController(users: users, passwordHasher: passwordHasher, decoyHash: try passwordHasher.hash(digest: "decoy"))
            .register(on: router)
        IntegrationsController(integrations: IntegrationRepository(pool: pool), users: users)
            .register(on: router)
        return router
    }
}
