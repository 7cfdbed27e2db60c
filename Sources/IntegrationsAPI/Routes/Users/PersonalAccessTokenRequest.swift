import IntegrationsCore

/// The bodies of `users.generatePersonalAccessToken` (`{tokenName, bypassTwoFactor?}`) and
/// `users.removePersonalAccessToken` (`{tokenName}`), checked against Rocket.Chat's schemas.
struct PersonalAccessTokenRequest: Equatable {
    let tokenName: String

    static func generate(_ body: JSONValue) throws(RocketChatError) -> PersonalAccessTokenRequest {
        try PersonalAccessTokenRequest(body, allowing: [.boolean("bypassTwoFactor")])
    }

    static func remove(_ body: JSONValue) throws(RocketChatError) -> PersonalAccessTokenRequest {
        try PersonalAccessTokenRequest(body, allowing: [])
    }

    private init(_ body: JSONValue, allowing others: [BodySchema.Property]) throws(RocketChatError) {
        let body = try RequestBody.object(body)
        if let error = BodySchema.firstError(
            of: body,
            required: ["tokenName"],
            properties: [.string("tokenName", minLength: 1)] + others,
            additionalProperties: false
        ) {
            throw .invalidParams(error)
        }
        tokenName = body["tokenName"]?.stringValue ?? ""
    }
}
