import Foundation
import HTTPTypes
import HummingbirdTesting
import IntegrationsCore
import Testing

/// `channels.create`, `groups.create`, `channels.info`, `channels.join`, `channels.leave`, and the membership
/// rule of `integrations.create` they feed.
@Suite struct RoomsTests {
    @Test func createdChannelHasTheCreatorAsOwnerAndMember() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let friend = try await server.createUser(roles: ["user"])
            let name = "chan-\(RandomToken.id())"
            let response = try await server.post(
                "/api/v1/channels.create",
                json: #"{"name":"\#(name)","members":["\#(friend.username)","nobody-x"]}"#,
                as: user
            )
            #expect(response.status == .ok)
            #expect(try await server.extract("-> 'channel' ->> 'name'", from: response.text) == name)
            #expect(try await server.extract("-> 'channel' ->> 't'", from: response.text) == "c")
            #expect(try await server.extract("-> 'channel' -> 'u' ->> '_id'", from: response.text) == user.id)
            #expect(try await server.extract("-> 'channel' ->> 'usersCount'", from: response.text) == "2")
            let id = try #require(try await server.extract("-> 'channel' ->> '_id'", from: response.text))
            let info = try await server.get("/api/v1/channels.info?roomName=\(name)", as: friend)
            #expect(try await server.extract("-> 'channel' ->> '_id'", from: info.text) == id)

            let duplicate = try await server.post("/api/v1/channels.create", json: #"{"name":"\#(name)"}"#, as: user)
            #expect(try await server.extract("->> 'errorType'", from: duplicate.text) == "error-duplicate-channel-name")
            let invalid = try await server.post("/api/v1/channels.create", json: #"{"name":"no spaces"}"#, as: user)
            #expect(try await server.extract("->> 'error'", from: invalid.text) == "no spaces is not a valid room name [error-invalid-room-name]")
            let group = try await server.post("/api/v1/groups.create", json: #"{"name":"group-\#(RandomToken.id())"}"#, as: user)
            #expect(try await server.extract("-> 'group' ->> 't'", from: group.text) == "p")
        }
    }

    @Test func joiningAndLeavingDecideWhereOwnIntegrationsMayPost() async throws {
        try await TestServer.run { server in
            let owner = try await server.createUser(roles: ["user"])
            let role = try await server.createRole(permissions: [Permission.manageOwnIncoming])
            let caller = try await server.createUser(roles: ["user", role])
            let name = "chan-\(RandomToken.id())"
            let created = try await server.post("/api/v1/channels.create", json: #"{"name":"\#(name)"}"#, as: owner)
            let roomId = try #require(try await server.extract("-> 'channel' ->> '_id'", from: created.text))
            let integration = IntegrationsCreateTests.incoming.replacingOccurrences(of: "general", with: name)

            let outsider = try await server.post("/api/v1/integrations.create", json: integration, as: caller)
            #expect(try await server.extract("->> 'error'", from: outsider.text) == "Invalid Channel [error-invalid-channel]")

            let joined = try await server.post("/api/v1/channels.join", json: #"{"roomId":"\#(roomId)"}"#, as: caller)
            #expect(try await server.extract("-> 'channel' ->> 'usersCount'", from: joined.text) == "2")
            let member = try await server.post("/api/v1/integrations.create", json: integration, as: caller)
            #expect(member.status == .ok)

            let left = try await server.post("/api/v1/channels.leave", json: #"{"roomId":"\#(roomId)"}"#, as: caller)
            #expect(left.status == .ok)
            let again = try await server.post("/api/v1/channels.leave", json: #"{"roomId":"\#(roomId)"}"#, as: caller)
            #expect(try await server.extract("->> 'errorType'", from: again.text) == "error-user-not-in-room")
            let afterLeaving = try await server.post("/api/v1/integrations.create", json: integration, as: caller)
            #expect(try await server.extract("->> 'error'", from: afterLeaving.text) == "Invalid Channel [error-invalid-channel]")
        }
    }

    @Test func unknownRoomsAndMissingParameters() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let unknown = try await server.get("/api/v1/channels.info?roomId=nope", as: user)
            #expect(try await server.extract("->> 'errorType'", from: unknown.text) == "error-room-not-found")
            let missing = try await server.get("/api/v1/channels.info", as: user)
            #expect(try await server.extract("->> 'errorType'", from: missing.text) == "error-roomid-param-not-provided")
            let join = try await server.post("/api/v1/channels.join", json: #"{"roomId":"nope"}"#, as: user)
            #expect(try await server.extract("->> 'errorType'", from: join.text) == "error-room-not-found")
            let noName = try await server.post("/api/v1/channels.create", json: #"{}"#, as: user)
            #expect(try await server.sameJSON(noName.text, #"{"success":false,"error":"Body param \"name\" is required"}"#))
            #expect(try await server.post("/api/v1/channels.create", json: #"{"name":"x"}"#).status == .unauthorized)
        }
    }
}
