import IntegrationsCore
import Testing

@testable import IntegrationsAPI

/// The body of `channels.create` and `groups.create`.
@Suite struct RoomCreateRequestTests {
    func refusal(_ body: String) throws -> RocketChatError? {
        let body = try json(body)
        return thrownError { () throws(RocketChatError) in try RoomCreateRequest(body) }
    }

    @Test func aNameAloneIsAWritableRoomWithoutOtherMembers() throws {
        let request = try RoomCreateRequest(json(#"{"name":"chan-1"}"#))
        #expect(request.name == "chan-1")
        #expect(request.memberUsernames == [])
        #expect(request.readOnly == false)
    }

    @Test func membersAndReadOnlyAreRead() throws {
        let request = try RoomCreateRequest(json(#"{"name":"chan-1","members":["alice","nobody-x"],"readOnly":true}"#))
        #expect(request.memberUsernames == ["alice", "nobody-x"])
        #expect(request.readOnly)
    }

    @Test(arguments: [#"{}"#, #"{"name":""}"#, #"{"name":5}"#, #"{"name":null}"#])
    func aMissingNameIsRequired(body: String) async throws {
        let error = try #require(try refusal(body))
        #expect(try await error.renderedBody == #"{"success":false,"error":"Body param \"name\" is required"}"#)
    }

    @Test func anInvalidNameIsCreateRoomsMeteorError() async throws {
        let error = try #require(try refusal(#"{"name":"no spaces"}"#))
        #expect(
            try await error.renderedBody
                == #"{"success":false,"error":"no spaces is not a valid room name [error-invalid-room-name]","errorType":"error-invalid-room-name","details":{"function":"RocketChat.createRoom","room_name":"no spaces"}}"#
        )
    }

    @Test func theNameIsCheckedBeforeTheMembers() throws {
        #expect(try refusal(#"{"name":"a b","members":"x"}"#)?.errorType == "error-invalid-room-name")
    }

    @Test(arguments: [#""alice""#, "[1]", #"["alice",null]"#, "{}"])
    func membersMustBeAnArrayOfNames(members: String) throws {
        #expect(try refusal(#"{"name":"chan","members":\#(members)}"#) == .failure(#"Body param "members" must be an array if provided"#))
    }

    @Test(arguments: [#""true""#, "1", "[]"])
    func readOnlyMustBeABoolean(readOnly: String) throws {
        #expect(try refusal(#"{"name":"chan","readOnly":\#(readOnly)}"#) == .failure(#"Body param "readOnly" must be a boolean if provided"#))
    }

    @Test func validNamesAreRocketChatsDefaultPattern() {
        for name in ["general", "a", "A-b_c.d", "0123456789"] {
            #expect(RoomCreateRequest.isValidName(name), "\(name)")
        }
        for name in ["", "a b", "é", "a/b", "a#b", "@a", "a\u{0}b", "chan🚀"] {
            #expect(!RoomCreateRequest.isValidName(name), "\(name)")
        }
    }
}
