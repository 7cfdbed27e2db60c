import Foundation
import HTTPTypes
import HummingbirdTesting
import IntegrationsCore
import LibPQ
import Testing

/// `chat.postMessage` and `chat.update` against the real server and PostgreSQL: destinations, joins, direct
/// messages, Rocket.Chat's refusals in its order, the message document, and who may edit.
@Suite struct ChatTests {
    /// The first column of the first row of a query, as text.
    static func value(_ server: TestServer, _ sql: String, _ parameters: [String?] = []) async throws -> String? {
        try await server.pool.withSession { session in
            let result = try session.execute(sql: sql, parameters)
            return result.rowCount > 0 ? result.string(row: 0, column: 0) : nil
        }
    }

    /// A private group (`p`) with the given members, written directly.
    static func createGroup(_ server: TestServer, members: [TestUser]) async throws -> (id: String, name: String) {
        let id = RandomToken.id()
        let name = "group-\(id.lowercased())"
        let memberIds = members.map(\.id)
        try await server.pool.withSession { session in
            _ = try session.execute(sql: "INSERT INTO rooms (id, name, type) VALUES ($1, $2, 'p')", [id, name])
            for member in memberIds {
                _ = try session.execute(sql: "INSERT INTO subscriptions (room_id, user_id) VALUES ($1, $2)", [id, member])
            }
        }
        return (id, name)
    }

    static func post(_ server: TestServer, _ body: String, as user: TestUser) async throws -> TestResponse {
        try await server.post("/api/v1/chat.postMessage", json: body, as: user)
    }

    static let isoDate = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$"

    @Test func postingByRoomIdAnswersRocketChatsShape() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let room = try await server.createRoom(members: [user])
            let response = try await Self.post(server, #"{"roomId":"\#(room.id)","text":" Sample message "}"#, as: user)
            #expect(response.status == .ok, "\(response.text)")
            let body = response.text
            #expect(try await server.extract("->> 'success'", from: body) == "true")
            #expect(try await server.extract("-> 'ts' @? '$ ? (@.type() == \"number\")'", from: body) == "t")
            #expect(try await server.extract("->> 'channel'", from: body) == room.id)
            let message = "-> 'message'"
            let id = try #require(try await server.extract("\(message) ->> '_id'", from: body))
            #expect(id.count == 17)
            #expect(try await server.extract("\(message) ->> 'rid'", from: body) == room.id)
            #expect(try await server.extract("\(message) ->> 'msg'", from: body) == "Sample message")
            #expect(
                try await server.sameJSON(
                    try #require(try await server.extract("\(message) -> 'u'", from: body)),
                    #"{"_id":"\#(user.id)","username":"\#(user.username)","name":"Test \#(user.id)"}"#
                )
            )
            for date in ["ts", "_updatedAt"] {
                let text = try #require(try await server.extract("\(message) ->> '\(date)'", from: body))
                #expect(text.range(of: Self.isoDate, options: .regularExpression) != nil, "\(date): \(text)")
            }
            // processWebhookMessage's defaults: an empty alias, no attachments, URLs parsed, not groupable.
            #expect(try await server.extract("\(message) ->> 'alias'", from: body) == "")
            #expect(try await server.extract("\(message) ->> 'attachments'", from: body) == "[]")
            #expect(try await server.extract("\(message) ->> 'parseUrls'", from: body) == "true")
            #expect(try await server.extract("\(message) ->> 'groupable'", from: body) == "false")
            for absent in ["emoji", "avatar", "editedAt", "editedBy", "tmid", "bot", "customFields"] {
                #expect(try await server.extract("\(message) ? '\(absent)'", from: body) == "f", "\(absent)")
            }
            #expect(try await Self.value(server, "SELECT msg FROM messages WHERE id = $1", [id]) == "Sample message")
        }
    }

    @Test func postingByHashNameJoinsAPublicChannel() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let room = try await server.createRoom()
            let response = try await Self.post(server, ##"{"channel":"#\##(room.name)","text":"hello"}"##, as: user)
            #expect(response.status == .ok, "\(response.text)")
            #expect(try await server.extract("->> 'channel'", from: response.text) == "#\(room.name)")
            #expect(try await server.extract("-> 'message' ->> 'rid'", from: response.text) == room.id)
            let member = "SELECT count(*) FROM subscriptions WHERE room_id = $1 AND user_id = $2"
            #expect(try await Self.value(server, member, [room.id, user.id]) == "1")
            // A bare name and a bare id find it too; the poster is a member already.
            #expect(try await Self.post(server, #"{"channel":"\#(room.name)","text":"again"}"#, as: user).status == .ok)
            #expect(try await Self.post(server, #"{"roomId":["\#(room.id)"],"text":"and again"}"#, as: user).status == .ok)
            #expect(try await Self.value(server, "SELECT count(*) FROM messages WHERE rid = $1", [room.id]) == "3")
        }
    }

    @Test func aPrivateGroupThePosterIsNotInIsRefused() async throws {
        try await TestServer.run { server in
            let owner = try await server.createUser(roles: ["user"])
            let outsider = try await server.createUser(roles: ["user"])
            let group = try await Self.createGroup(server, members: [owner])
            for body in [#"{"roomId":"\#(group.id)","text":"x"}"#, ##"{"channel":"#\##(group.name)","text":"x"}"##] {
                let response = try await Self.post(server, body, as: outsider)
                #expect(response.status == .badRequest)
                #expect(try await server.sameJSON(response.text, #"{"success":false,"error":"error-not-allowed"}"#), "\(response.text)")
            }
            #expect(try await Self.value(server, "SELECT count(*) FROM messages WHERE rid = $1", [group.id]) == "0")
            #expect(try await Self.value(server, "SELECT count(*) FROM subscriptions WHERE room_id = $1", [group.id]) == "1")
            #expect(try await Self.post(server, #"{"roomId":"\#(group.id)","text":"x"}"#, as: owner).status == .ok)
        }
    }

    @Test func aDirectMessageByUsernameIsCreatedOnceAndReused() async throws {
        try await TestServer.run { server in
            let alice = try await server.createUser(roles: ["user"])
            let bob = try await server.createUser(roles: ["user"])
            let first = try await Self.post(server, #"{"channel":"@\#(bob.username)","text":"hi bob"}"#, as: alice)
            #expect(first.status == .ok, "\(first.text)")
            #expect(try await server.extract("->> 'channel'", from: first.text) == "@\(bob.username)")
            let roomId = try #require(try await server.extract("-> 'message' ->> 'rid'", from: first.text))
            // Rocket.Chat's rule: the two user ids, sorted and concatenated.
            #expect(roomId == [alice.id, bob.id].sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.joined())
            #expect(try await Self.value(server, "SELECT type || ':' || coalesce(name, 'no name') FROM rooms WHERE id = $1", [roomId]) == "d:no name")
            let members = "SELECT string_agg(user_id, ',' ORDER BY user_id COLLATE \"C\") FROM subscriptions WHERE room_id = $1"
            #expect(try await Self.value(server, members, [roomId]) == [alice.id, bob.id].sorted().joined(separator: ","))

            let again = try await Self.post(server, #"{"channel":"@\#(bob.username)","text":"again"}"#, as: alice)
            #expect(try await server.extract("-> 'message' ->> 'rid'", from: again.text) == roomId)
            let back = try await Self.post(server, #"{"channel":"@\#(alice.id)","text":"hi alice"}"#, as: bob)
            #expect(try await server.extract("-> 'message' ->> 'rid'", from: back.text) == roomId)
            // A bare user id is a direct message too, and the room's id reaches it.
            let bare = try await Self.post(server, #"{"roomId":"\#(alice.id)","text":"bare"}"#, as: bob)
            #expect(try await server.extract("-> 'message' ->> 'rid'", from: bare.text) == roomId)
            #expect(try await Self.post(server, #"{"roomId":"\#(roomId)","text":"by id"}"#, as: bob).status == .ok)
            #expect(try await Self.value(server, "SELECT count(*) FROM rooms WHERE type = 'd' AND id = $1", [roomId]) == "1")
            #expect(try await Self.value(server, "SELECT count(*) FROM messages WHERE rid = $1", [roomId]) == "5")
            // A third user reaches neither the room nor its messages.
            let carol = try await server.createUser(roles: ["user"])
            let intruder = try await Self.post(server, #"{"roomId":"\#(roomId)","text":"x"}"#, as: carol)
            #expect(try await server.extract("->> 'error'", from: intruder.text) == "error-not-allowed")
        }
    }

    @Test func unknownDestinationsAreInvalidChannels() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            for channel in ["#no-such-room-x", "@no-such-user-x", "no-such-room-x", ""] {
                let response = try await Self.post(server, #"{"channel":"\#(channel)","text":"x"}"#, as: user)
                #expect(response.status == .badRequest, "\(channel)")
                #expect(
                    try await server.sameJSON(response.text, #"{"success":false,"error":"[invalid-channel]","errorType":"invalid-channel"}"#),
                    "\(channel): \(response.text)"
                )
            }
            // `@` of a room that is not a direct message.
            let general = try await Self.post(server, #"{"channel":"@GENERAL","text":"x"}"#, as: user)
            #expect(try await server.extract("->> 'errorType'", from: general.text) == "invalid-channel")
            let none = try await Self.post(server, #"{"channel":[],"text":"x"}"#, as: user)
            #expect(try await server.sameJSON(none.text, #"{"success":false,"error":"unknown-error"}"#), "\(none.text)")
        }
    }

    /// Rocket.Chat posts a message without text or attachments as it is (an empty `msg`); only the destination is required.
    @Test func missingTextAndAttachmentsPostAnEmptyMessage() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let room = try await server.createRoom(members: [user])
            let empty = try await Self.post(server, #"{"roomId":"\#(room.id)"}"#, as: user)
            #expect(empty.status == .ok, "\(empty.text)")
            #expect(try await server.extract("-> 'message' ->> 'msg'", from: empty.text) == "")
            let nowhere = try await Self.post(server, #"{"text":"x"}"#, as: user)
            #expect(try await server.extract("->> 'errorType'", from: nowhere.text) == "invalid-params")
            #expect(try await Self.post(server, #"{"text":"x"}"#, as: user.withWrongToken).status == .unauthorized)
        }
    }

    /// `Room.join` asks `canAccessRoom` even of a member: without `view-c-room` (nor `view-joined-room`) the public
    /// room cannot be joined, and the answer names `joinRoom`.
    @Test func aPosterWithoutViewCRoomCannotJoin() async throws {
        try await TestServer.run { server in
            let roleless = try await server.createUser(roles: [])
            let response = try await Self.post(server, #"{"roomId":"GENERAL","text":"x"}"#, as: roleless)
            #expect(
                try await server.sameJSON(
                    response.text,
                    #"{"success":false,"error":"Not allowed [error-not-allowed]","errorType":"error-not-allowed","details":{"method":"joinRoom"}}"#
                ),
                "\(response.text)"
            )
            // Nor may it start a direct message (`create-d`).
            let other = try await server.createUser(roles: ["user"])
            let direct = try await Self.post(server, #"{"channel":"@\#(other.username)","text":"x"}"#, as: roleless)
            #expect(
                try await server.sameJSON(
                    direct.text,
                    #"{"success":false,"error":"Not allowed [error-not-allowed]","errorType":"error-not-allowed","details":{"method":"createDirectMessage"}}"#
                ),
                "\(direct.text)"
            )
        }
    }

    @Test func anArchivedRoomIsRefused() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let room = try await server.createRoom(members: [user])
            _ = try await Self.value(server, "UPDATE rooms SET archived = true WHERE id = $1 RETURNING id", [room.id])
            let response = try await Self.post(server, #"{"roomId":"\#(room.id)","text":"x"}"#, as: user)
            #expect(try await server.sameJSON(response.text, #"{"success":false,"error":"room_is_archived"}"#), "\(response.text)")
            #expect(try await Self.value(server, "SELECT count(*) FROM messages WHERE rid = $1", [room.id]) == "0")
        }
    }

    @Test func aReadOnlyRoomNeedsPostReadonly() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let admin = try await server.createUser(roles: ["admin"])
            let room = try await server.createRoom(members: [user, admin])
            _ = try await Self.value(server, "UPDATE rooms SET read_only = true WHERE id = $1 RETURNING id", [room.id])
            let refused = try await Self.post(server, #"{"roomId":"\#(room.id)","text":"x"}"#, as: user)
            #expect(try await server.extract("->> 'error'", from: refused.text) == "You can't send messages because the room is readonly.")
            #expect(try await Self.post(server, #"{"roomId":"\#(room.id)","text":"x"}"#, as: admin).status == .ok)
        }
    }

    @Test func anAliasOrAvatarNeedsMessageImpersonate() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let bot = try await server.createUser(roles: ["bot"])
            let room = try await server.createRoom(members: [user, bot])
            let body = #"{"roomId":"\#(room.id)","text":"x","alias":"Gruggy","avatar":"http://res.guggy.com/logo_128.png","emoji":":smirk:"}"#
            let refused = try await Self.post(server, body, as: user)
            #expect(try await server.sameJSON(refused.text, #"{"success":false,"error":"Not enough permission"}"#), "\(refused.text)")
            let posted = try await Self.post(server, body, as: bot)
            #expect(try await server.extract("-> 'message' ->> 'alias'", from: posted.text) == "Gruggy")
            #expect(try await server.extract("-> 'message' ->> 'avatar'", from: posted.text) == "http://res.guggy.com/logo_128.png")
            // The avatar wins: no emoji is stored beside it.
            #expect(try await server.extract("-> 'message' ? 'emoji'", from: posted.text) == "f")
            // An avatar that is no href is refused before the permission is asked.
            let href = try await Self.post(server, #"{"roomId":"\#(room.id)","avatar":":x:"}"#, as: user)
            #expect(try await server.extract("->> 'error'", from: href.text) == "Invalid href value provided")
        }
    }

    @Test func attachmentsAreCheckedAndStored() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let room = try await server.createRoom(members: [user])
            let bad = try await Self.post(server, ##"{"roomId":"\##(room.id)","attachments":[{"color":"#f00","message_link":12}]}"##, as: user)
            #expect(
                try await server.sameJSON(
                    bad.text,
                    #"{"success":false,"error":"Match error: Match error: Match error: Expected string, got number in field message_link"}"#
                ),
                "\(bad.text)"
            )
            let good = try await Self.post(
                server,
                #"{"roomId":"\#(room.id)","text":"t","attachments":[{"msg":" note ","fields":[{"title":"n","value":12}]}]}"#,
                as: user
            )
            #expect(good.status == .ok, "\(good.text)")
            #expect(
                try await server.sameJSON(
                    try #require(try await server.extract("-> 'message' -> 'attachments'", from: good.text)),
                    #"[{"text":"note","fields":[{"title":"n","value":"12"}]}]"#
                )
            )
            #expect(try await server.extract("-> 'message' ->> 'parseUrls'", from: good.text) == "false")
        }
    }

    @Test func aTextOverMessageMaxAllowedSizeIsRefused() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let room = try await server.createRoom(members: [user])
            let long = String(repeating: "a", count: 5001)
            let response = try await Self.post(server, #"{"roomId":"no-such-room","text":"\#(long)"}"#, as: user)
            // Checked before the destination, as Rocket.Chat's route does.
            #expect(try await server.sameJSON(response.text, #"{"success":false,"error":"error-message-size-exceeded"}"#), "\(response.text)")
            let attachment = try await Self.post(server, #"{"roomId":"\#(room.id)","attachments":[{"text":"\#(long)"}]}"#, as: user)
            #expect(try await server.extract("->> 'error'", from: attachment.text) == "error-message-size-exceeded")
            #expect(try await Self.post(server, #"{"roomId":"\#(room.id)","text":"\#(long.dropLast())"}"#, as: user).status == .ok)
        }
    }

    // MARK: chat.update

    static func update(_ server: TestServer, _ body: String, as user: TestUser) async throws -> TestResponse {
        try await server.post("/api/v1/chat.update", json: body, as: user)
    }

    /// Posts a message and returns its id and its document.
    static func posted(_ server: TestServer, room: String, text: String, as user: TestUser) async throws -> (id: String, body: String) {
        let response = try await post(server, #"{"roomId":"\#(room)","text":"\#(text)"}"#, as: user)
        let id = try #require(try await server.extract("-> 'message' ->> '_id'", from: response.text), "\(response.text)")
        return (id, response.text)
    }

    @Test func theAuthorEditsAMessage() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let room = try await server.createRoom(members: [user])
            let message = try await Self.posted(server, room: room.id, text: "first", as: user)
            try await Task.sleep(for: .milliseconds(20))
            let response = try await Self.update(server, #"{"roomId":"\#(room.id)","msgId":"\#(message.id)","text":"second"}"#, as: user)
            #expect(response.status == .ok, "\(response.text)")
            let body = response.text
            #expect(try await server.extract("->> 'success'", from: body) == "true")
            #expect(try await server.extract("-> 'message' ->> 'msg'", from: body) == "second")
            #expect(try await server.extract("-> 'message' ->> '_id'", from: body) == message.id)
            #expect(
                try await server.sameJSON(
                    try #require(try await server.extract("-> 'message' -> 'editedBy'", from: body)),
                    #"{"_id":"\#(user.id)","username":"\#(user.username)"}"#
                )
            )
            let editedAt = try #require(try await server.extract("-> 'message' ->> 'editedAt'", from: body))
            #expect(editedAt.range(of: Self.isoDate, options: .regularExpression) != nil)
            let before = try #require(try await server.extract("-> 'message' ->> '_updatedAt'", from: message.body))
            let after = try #require(try await server.extract("-> 'message' ->> '_updatedAt'", from: body))
            #expect(after > before)
            #expect(try await server.extract("-> 'message' ->> 'ts'", from: body) == server.extract("-> 'message' ->> 'ts'", from: message.body))
            #expect(try await Self.value(server, "SELECT msg FROM messages WHERE id = $1", [message.id]) == "second")
        }
    }

    @Test func theSameTextChangesNothing() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let other = try await server.createUser(roles: ["user"])
            let room = try await server.createRoom(members: [user, other])
            let message = try await Self.posted(server, room: room.id, text: "same", as: user)
            // Rocket.Chat returns before any permission check: even someone else gets the message back.
            let response = try await Self.update(server, #"{"roomId":"\#(room.id)","msgId":"\#(message.id)","text":"same"}"#, as: other)
            #expect(response.status == .ok, "\(response.text)")
            #expect(try await server.extract("-> 'message' ? 'editedAt'", from: response.text) == "f")
        }
    }

    @Test func someoneElsesMessageNeedsEditMessage() async throws {
        try await TestServer.run { server in
            let author = try await server.createUser(roles: ["user"])
            let other = try await server.createUser(roles: ["user"])
            let admin = try await server.createUser(roles: ["admin"])
            let room = try await server.createRoom(members: [author, other, admin])
            let message = try await Self.posted(server, room: room.id, text: "mine", as: author)
            let body = #"{"roomId":"\#(room.id)","msgId":"\#(message.id)","text":"yours"}"#
            let refused = try await Self.update(server, body, as: other)
            #expect(refused.status == .badRequest)
            #expect(
                try await server.sameJSON(
                    refused.text,
                    #"{"success":false,"error":"Message editing not allowed [error-action-not-allowed]","errorType":"error-action-not-allowed","details":{"method":"updateMessage","action":"Message_editing"}}"#
                ),
                "\(refused.text)"
            )
            #expect(try await Self.value(server, "SELECT msg FROM messages WHERE id = $1", [message.id]) == "mine")
            let edited = try await Self.update(server, body, as: admin)
            #expect(try await server.extract("-> 'message' -> 'editedBy' ->> '_id'", from: edited.text) == admin.id, "\(edited.text)")
        }
    }

    @Test func aRoomOwnerMayEditOthersMessages() async throws {
        try await TestServer.run { server in
            let owner = try await server.createUser(roles: ["user"])
            let member = try await server.createUser(roles: ["user"])
            let name = "chan-\(RandomToken.id().lowercased())"
            let created = try await server.post("/api/v1/channels.create", json: #"{"name":"\#(name)","members":["\#(member.username)"]}"#, as: owner)
            let roomId = try #require(try await server.extract("-> 'channel' ->> '_id'", from: created.text))
            let message = try await Self.posted(server, room: roomId, text: "member's", as: member)
            let edited = try await Self.update(server, #"{"roomId":"\#(roomId)","msgId":"\#(message.id)","text":"owner's"}"#, as: owner)
            #expect(edited.status == .ok, "\(edited.text)")
        }
    }

    @Test func unknownMessagesAndMismatchedRooms() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let room = try await server.createRoom(members: [user])
            let unknown = try await Self.update(server, #"{"roomId":"\#(room.id)","msgId":"no-such-message","text":"x"}"#, as: user)
            #expect(
                try await server.sameJSON(unknown.text, #"{"success":false,"error":"No message found with the id of \"no-such-message\"."}"#),
                "\(unknown.text)"
            )
            let message = try await Self.posted(server, room: room.id, text: "x", as: user)
            let elsewhere = try await Self.update(server, #"{"roomId":"GENERAL","msgId":"\#(message.id)","text":"y"}"#, as: user)
            #expect(try await server.extract("->> 'error'", from: elsewhere.text) == "The room id provided does not match where the message is from.")
            let blank = try await Self.update(server, #"{"roomId":"\#(room.id)","msgId":"\#(message.id)","text":"  "}"#, as: user)
            #expect(
                try await server.sameJSON(
                    blank.text,
                    #"{"success":false,"error":"Message cannot be empty [error-invalid-message]","errorType":"error-invalid-message","details":{"method":"updateMessage"}}"#
                ),
                "\(blank.text)"
            )
            let invalid = try await Self.update(server, #"{"roomId":"\#(room.id)","msgId":"\#(message.id)"}"#, as: user)
            #expect(try await server.extract("->> 'error'", from: invalid.text) == "must have required property 'text' [invalid-params]")
            #expect(try await Self.update(server, #"{"roomId":"\#(room.id)"}"#, as: user.withWrongToken).status == .unauthorized)
        }
    }
}

/// The settings that govern editing, changed in a database of its own.
@Suite(.serialized) struct ChatSettingsTests {
    static let database = Task { try await TestDatabase.privateDatabase().conninfo }

    @Test func editingCanBeTurnedOffOrLimitedInTime() async throws {
        try await TestServer.run(conninfo: try await Self.database.value) { server in
            let user = try await server.createUser(roles: ["user"])
            let admin = try await server.createUser(roles: ["admin"])
            let room = try await server.createRoom(members: [user, admin])
            let message = try await ChatTests.posted(server, room: room.id, text: "x", as: user)
            let setting = "UPDATE settings SET value = $2::jsonb WHERE id = $1 RETURNING id"
            _ = try await ChatTests.value(server, setting, ["Message_AllowEditing", "false"])
            let off = try await ChatTests.update(server, #"{"roomId":"\#(room.id)","msgId":"\#(message.id)","text":"y"}"#, as: user)
            #expect(try await server.extract("->> 'errorType'", from: off.text) == "error-action-not-allowed", "\(off.text)")
            _ = try await ChatTests.value(server, setting, ["Message_AllowEditing", "true"])

            _ = try await ChatTests.value(server, setting, ["Message_AllowEditing_BlockEditInMinutes", "1"])
            _ = try await ChatTests.value(server, "UPDATE messages SET ts = now() - interval '61 seconds' WHERE id = $1 RETURNING id", [message.id])
            let blocked = try await ChatTests.update(server, #"{"roomId":"\#(room.id)","msgId":"\#(message.id)","text":"y"}"#, as: user)
            #expect(
                try await server.sameJSON(
                    blocked.text,
                    #"{"success":false,"error":"Message editing is blocked [error-message-editing-blocked]","errorType":"error-message-editing-blocked","details":{"method":"updateMessage"}}"#
                ),
                "\(blocked.text)"
            )
            // `edit-message` does not lift the time limit; only `bypass-time-limit-edit-and-delete` does.
            let byAdmin = try await ChatTests.update(server, #"{"roomId":"\#(room.id)","msgId":"\#(message.id)","text":"y"}"#, as: admin)
            #expect(try await server.extract("->> 'errorType'", from: byAdmin.text) == "error-message-editing-blocked")
            _ = try await ChatTests.value(server, setting, ["Message_AllowEditing_BlockEditInMinutes", "0"])
            #expect(try await ChatTests.update(server, #"{"roomId":"\#(room.id)","msgId":"\#(message.id)","text":"y"}"#, as: user).status == .ok)
        }
    }
}
