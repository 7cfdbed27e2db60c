import Hummingbird
import IntegrationsCore
import IntegrationsStore
import NIOCore

/// `users.create`, `users.register`, `users.info`, `users.delete` and the personal access token endpoints,
/// as far as integrations need them.
struct UsersController: Sendable {
    let users: UserRepository
    let passwordHasher: PasswordHasher
    let validator: RequestValidator

    func register(on router: Router<APIRequestContext>) {
        router.post("/api/v1/users.create", use: create)
        router.post("/api/v1/users.register", use: registerUser)
        router.get("/api/v1/users.info", use: info)
        router.post("/api/v1/users.delete", use: delete)
        router.post("/api/v1/users.generatePersonalAccessToken", use: generatePersonalAccessToken)
        router.post("/api/v1/users.removePersonalAccessToken", use: removePersonalAccessToken)
    }

    /// `POST users.create` with `{email, name, password, username, roles?, verified?, …}` (needs `create-user`).
    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.json(request, context: context)
        let newUser = try await validator.validate(caller) { () throws(RocketChatError) in try NewUserBody.create(body) }
        return try await create(newUser, caller: (caller.userId, caller.hashedToken))
    }

    /// `POST users.register` with `{username, email, pass, name}`: open only when the `Accounts_RegistrationForm`
    /// setting is `Public` (off by default).
    @Sendable func registerUser(_ request: Request, context: APIRequestContext) async throws -> Response {
        let newUser = try NewUserBody.register(try await RequestBody.json(request, context: context))
        return try await create(newUser, caller: nil)
    }

    private func create(_ newUser: UserRepository.NewUserRequest, caller: (userId: String, hashedToken: String)?) async throws -> Response {
        let hasher = passwordHasher
        let user = try await users.create(caller: caller, request: newUser) { password in try hasher.hash(password: password) }.value()
        return .json(JSONWriter.success("user", raw: user))
    }

    /// `GET users.info?userId=…|username=…`.
    @Sendable func info(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let query = try await validator.validate(caller) { () throws(RocketChatError) in try UserInfoQuery(request.uri.query) }
        let user = try await users.info(caller: (caller.userId, caller.hashedToken), userId: query.userId, username: query.username)
            .value([.notFound: .failure("User not found.")])
        return .json(JSONWriter.success("user", raw: user))
    }

    static let deleteRefusals: RefusalAnswers = [
        .notFound: .meteor(
            MeteorError("error-invalid-user", reason: "The required \"userId\" or \"username\" param provided does not match any users")
        )
    ]

    /// `POST users.delete` with `{userId}` (needs `delete-user`).
    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.json(request, context: context)
        let delete = try await validator.validate(caller) { () throws(RocketChatError) in try UserDeleteRequest(body) }
        try await users.delete(caller: (caller.userId, caller.hashedToken), userId: delete.userId).value(Self.deleteRefusals)
        return .json(ByteBuffer(string: #"{"success":true}"#))
    }

    /// `POST users.generatePersonalAccessToken` with `{tokenName}`: `{"token": …}`, usable as `X-Auth-Token`.
    @Sendable func generatePersonalAccessToken(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.json(request, context: context)
        let named = try await validator.validate(caller) { () throws(RocketChatError) in try PersonalAccessTokenRequest.generate(body) }
        let token = LoginToken.generate()
        try await users.addPersonalAccessToken(
            caller: (caller.userId, caller.hashedToken),
            name: named.tokenName,
            hashedToken: LoginToken.hash(token)
        )
        .value()
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("token", string: token)
        writer.field("success", raw: "true")
        writer.endObject()
        return .json(writer.buffer)
    }

    /// `POST users.removePersonalAccessToken` with `{tokenName}`.
    @Sendable func removePersonalAccessToken(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.json(request, context: context)
        let named = try await validator.validate(caller) { () throws(RocketChatError) in try PersonalAccessTokenRequest.remove(body) }
        try await users.removePersonalAccessToken(caller: (caller.userId, caller.hashedToken), name: named.tokenName).value()
        return .json(ByteBuffer(string: #"{"success":true}"#))
    }
}
