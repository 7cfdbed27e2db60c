import Testing

@testable import IntegrationsAPI

/// The query of `channels.info`.
@Suite struct RoomInfoQueryTests {
    static let missing =
        #"{"success":false,"error":"The parameter \"roomId\" or \"roomName\" is required [error-roomid-param-not-provided]","errorType":"error-roomid-param-not-provided"}"#

    @Test func aRoomIdOrANameIsRead() throws {
        #expect(try RoomInfoQuery("roomId=GENERAL").roomId == "GENERAL")
        #expect(try RoomInfoQuery("roomName=general").roomName == "general")
        #expect(try RoomInfoQuery("roomId=&roomName=general").roomId == nil)
    }

    @Test(arguments: [nil, "", "roomId=", "roomName="])
    func neitherIsRocketChatsParamNotProvided(query: String?) async throws {
        let error = try #require(thrownError { () throws(RocketChatError) in try RoomInfoQuery(query) })
        #expect(try await error.renderedBody == Self.missing)
    }

    @Test func anUnknownParameterIsInvalidParams() {
        #expect(thrownError { () throws(RocketChatError) in try RoomInfoQuery("roomId=a&fields=x") }?.errorType == "invalid-params")
    }
}
