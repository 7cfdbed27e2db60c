import Testing

@testable import IntegrationsAPI

/// The bodies of `users.generatePersonalAccessToken` and `users.removePersonalAccessToken`.
@Suite struct PersonalAccessTokenRequestTests {
    @Test func theTokenNameIsRead() throws {
        #expect(try PersonalAccessTokenRequest.generate(json(#"{"tokenName":"ci","bypassTwoFactor":true}"#)).tokenName == "ci")
        #expect(try PersonalAccessTokenRequest.remove(json(#"{"tokenName":"ci"}"#)).tokenName == "ci")
    }

    @Test(
        arguments: [
            ("{}", "must have required property 'tokenName'"), (#"{"tokenName":""}"#, "must NOT have fewer than 1 characters"),
            (#"{"tokenName":1}"#, "must be string"), (#"{"tokenName":"ci","bypassTwoFactor":"yes"}"#, "must be boolean"),
            (#"{"tokenName":"ci","other":1}"#, "must NOT have additional properties"),
        ]
    )
    func generatingChecksRocketChatsSchema(body: String, message: String) throws {
        let body = try json(body)
        #expect(thrownError { () throws(RocketChatError) in try PersonalAccessTokenRequest.generate(body) } == .invalidParams(message))
    }

    /// Removing takes the name alone.
    @Test func removingRefusesBypassTwoFactor() throws {
        let body = try json(#"{"tokenName":"ci","bypassTwoFactor":true}"#)
        #expect(
            thrownError { () throws(RocketChatError) in try PersonalAccessTokenRequest.remove(body) }
                == .invalidParams("must NOT have additional properties")
        )
    }
}
