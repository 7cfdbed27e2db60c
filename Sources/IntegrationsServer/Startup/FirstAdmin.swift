import IntegrationsCore
import IntegrationsStore
import Logging

/// Rocket.Chat's first-administrator convention: on a database with no administrator, create one from
/// `ADMIN_USERNAME` / `ADMIN_PASS` / `ADMIN_EMAIL` / `ADMIN_NAME`; without `ADMIN_PASS`, generate a strong
/// password and print it once.
enum FirstAdmin {
    /// What was created, for the start-up banner.
    struct Created {
        let username: String
        /// The generated password, or `nil` when it came from `ADMIN_PASS`.
        let generatedPassword: String?
    }

    static func ensure(_ configuration: ServiceConfiguration, users: UserRepository, logger: Logger) async throws -> Created? {
        guard try await !users.adminExists() else { return nil }
        let generated = configuration.adminPassword == nil ? RandomToken.secret(count: 24) : nil
        let password = configuration.adminPassword ?? generated ?? ""
        let hasher = PasswordHasher()
        let user = UserRepository.NewUser(
            id: RandomToken.id(),
            username: configuration.adminUsername,
            email: configuration.adminEmail,
            name: configuration.adminName,
            passwordHash: try hasher.hash(password: password),
            roles: ["admin", "user"]
        )
        do {
            try await users.insert(user)
        } catch {
            guard error.kind == .conflict else { throw error }
            // Another process created it at the same moment, or the name is taken by a non-admin.
            logger.warning("first administrator not created: username or email already taken", metadata: ["username": "\(user.username)"])
            return nil
        }
        logger.info("created the first administrator", metadata: ["username": "\(user.username)"])
        return Created(username: user.username, generatedPassword: generated)
    }
}
