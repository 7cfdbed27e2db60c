import Testing

@testable import IntegrationsAPI

/// The query of `users.info`.
@Suite struct UserInfoQueryTests {
    static let missing =
        #"{"success":false,"error":"The required \"userId\" or \"username\" param was not provided [error-user-param-not-provided]","errorType":"error-user-param-not-provided"}"#

    @Test func aUserIdOrAUsernameIsRead() throws {
        #expect(try UserInfoQuery("userId=abc") == UserInfoQuery("userId=abc&fields=%7B%7D"))
        #expect(try UserInfoQuery("userId=abc").userId == "abc")
        #expect(try UserInfoQuery("username=rocket.cat").username == "rocket.cat")
        #expect(try UserInfoQuery("userId=&username=bob").userId == nil)
    }

    @Test(arguments: [nil, "", "userId=", "username=", "fields=%7B%7D"])
    func neitherIsRocketChatsParamNotProvided(query: String?) async throws {
        let error = try #require(thrownError { () throws(RocketChatError) in try UserInfoQuery(query) })
        #expect(try await error.renderedBody == Self.missing)
    }

    @Test func anUnknownParameterIsInvalidParams() {
        #expect(thrownError { () throws(RocketChatError) in try UserInfoQuery("userId=a&bogus=1") }?.errorType == "invalid-params")
    }
}
