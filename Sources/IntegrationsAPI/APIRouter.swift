import Hummingbird
import IntegrationsCore
import IntegrationsStore

/// Builds the router of the Rocket.Chat-compatible REST API over the store.
public enum APIRouter {
    public static func make(store: Store, passwordHasher: PasswordHasher = PasswordHasher()) throws -> Router<APIRequestContext> {
        let users = store.users
        let router = Router(context: APIRequestContext.self)
        router.middlewares.add(RocketChatErrorMiddleware())
        router.middlewares.add(CredentialsMiddleware())
        AuthController(users: users, passwordHasher: passwordHasher, decoyHash: try passwordHasher.hash(digest: "decoy"))
            .register(on: router)
        IntegrationsController(integrations: store.integrations, users: users)
            .register(on: router)
        PermissionsController(permissions: store.permissions)
            .register(on: router)
        RoomsController(rooms: store.rooms)
            .register(on: router)
        return router
    }
}
