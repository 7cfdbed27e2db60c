import IntegrationsCore
import LibPQ

/// Users and their login tokens.
public struct UserRepository: Sendable {
    let pool: ConnectionPool
    let deliveries: DeliverySignal

    public init(pool: ConnectionPool, deliveries: DeliverySignal = .none) {
        self.pool = pool
        self.deliveries = deliveries
    }

    /// A user who may log in with a password.
    public struct Credentials: Sendable {
        public let userId: String
        public let passwordHash: String?
    }

    /// Finds an active user by username or email, case-insensitively.
    public func credentials(forLogin login: String) async throws(StoreError) -> Credentials? {
        let result = try await pool.run(UserStatements.findForLogin, [login])
        guard result.rowCount == 1, let id = result.string(row: 0, column: 0) else { return nil }
        return Credentials(userId: id, passwordHash: result.string(row: 0, column: 1))
    }

    /// The `me` document (JSON text) of the user whose id and token hash match, or `nil`.
    public func authenticate(userId: String, hashedToken: String) async throws(StoreError) -> String? {
        let result = try await pool.run(UserStatements.authenticate, [userId, hashedToken])
        return result.rowCount == 1 ? result.string(row: 0, column: 0) : nil
    }

    /// Stores a login token hash; returns the user's `me` document (JSON text).
    public func addLoginToken(userId: String, hashedToken: String) async throws(StoreError) -> String? {
        let result = try await pool.run(UserStatements.insertLoginToken, [userId, hashedToken])
        return result.rowCount == 1 ? result.string(row: 0, column: 0) : nil
    }

    /// Removes a login token; returns whether it existed.
    @discardableResult
    public func removeLoginToken(userId: String, hashedToken: String) async throws(StoreError) -> Bool {
        try await pool.run(UserStatements.deleteLoginToken, [userId, hashedToken]).affectedRows > 0
    }

    /// Whether an active user has the `admin` role.
    public func adminExists() async throws(StoreError) -> Bool {
        try await pool.run(UserStatements.adminExists, []).bool(row: 0, column: 0) ?? false
    }

    /// A new user row.
    public struct NewUser: Sendable {
        public var id: String
        public var username: String
        public var email: String?
        public var name: String
        public var passwordHash: String?
        public var roles: [String]
        public var emailVerified: Bool

        public init(id: String, username: String, email: String?, name: String, passwordHash: String?, roles: [String], emailVerified: Bool = false) {
            self.id = id
            self.username = username
            self.email = email
            self.name = name
            self.passwordHash = passwordHash
            self.roles = roles
            self.emailVerified = emailVerified
        }
    }

    /// Inserts a user; throws a ``StoreError`` of kind `conflict` when its id, username or email is taken.
    public func insert(_ user: NewUser) async throws(StoreError) {
        let result = try await pool.run(
            UserStatements.insert,
            [
                user.id, user.username, user.email, user.name, user.passwordHash, user.roles.joined(separator: ","),
                user.emailVerified ? "true" : "false", RandomToken.id(),
            ]
        )
        guard result.int(row: 0, column: 0) == 1 else {
            throw StoreError(kind: .conflict, message: "a user with the id, username or email of \(user.username) exists")
        }
        deliveries.enqueued(result.int(row: 0, column: 1))
    }
}

extension UserRepository {
    /// A user to create through `users.create` or `users.register`.
    public struct NewUserRequest: Sendable {
        public var username: String
        public var email: String
        public var name: String
        public var password: String
        public var roles: [String]
        public var verified: Bool

        public init(username: String, email: String, name: String, password: String, roles: [String], verified: Bool) {
            self.username = username
            self.email = email
            self.name = name
            self.password = password
            self.roles = roles
            self.verified = verified
        }
    }

    /// `users.create` (caller needs `create-user`), or `users.register` (no caller; the registration setting
    /// must be `Public`): Rocket.Chat's checks, then the user with a bcrypt password, member of the default rooms.
    public func create(
        caller: (userId: String, hashedToken: String)?,
        request: NewUserRequest,
        passwordHash: @escaping @Sendable (String) throws -> String
    ) async throws(StoreError) -> Outcome<String> {
        let (outcome, enqueued) = try await pool.session { session in
            try session.transaction { () throws -> (Outcome<String>, Int?) in
                if let caller {
                    if case .refused(let refusal) = try Self.verdict(session, caller, holds: "create-user") { return (.refused(refusal), nil) }
                } else {
                    let registration = try session.execute(UserStatements.setting, ["Accounts_RegistrationForm"]).string(row: 0, column: 0)
                    guard registration == "\"Public\"" else {
                        return (.rejected(MeteorError("error-user-registration-disabled", reason: "User registration is disabled")), nil)
                    }
                }
                do {
                    try NewUserRules.validate(username: request.username, name: request.name, email: request.email, password: request.password)
                } catch let error as MeteorError {
                    return (.rejected(error), nil)
                }
                let roles = try session.execute(UserStatements.unknownRoles, [PostgresArray.literal(request.roles)])
                if roles.rowCount > 0 {
                    return (.rejected(MeteorError("error-invalid-role", "Invalid role", method: NewUserRules.method)), nil)
                }
                if try session.execute(UserStatements.idByUsernameIgnoringCase, [request.username]).rowCount > 0 {
                    return (.rejected(NewUserRules.usernameTaken(request.username)), nil)
                }
                if try session.execute(UserStatements.idByEmail, [request.email]).rowCount > 0 {
                    return (.rejected(NewUserRules.emailTaken(request.email)), nil)
                }
                let id = RandomToken.id()
                let inserted = try session.execute(
                    UserStatements.insert,
                    [
                        id, request.username, request.email, request.name, try passwordHash(request.password),
                        request.roles.joined(separator: ","), request.verified ? "true" : "false", RandomToken.id(),
                    ]
                )
                guard inserted.int(row: 0, column: 0) == 1 else {
                    // A concurrent request took the username or the email after the checks above: answer as they would.
                    if try session.execute(UserStatements.idByUsernameIgnoringCase, [request.username]).rowCount > 0 {
                        return (.rejected(NewUserRules.usernameTaken(request.username)), nil)
                    }
                    if try session.execute(UserStatements.idByEmail, [request.email]).rowCount > 0 {
                        return (.rejected(NewUserRules.emailTaken(request.email)), nil)
                    }
                    throw StoreError(kind: .conflict, message: "the new user's id \(id) exists")
                }
                let document = try session.execute(UserStatements.document, [id, nil, "true"]).string(row: 0, column: 0) ?? "{}"
                return (.done(document), inserted.int(row: 0, column: 1))
            }
        }
        deliveries.enqueued(enqueued)
        return outcome
    }
}

extension UserRepository {
    /// `users.info`: a user by id or username; emails shown to the user itself and to holders of
    /// `view-full-other-user-info`.
    public func info(caller: (userId: String, hashedToken: String), userId: String?, username: String?) async throws(StoreError) -> Outcome<String> {
        try await pool.session { session in
            let permission = try session.execute(
                UserStatements.callerHasPermission,
                [caller.userId, caller.hashedToken, "view-full-other-user-info"]
            )
            let verdict = try Verdict(permission, of: UserStatements.callerHasPermission)
            if verdict == .refused(.unauthenticated) { return .refused(.unauthenticated) }
            let callerUsername = permission.string(row: 0, column: 1)
            let isSelf = userId == caller.userId || (userId == nil && username == callerUsername)
            let showEmails = verdict == .ok || isSelf
            let result = try session.execute(UserStatements.document, [userId, username, showEmails ? "true" : "false"])
            guard result.rowCount == 1, let document = result.string(row: 0, column: 0) else { return .refused(.notFound) }
            return .done(document)
        }
    }

    /// `users.delete` (caller needs `delete-user`): the user, its tokens and memberships.
    public func delete(caller: (userId: String, hashedToken: String), userId: String) async throws(StoreError) -> Outcome<Void> {
        try await pool.session { session in
            try session.transaction { () throws -> Outcome<Void> in
                if case .refused(let refusal) = try Self.verdict(session, caller, holds: "delete-user") { return .refused(refusal) }
                return try session.execute(UserStatements.delete, [userId]).affectedRows == 1 ? .done(()) : .refused(.notFound)
            }
        }
    }

    /// `users.generatePersonalAccessToken` (caller needs `create-personal-access-tokens`): stores the token's
    /// hash under `name`, unless the caller already has a token of that name.
    public func addPersonalAccessToken(
        caller: (userId: String, hashedToken: String),
        name: String,
        hashedToken: String
    ) async throws(StoreError) -> Outcome<Void> {
        let method = "personalAccessTokens:generateToken"
        return try await pool.session { session in
            try session.transaction { () throws -> Outcome<Void> in
                if let refusal = try Self.personalAccessTokenRefusal(session, caller, method: method) { return refusal }
                guard try session.execute(UserStatements.insertPersonalAccessToken, [caller.userId, hashedToken, name]).affectedRows == 1 else {
                    return .rejected(MeteorError("error-token-already-exists", "A token with this name already exists", method: method))
                }
                return .done(())
            }
        }
    }

    /// `users.removePersonalAccessToken`: forgets the caller's token of that name.
    public func removePersonalAccessToken(caller: (userId: String, hashedToken: String), name: String) async throws(StoreError) -> Outcome<Void> {
        let method = "personalAccessTokens:removeToken"
        return try await pool.session { session in
            try session.transaction { () throws -> Outcome<Void> in
                if let refusal = try Self.personalAccessTokenRefusal(session, caller, method: method) { return refusal }
                guard try session.execute(UserStatements.deletePersonalAccessToken, [caller.userId, name]).affectedRows == 1 else {
                    return .rejected(MeteorError("error-token-does-not-exists", "Token does not exist.", method: method))
                }
                return .done(())
            }
        }
    }

    /// Whether the caller is authenticated and holds `permission`.
    private static func verdict(_ session: Session, _ caller: (userId: String, hashedToken: String), holds permission: String) throws -> Verdict {
        try Verdict(
            session.execute(UserStatements.callerHasPermission, [caller.userId, caller.hashedToken, permission]),
            of: UserStatements.callerHasPermission
        )
    }

    /// `nil` when the caller may manage personal access tokens; otherwise the answer of Rocket.Chat's method,
    /// which refuses a caller without the permission with its own `not-authorized` error.
    private static func personalAccessTokenRefusal(
        _ session: Session,
        _ caller: (userId: String, hashedToken: String),
        method: String
    ) throws -> Outcome<Void>? {
        switch try verdict(session, caller, holds: "create-personal-access-tokens") {
        case .ok: nil
        case .refused(.forbidden): .rejected(MeteorError("not-authorized", "Not Authorized", method: method))
        case .refused(let refusal): .refused(refusal)
        }
    }

    /// How the REST rate limiter treats a caller.
    public enum RateLimitStanding: Sendable, Equatable {
        /// The caller holds `api-bypass-rate-limit` (Rocket.Chat gives it to admin, bot and app).
        case exempt
        case limited
        /// The credentials do not match a user: the route answers 401, the limiter has nothing to count.
        case unauthenticated
    }

    public func rateLimitStanding(userId: String, hashedToken: String) async throws(StoreError) -> RateLimitStanding {
        let statement = UserStatements.callerHasPermission
        return switch try Verdict(try await pool.run(statement, [userId, hashedToken, "api-bypass-rate-limit"]), of: statement) {
        case .ok: .exempt
        case .refused(.forbidden): .limited
        case .refused: .unauthenticated
        }
    }

    /// Stores a Rocket.Chat setting (its value as JSON text), as `OVERWRITE_SETTING_<id>` does at start-up.
    public func overwriteSetting(id: String, valueJSON: String) async throws(StoreError) {
        _ = try await pool.run(UserStatements.upsertSetting, [id, valueJSON])
    }
}
