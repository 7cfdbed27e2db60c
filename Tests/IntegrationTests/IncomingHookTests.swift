import Foundation
import HTTPTypes
import IntegrationsCore
import LibPQ
import NIOCore
import Testing

/// `/hooks/:integrationId/:token` over HTTP against the test database: Rocket.Chat's order of checks and its
/// answers, the bodies it accepts, where messages go and as whom (its `incoming-integrations.ts` cases that need no
/// script).
@Suite struct IncomingHookTests {
    /// An incoming integration posting as `poster` into `channels`, written directly; returns its id and token.
    static func createHook(
        _ server: TestServer,
        poster: TestUser,
        channels: [String],
        extra: String = ""
    ) async throws -> (id: String, token: String) {
        let token = RandomToken.id() + RandomToken.id()
        let channelList = channels.map { JSONValue.string($0).text }.joined(separator: ",")
        let id = try await server.createIntegration(
            type: "webhook-incoming",
            createdBy: poster,
            extra: #","token":"\#(token)","userId":"\#(poster.id)","username":"\#(poster.username)","channel":[\#(channelList)]\#(extra)"#
        )
        return (id, token)
    }

    /// The messages of a room, oldest first: text, poster's username, alias, bot.
    static func messages(_ server: TestServer, in roomId: String) async throws -> [(msg: String, username: String, alias: String?, bot: String?)] {
        try await server.pool.withSession { session in
            let result = try session.execute(
                sql: "SELECT msg, u_username, alias, bot::text FROM messages WHERE rid = $1 ORDER BY ts, id",
                [roomId]
            )
            return (0..<result.rowCount).map {
                (
                    result.string(row: $0, column: 0) ?? "", result.string(row: $0, column: 1) ?? "", result.string(row: $0, column: 2),
                    result.string(row: $0, column: 3)
                )
            }
        }
    }

    static func isMember(_ server: TestServer, _ user: TestUser, of roomId: String) async throws -> Bool {
        try await server.pool.withSession { session in
            try session.execute(sql: "SELECT count(*) FROM subscriptions WHERE room_id = $1 AND user_id = $2", [roomId, user.id]).int(
                row: 0,
                column: 0
            ) == 1
        }
    }

    static func post(_ server: TestServer, _ path: String, contentType: String = "application/json", body: String) async throws -> TestResponse {
        try await server.client.execute(
            uri: path,
            method: .post,
            headers: [.contentType: contentType],
            body: ByteBuffer(string: body)
        )
    }

    @Test func aHookPostsIntoItsChannelsAsItsUserWithItsBotMark() async throws {
        try await TestServer.run { server in
            let poster = try await server.createUser(roles: ["user"])
            let room = try await server.createRoom()
            let hook = try await Self.createHook(server, poster: poster, channels: ["#\(room.name)"])
            let response = try await Self.post(server, "/hooks/\(hook.id)/\(hook.token)", body: #"{"text":"Example message"}"#)
            #expect(response.status == .ok)
            #expect(response.text == #"{"success":true}"#)
            let messages = try await Self.messages(server, in: room.id)
            #expect(messages.count == 1)
            #expect(messages.first?.msg == "Example message")
            #expect(messages.first?.username == poster.username)
            #expect(try await server.sameJSON(messages.first?.bot ?? "null", #"{"i":"\#(hook.id)"}"#))
            // A public room: the poster joined it.
            #expect(try await Self.isMember(server, poster, of: room.id))
            // The legacy URL, with a user id Rocket.Chat ignores, and a GET (no body: nothing posted).
            let legacy = try await Self.post(server, "/hooks/\(hook.id)/ignored-user/\(hook.token)", body: #"{"msg":"second"}"#)
            #expect(legacy.status == .ok)
            let get = try await server.get("/hooks/\(hook.id)/\(hook.token)")
            #expect(get.status == .ok && get.text == #"{"success":true}"#)
            #expect(try await Self.messages(server, in: room.id).map(\.msg) == ["Example message", "second"])
        }
    }

    @Test func anUnknownIdOrTokenIsRefusedAndADisabledHookIsUnavailable() async throws {
        try await TestServer.run { server in
            let poster = try await server.createUser(roles: ["user"])
            let room = try await server.createRoom()
            let hook = try await Self.createHook(server, poster: poster, channels: ["#\(room.name)"])
            let invalid = #"{"success":false,"error":"Invalid integration id or token provided."}"#
            for path in [
                "/hooks/\(hook.id)/wrong-token", "/hooks/no-such-id/\(hook.token)", "/hooks/\(hook.id)/\(hook.token)x", "/hooks/\(hook.id)/",
            ] {
                let response = try await Self.post(server, path, body: #"{"text":"x"}"#)
                #expect(response.status == .notFound, "\(path)")
                if path.hasSuffix("/") { continue }
                #expect(response.text == invalid, "\(path)")
            }
            // An outgoing integration's id and token are not a hook.
            let outgoing = try await server.createIntegration(type: "webhook-outgoing", createdBy: poster, extra: #","token":"\#(hook.token)""#)
            #expect(try await Self.post(server, "/hooks/\(outgoing)/\(hook.token)", body: #"{"text":"x"}"#).status == .notFound)
            let disabled = try await Self.createHook(server, poster: poster, channels: ["#\(room.name)"], extra: #","enabled":false"#)
            let response = try await Self.post(server, "/hooks/\(disabled.id)/\(disabled.token)", body: #"{"text":"x"}"#)
            #expect(response.status == .serviceUnavailable)
            #expect(response.text == #"{"success":false,"error":"Service Unavailable"}"#)
            #expect(try await Self.messages(server, in: room.id).isEmpty)
        }
    }

    @Test func infoAndSampleAnswerForAValidIdAndToken() async throws {
        try await TestServer.run { server in
            let poster = try await server.createUser(roles: ["user"])
            let hook = try await Self.createHook(server, poster: poster, channels: ["#general"], extra: #","enabled":false"#)
            for prefix in ["/hooks/info/\(hook.id)", "/hooks/info/\(hook.id)/\(poster.id)"] {
                let info = try await server.get("\(prefix)/\(hook.token)")
                #expect(info.status == .ok && info.text == #"{"success":true}"#, "\(prefix)")
            }
            let sample = try await server.get("/hooks/sample/\(hook.id)/\(hook.token)")
            #expect(sample.status == .ok)
            let payloads = try #require(try JSONParser.parse(sample.text).arrayValue)
            #expect(payloads.map { $0["text"]?.stringValue } == ["Sample text 1", "Sample text 2", "Sample text 3"])
            #expect(payloads.first?.keys == ["token", "channel_id", "channel_name", "timestamp", "user_id", "user_name", "text", "trigger_word"])
            #expect(payloads.first?["user_name"]?.stringValue == "rocket.cat" && payloads.first?["channel_name"]?.stringValue == "general")
            for path in ["/hooks/info/\(hook.id)/wrong", "/hooks/sample/nope/\(hook.token)"] {
                let refused = try await server.get(path)
                #expect(refused.status == .notFound && refused.text == #"{"success":false,"error":"Invalid integration id or token provided."}"#)
            }
        }
    }

    @Test func anEmptyBodyAnswersSuccessAndPostsNothing() async throws {
        try await TestServer.run { server in
            let poster = try await server.createUser(roles: ["user"])
            let room = try await server.createRoom()
            let hook = try await Self.createHook(server, poster: poster, channels: ["#\(room.name)"])
            for body in ["{}", "", "  \n"] {
                let response = try await Self.post(server, "/hooks/\(hook.id)/\(hook.token)", body: body)
                #expect(response.status == .ok && response.text == #"{"success":true}"#, "\(body)")
            }
            #expect(try await Self.messages(server, in: room.id).isEmpty)
        }
    }

    @Test func theBodyNamesAnotherRoomOnlyWhenTheIntegrationAllowsIt() async throws {
        try await TestServer.run { server in
            let poster = try await server.createUser(roles: ["user"])
            let room = try await server.createRoom()
            let other = try await server.createRoom()
            let hook = try await Self.createHook(server, poster: poster, channels: ["#\(room.name)"])
            for field in [##""channel":["#\##(other.name)"]"##, #""roomId":"\#(other.id)""#] {
                let response = try await Self.post(server, "/hooks/\(hook.id)/\(hook.token)", body: #"{"text":"x",\#(field)}"#)
                #expect(response.status == .badRequest)
                #expect(response.text == #"{"success":false,"error":"overriding destination channel is disabled for this integration"}"#)
            }
            let open = try await Self.createHook(
                server,
                poster: poster,
                channels: ["#\(room.name)"],
                extra: #","overrideDestinationChannelEnabled":true"#
            )
            #expect(
                try await Self.post(server, "/hooks/\(open.id)/\(open.token)", body: ##"{"text":"there","channel":["#\##(other.name)"]}"##).status
                    == .ok
            )
            #expect(try await Self.post(server, "/hooks/\(open.id)/\(open.token)", body: #"{"text":"by id","roomId":"\#(other.id)"}"#).status == .ok)
            #expect(try await Self.messages(server, in: other.id).map(\.msg) == ["there", "by id"])
            #expect(try await Self.messages(server, in: room.id).isEmpty)
        }
    }

    @Test func slackStyleFormBodiesAndJSONSentAsAFormArePosted() async throws {
        try await TestServer.run { server in
            let poster = try await server.createUser(roles: ["user"])
            let room = try await server.createRoom()
            let hook = try await Self.createHook(server, poster: poster, channels: ["#\(room.name)"])
            let form = "application/x-www-form-urlencoded"
            let payload = #"{"msg":"from a form","username":""}"#.addingPercentEncodingForForm
            #expect(try await Self.post(server, "/hooks/\(hook.id)/\(hook.token)", contentType: form, body: "payload=\(payload)").status == .ok)
            // curl -d '{"text": …}' sends JSON as a form of one key.
            #expect(
                try await Self.post(server, "/hooks/\(hook.id)/\(hook.token)", contentType: form, body: #"{"text":"curl default"}"#).status == .ok
            )
            // JSON that is no form at all (a bare `%`), sent as one.
            #expect(try await Self.post(server, "/hooks/\(hook.id)/\(hook.token)", contentType: form, body: #"{"text":"100% done"}"#).status == .ok)
            // A form of fields.
            #expect(
                try await Self.post(server, "/hooks/\(hook.id)/\(hook.token)", contentType: form, body: "text=plain+fields&groupable=1").status == .ok
            )
            #expect(try await Self.messages(server, in: room.id).map(\.msg) == ["from a form", "curl default", "100% done", "plain fields"])
            // Invalid JSON, in either form: 400 in Rocket.Chat's shape, nothing posted.
            for (type, body) in [("application/json", #"{"text":"#), (form, "payload=%7Bnot-json")] {
                let response = try await Self.post(server, "/hooks/\(hook.id)/\(hook.token)", contentType: type, body: body)
                #expect(response.status == .badRequest, "\(body)")
                let answer = try JSONParser.parse(response.text)
                #expect(answer["success"] == .bool(false) && answer["error"]?.stringValue?.isEmpty == false)
            }
            #expect(try await Self.messages(server, in: room.id).count == 4)
        }
    }

    @Test func aHookWithAScriptAnswersAsAFailingScriptDoes() async throws {
        try await TestServer.run { server in
            let poster = try await server.createUser(roles: ["user"])
            let room = try await server.createRoom()
            let hook = try await Self.createHook(
                server,
                poster: poster,
                channels: ["#\(room.name)"],
                extra: #","scriptEnabled":true,"script":"class Script { process_incoming_request() { return {}; } }""#
            )
            let response = try await Self.post(server, "/hooks/\(hook.id)/\(hook.token)", body: #"{"text":"x"}"#)
            #expect(response.status == .badRequest)
            #expect(response.text == #"{"success":false,"error":"error-running-script"}"#)
            #expect(try await Self.messages(server, in: room.id).isEmpty)
        }
    }

    @Test func separateResponseAnswersEveryDestination() async throws {
        try await TestServer.run { server in
            let poster = try await server.createUser(roles: ["user"])
            let room = try await server.createRoom()
            let hook = try await Self.createHook(server, poster: poster, channels: ["#\(room.name)", "#no-such-room-\(RandomToken.id())"])
            let response = try await Self.post(server, "/hooks/\(hook.id)/\(hook.token)", body: #"{"text":"both","separateResponse":true}"#)
            #expect(response.status == .ok)
            let answer = try JSONParser.parse(response.text)
            let responses = try #require(answer["responses"]?.arrayValue)
            #expect(responses.count == 2)
            #expect(responses.first?["message"]?["msg"]?.stringValue == "both")
            #expect(responses.first?["channel"]?.stringValue == "#\(room.name)")
            #expect(responses.last?["error"]?.stringValue == "invalid-channel")
            #expect(answer["success"] == .bool(true))
            // Without separateResponse the first failure is the answer (what was posted before it stays).
            let plain = try await Self.post(server, "/hooks/\(hook.id)/\(hook.token)", body: #"{"text":"first"}"#)
            #expect(plain.status == .badRequest && plain.text == #"{"success":false,"error":"invalid-channel"}"#)
            // Every destination failed: 400 with the same shape.
            let none = try await Self.createHook(server, poster: poster, channels: ["#no-such-room-\(RandomToken.id())"])
            let failed = try await Self.post(server, "/hooks/\(none.id)/\(none.token)", body: #"{"text":"x","separateResponse":true}"#)
            #expect(failed.status == .badRequest)
            #expect(try JSONParser.parse(failed.text)["success"] == .bool(false))
            #expect(try JSONParser.parse(failed.text)["responses"]?.arrayValue?.count == 1)
            #expect(try await Self.messages(server, in: room.id).map(\.msg) == ["both", "first"])
        }
    }

    @Test func aPrivateRoomThePosterIsNotInIsRefusedAndNotJoined() async throws {
        try await TestServer.run { server in
            let poster = try await server.createUser(roles: ["user"])
            let owner = try await server.createUser(roles: ["user"])
            let name = "group-\(RandomToken.id().lowercased())"
            let created = try await server.post("/api/v1/groups.create", json: #"{"name":"\#(name)"}"#, as: owner)
            #expect(created.status == .ok, "\(created.text)")
            let groupId = try #require(try JSONParser.parse(created.text)["group"]?["_id"]?.stringValue)
            let hook = try await Self.createHook(server, poster: poster, channels: ["#\(name)"])
            let response = try await Self.post(server, "/hooks/\(hook.id)/\(hook.token)", body: #"{"text":"sneaky"}"#)
            #expect(response.status == .badRequest)
            #expect(response.text == #"{"success":false,"error":"error-not-allowed"}"#)
            #expect(try await Self.messages(server, in: groupId).isEmpty)
            #expect(try await !Self.isMember(server, poster, of: groupId))
        }
    }

    @Test func aHookPostsIntoADirectMessageWithAUser() async throws {
        try await TestServer.run { server in
            let poster = try await server.createUser(roles: ["user"])
            let peer = try await server.createUser(roles: ["user"])
            let hook = try await Self.createHook(server, poster: poster, channels: ["@\(peer.username)"])
            let response = try await Self.post(server, "/hooks/\(hook.id)/\(hook.token)", body: #"{"text":"hello you","separateResponse":true}"#)
            #expect(response.status == .ok, "\(response.text)")
            let message = try JSONParser.parse(response.text)["responses"]?.arrayValue?.first?["message"]
            let roomId = try #require(message?["rid"]?.stringValue)
            #expect(try await Self.messages(server, in: roomId).map(\.msg) == ["hello you"])
            #expect(try await Self.isMember(server, peer, of: roomId))
        }
    }
}

extension String {
    /// The text as a form value (`application/x-www-form-urlencoded`).
    fileprivate var addingPercentEncodingForForm: String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return addingPercentEncoding(withAllowedCharacters: allowed) ?? self
    }
}
