import IntegrationsCore

/// The query of `users.info`: `userId` or `username` (an empty one is absent), Rocket.Chat's other known
/// parameters allowed.
struct UserInfoQuery: Equatable {
    let userId: String?
    let username: String?

    static let userParameterMissing = RocketChatError.meteor(
        MeteorError("error-user-param-not-provided", reason: "The required \"userId\" or \"username\" param was not provided")
    )

    init(_ query: String?) throws(RocketChatError) {
        let listing = try ListQuery(query, allowed: ["userId", "username", "fields", "importId"], sortFields: [])
        userId = try ListQuery.single("userId", in: listing.parameters).flatMap { $0.isEmpty ? nil : $0 }
        username = try ListQuery.single("username", in: listing.parameters).flatMap { $0.isEmpty ? nil : $0 }
        guard userId != nil || username != nil else { throw Self.userParameterMissing }
    }
}
