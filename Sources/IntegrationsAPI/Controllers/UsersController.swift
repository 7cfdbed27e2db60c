import Hummingbird
import IntegrationsCore
import IntegrationsStore
import NIOCore
import NIOPosix

/// `users.create`, `users.register`, `users.info`, `users.delete` and the personal access token endpoints,
/// as far as integrations need them.
struct UsersController: Sendable {
    let users: UserRepository
    let passwordHasher: PasswordHasher

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
        let body = try await RequestBody.jsonObject(request, context: context)
        if let error = BodySchema.firstError(
            of: body, required: ["email", "name", "password", "username"],
            properties: [
                .string("email"), .string("name"), .string("password"), .string("username"), .boolean("active"), .strings("roles"),
                .boolean("joinDefaultChannels"), .boolean("requirePasswordChange"), .boolean("sendWelcomeEmail"), .boolean("verified"),
                BodySchema.Property(name: "customFields") { $0.keys.isEmpty && $0 != .object([]) ? "must be object" : nil },
            ],
            additionalProperties: false
        ) {
            throw RocketChatError.invalidParams(error)
        }
        let roles = body["roles"]?.arrayValue?.compactMap(\.stringValue) ?? ["user"]
        return try await createUser(body, roles: roles, password: body["password"]?.stringValue, caller: (caller.userId, caller.hashedToken))
    }

    /// `POST users.register` with `{username, email, pass, name}`: open only when the `Accounts_RegistrationForm`
    /// setting is `Public` (off by default).
    @Sendable func registerUser(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = try await RequestBody.jsonObject(request, context: context)
        if let error = BodySchema.firstError(
            of: body, required: ["username", "email", "pass", "name"],
            properties: [.string("username"), .string("email"), .string("pass"), .string("name"), .string("secretURL")],
            additionalProperties: false
        ) {
            throw RocketChatError.invalidParams(error)
        }
        return try await createUser(body, roles: ["user"], password: body["pass"]?.stringValue, caller: nil)
    }

    private func createUser(
        _ body: JSONValue,
        roles: [String],
        password: String?,
        caller: (userId: String, hashedToken: String)?
    ) async throws -> Response {
        let request = UserRepository.NewUserRequest(
            username: body["username"]?.stringValue ?? "",
            email: body["email"]?.stringValue ?? "",
            name: body["name"]?.stringValue ?? "",
            password: password ?? "",
            roles: roles,
            verified: body["verified"]?.boolValue ?? false
        )
        let hasher = passwordHasher
        let outcome = try await users.create(caller: caller, request: request) { password in try hasher.hash(password: password) }
        return try Self.respond(outcome, key: "user")
    }

    /// `GET users.info?userId=…|username=…`.
    @Sendable func info(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let query = try ListQuery(request.uri.query, allowed: ["userId", "username", "fields", "importId"], sortFields: [])
        let userId = try ListQuery.single("userId", in: query.parameters).flatMap { $0.isEmpty ? nil : $0 }
        let username = try ListQuery.single("username", in: query.parameters).flatMap { $0.isEmpty ? nil : $0 }
        guard userId != nil || username != nil else {
            throw RocketChatError.meteor(MeteorError("error-user-param-not-provided", reason: "The required \"userId\" or \"username\" param was not provided"))
        }
        let outcome = try await users.info(caller: (caller.userId, caller.hashedToken), userId: userId, username: username)
        if case .notFound = outcome { throw RocketChatError.failure("User not found.") }
        return try Self.respond(outcome, key: "user")
    }

    /// `POST users.delete` with `{userId}` (needs `delete-user`).
    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.jsonObject(request, context: context)
        guard let userId = body["userId"]?.stringValue, !userId.isEmpty else {
            throw RocketChatError.meteor(MeteorError("error-user-param-not-provided", reason: "The required \"userId\" or \"username\" param was not provided"))
        }
        let outcome = try await users.delete(caller: (caller.userId, caller.hashedToken), userId: userId)
        if case .notFound = outcome {
            throw RocketChatError.meteor(
                MeteorError("error-invalid-user", reason: "The required \"userId\" or \"username\" param provided does not match any users")
            )
        }
        return try Self.respond(outcome, key: "user")
    }

    /// `POST users.generatePersonalAccessToken` with `{tokenName}`: `{"token": …}`, usable as `X-Auth-Token`.
    @Sendable func generatePersonalAccessToken(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let name = try await Self.tokenName(request, context: context, allowing: ["tokenName", "bypassTwoFactor"])
        let token = LoginToken.generate()
        let outcome = try await users.addPersonalAccessToken(caller: (caller.userId, caller.hashedToken), name: name, hashedToken: LoginToken.hash(token))
        if case .done = outcome {
            var writer = JSONWriter()
            writer.beginObject()
            writer.field("token", string: token)
            writer.field("success", raw: "true")
            writer.endObject()
            return .json(writer.buffer)
        }
        return try Self.respond(outcome, key: "token")
    }

    /// `POST users.removePersonalAccessToken` with `{tokenName}`.
    @Sendable func removePersonalAccessToken(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let name = try await Self.tokenName(request, context: context, allowing: ["tokenName"])
        return try Self.respond(try await users.removePersonalAccessToken(caller: (caller.userId, caller.hashedToken), name: name), key: "")
    }

    private static func tokenName(_ request: Request, context: APIRequestContext, allowing keys: [String]) async throws -> String {
        let body = try await RequestBody.jsonObject(request, context: context)
        let properties: [BodySchema.Property] = keys.map { $0 == "tokenName" ? .string($0, minLength: 1) : .boolean($0) }
        if let error = BodySchema.firstError(of: body, required: ["tokenName"], properties: properties, additionalProperties: false) {
            throw RocketChatError.invalidParams(error)
        }
        return body["tokenName"]?.stringValue ?? ""
    }

    private static func respond(_ outcome: UserRepository.Outcome, key: String) throws -> Response {
        switch outcome {
        case .unauthenticated: throw RocketChatError.notLoggedIn
        case .forbidden: throw RocketChatError.permissionRequired
        case .notFound: throw RocketChatError.failure("User not found.")
        case .rejected(let error): throw RocketChatError.meteor(error)
        case .done: return .json(ByteBuffer(string: #"{"success":true}"#))
        case .user(let document):
            return .json(JSONWriter.success(key, raw: document))
        }
    }
}
