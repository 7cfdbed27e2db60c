import Testing

@testable import IntegrationsAPI

/// The body of `users.delete`.
@Suite struct UserDeleteRequestTests {
    @Test func theUserIdIsRead() throws {
        #expect(try UserDeleteRequest(json(#"{"userId":"abc","confirmRelinquish":true}"#)).userId == "abc")
    }

    @Test(arguments: ["{}", #"{"userId":""}"#, #"{"userId":7}"#])
    func aMissingUserIdIsRocketChatsParamNotProvided(body: String) async throws {
        let body = try json(body)
        let error = try #require(thrownError { () throws(RocketChatError) in try UserDeleteRequest(body) })
        #expect(try await error.renderedBody == UserInfoQueryTests.missing)
    }

    @Test func aBodyThatIsNotAnObjectIsRefused() throws {
        let body = try json("[]")
        #expect(thrownError { () throws(RocketChatError) in try UserDeleteRequest(body) } == .invalidBody("The request body must be a JSON object"))
    }
}
