import IntegrationsCore
import IntegrationsStore

/// The bodies of `users.create` and `users.register`, checked against Rocket.Chat's schemas, as the user to
/// create. Rocket.Chat's rules for the values themselves (``NewUserRules``) run in the store's transaction.
enum NewUserBody {
    /// `users.create`: `{email, name, password, username, roles?, verified?, …}`; roles default to `user`.
    static func create(_ body: JSONValue) throws(RocketChatError) -> UserRepository.NewUserRequest {
        let body = try RequestBody.object(body)
        if let error = BodySchema.firstError(
            of: body,
            required: ["email", "name", "password", "username"],
            properties: [
                .string("email"), .string("name"), .string("password"), .string("username"), .boolean("active"), .strings("roles"),
                .boolean("joinDefaultChannels"), .boolean("requirePasswordChange"), .boolean("sendWelcomeEmail"), .boolean("verified"),
                BodySchema.Property(name: "customFields") { $0.keys.isEmpty && $0 != .object([]) ? "must be object" : nil },
            ],
            additionalProperties: false
        ) {
            throw .invalidParams(error)
        }
        let roles = body["roles"]?.arrayValue?.compactMap(\.stringValue) ?? ["user"]
        return user(body, password: body["password"]?.stringValue, roles: roles)
    }

    /// `users.register`: `{username, email, pass, name, secretURL?}`; the new user has the `user` role.
    static func register(_ body: JSONValue) throws(RocketChatError) -> UserRepository.NewUserRequest {
        let body = try RequestBody.object(body)
        if let error = BodySchema.firstError(
            of: body,
            required: ["username", "email", "pass", "name"],
            properties: [.string("username"), .string("email"), .string("pass"), .string("name"), .string("secretURL")],
            additionalProperties: false
        ) {
            throw .invalidParams(error)
        }
        return user(body, password: body["pass"]?.stringValue, roles: ["user"])
    }

    private static func user(_ body: JSONValue, password: String?, roles: [String]) -> UserRepository.NewUserRequest {
        UserRepository.NewUserRequest(
            username: body["username"]?.stringValue ?? "",
            email: body["email"]?.stringValue ?? "",
            name: body["name"]?.stringValue ?? "",
            password: password ?? "",
            roles: roles,
            verified: body["verified"]?.boolValue ?? false
        )
    }
}
