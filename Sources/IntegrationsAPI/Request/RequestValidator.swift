import IntegrationsStore

/// Validates the requests of authenticated routes in Rocket.Chat's order, which checks the credentials first:
/// a request that fails validation is answered 401 when its credentials are wrong, and with the validation
/// error otherwise. A valid request is authenticated by the store statement that serves it, in the same round
/// trip, so the credentials cost a look-up of their own only when the request is invalid.
struct RequestValidator: Sendable {
    let users: UserRepository

    func validate<Validated>(
        _ caller: CallerCredentials,
        _ validation: () throws(RocketChatError) -> Validated
    ) async throws -> Validated {
        do {
            return try validation()
        } catch {
            guard try await users.authenticate(userId: caller.userId, hashedToken: caller.hashedToken) != nil else {
                throw RocketChatError.notLoggedIn
            }
            throw error
        }
    }
}
