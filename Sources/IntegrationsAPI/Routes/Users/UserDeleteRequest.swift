import IntegrationsCore

/// The body of `users.delete`: `{userId}`, a non-empty string.
struct UserDeleteRequest: Equatable {
    let userId: String

    init(_ body: JSONValue) throws(RocketChatError) {
        let body = try RequestBody.object(body)
        guard let userId = body["userId"]?.stringValue, !userId.isEmpty else { throw UserInfoQuery.userParameterMissing }
        self.userId = userId
    }
}
