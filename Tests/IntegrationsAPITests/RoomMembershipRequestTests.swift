import Testing

@testable import IntegrationsAPI

/// The body of `channels.join` and `channels.leave`.
@Suite struct RoomMembershipRequestTests {
    @Test func theRoomIdIsRead() throws {
        #expect(try RoomMembershipRequest(json(#"{"roomId":"GENERAL","joinCode":"x"}"#)).roomId == "GENERAL")
    }

    @Test(arguments: ["{}", #"{"roomId":""}"#, #"{"roomId":["GENERAL"]}"#, #"{"roomName":"general"}"#])
    func aMissingRoomIdIsRocketChatsParamNotProvided(body: String) async throws {
        let body = try json(body)
        let error = try #require(thrownError { () throws(RocketChatError) in try RoomMembershipRequest(body) })
        #expect(try await error.renderedBody == RoomInfoQueryTests.missing)
    }
}
