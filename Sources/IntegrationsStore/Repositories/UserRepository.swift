import LibPQ

/// Users and their login tokens.
public struct UserRepository: Sendable {
    let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// A user who may log in with a password.
    public struct Credentials: Sendable {
        public let userId: String
        public let passwordHash: String?
    }

    /// Finds an active user by username or email, case-insensitively.
    public func credentials(forLogin login: String) async throws(StoreError) -> Credentials? {
        let result = try await pool.run(Statements.findUserForLogin, [login])
        guard result.rowCount == 1, let id = result.string(row: 0, column: 0) else { return nil }
        return Credentials(userId: id, passwordHash: result.string(row: 0, column: 1))
    }

    /// The `me` document (JSON text) of the user whose id and token hash match, or `nil`.
    public func authenticate(userId: String, hashedToken: String) async throws(StoreError) -> String? {
        let result = try await pool.run(Statements.authenticate, [userId, hashedToken])
        return result.rowCount == 1 ? result.string(row: 0, column: 0) : nil
    }

    /// Stores a login token hash; returns the user's `me` document (JSON text).
    public func addLoginToken(userId: String, hashedToken: String) async throws(StoreError) -> String? {
        let result = try await pool.run(Statements.insertLoginToken, [userId, hashedToken])
        return result.rowCount == 1 ? result.string(row: 0, column: 0) : nil
    }

    /// Removes a login token; returns whether it existed.
    @discardableResult
    public func removeLoginToken(userId: String, hashedToken: String) async throws(StoreError) -> Bool {
        try await pool.run(Statements.deleteLoginToken, [userId, hashedToken]).affectedRows > 0
    }

    /// Whether an active user has the `admin` role.
    public func adminExists() async throws(StoreError) -> Bool {
        try await pool.run(Statements.adminExists, []).bool(row: 0, column: 0) ?? false
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

    /// Inserts a user; throws a ``StoreError`` of kind `conflict` when the username or email is taken.
    public func insert(_ user: NewUser) async throws(StoreError) {
        _ = try await pool.run(
            Statements.insertUser,
            [user.id, user.username, user.email, user.name, user.passwordHash, user.roles.joined(separator: ","), user.emailVerified ? "true" : "false"]
        )
    }
}
