import IntegrationsCore
import Testing

/// The bodies of Rocket.Chat's `mapEventArgsToData`, key by key and in its order.
@Suite struct OutgoingPayloadTests {
    static let room = #"{"_id":"GENERAL","name":"general","t":"c"}"#
    static let user = #"{"_id":"u1","username":"alice","type":"user","createdAt":"2024-01-10T14:00:00.000Z"}"#

    static func data(_ event: OutgoingEvent, _ context: String, token: String? = "tok", word: String? = nil) throws -> String {
        OutgoingPayload.data(event: event, context: try JSONParser.parse(context), token: token, triggerWord: word, siteURL: "https://chat.example")
            .text
    }

    @Test func aMessage() throws {
        let message = #"{"_id":"m1","rid":"GENERAL","msg":"!guggy cats","ts":"2024-01-10T14:12:52.201Z","u":{"_id":"u1","username":"alice"}}"#
        let data = try Self.data(.sendMessage, #"{"room":\#(Self.room),"message":\#(message)}"#, word: "!guggy")
        #expect(
            data
                == #"{"token":"tok","bot":false,"trigger_word":"!guggy","channel_id":"GENERAL","channel_name":"general","message_id":"m1","timestamp":"2024-01-10T14:12:52.201Z","user_id":"u1","user_name":"alice","text":"!guggy cats","siteUrl":"https://chat.example"}"#
        )
    }

    @Test func aBotsEditedThreadReplyInADirectMessage() throws {
        let message =
            #"{"_id":"m2","msg":"hi","ts":"2024-01-10T14:12:52.201Z","u":{"_id":"u1","username":"alice"},"alias":"Al","bot":{"i":"int1"},"editedAt":"2024-01-10T14:13:00.000Z","tmid":"m1"}"#
        let data = try Self.data(.sendMessage, #"{"room":{"_id":"u1u2","t":"d"},"message":\#(message)}"#, token: nil)
        // No token or channel_name (undefined), `bot` keeps its place when the message's replaces it.
        #expect(
            data
                == #"{"bot":{"i":"int1"},"channel_id":"u1u2","message_id":"m2","timestamp":"2024-01-10T14:12:52.201Z","user_id":"u1","user_name":"alice","text":"hi","siteUrl":"https://chat.example","alias":"Al","isEdited":true,"tmid":"m1"}"#
        )
    }

    @Test func roomEvents() throws {
        let joined = try Self.data(.roomJoined, #"{"timestamp":"2024-01-10T15:00:00.000Z","room":\#(Self.room),"user":\#(Self.user)}"#)
        #expect(
            joined
                == #"{"token":"tok","bot":false,"timestamp":"2024-01-10T15:00:00.000Z","channel_id":"GENERAL","channel_name":"general","user_id":"u1","user_name":"alice","user":\#(Self.user),"room":\#(Self.room)}"#
        )
        let bot = #"{"_id":"b1","username":"rocket.cat","type":"bot"}"#
        let left = try Self.data(.roomLeft, #"{"timestamp":"2024-01-10T15:00:00.000Z","room":\#(Self.room),"user":\#(bot)}"#)
        #expect(left.hasPrefix(#"{"token":"tok","bot":true,"timestamp""#))
        let created = try Self.data(
            .roomCreated,
            #"{"timestamp":"x","room":{"_id":"r1","name":"new","t":"p","ts":"2024-01-10T16:00:00.000Z"},"owner":\#(Self.user)}"#
        )
        #expect(
            created
                == #"{"token":"tok","bot":false,"channel_id":"r1","channel_name":"new","timestamp":"2024-01-10T16:00:00.000Z","user_id":"u1","user_name":"alice","owner":\#(Self.user),"room":{"_id":"r1","name":"new","t":"p","ts":"2024-01-10T16:00:00.000Z"}}"#
        )
    }

    @Test func aNewUser() throws {
        let data = try Self.data(.userCreated, #"{"timestamp":"x","user":\#(Self.user)}"#)
        #expect(
            data
                == #"{"token":"tok","bot":false,"timestamp":"2024-01-10T14:00:00.000Z","user_id":"u1","user_name":"alice","user":\#(Self.user)}"#
        )
    }

    @Test func aReplayIsSentAsRecordedWithTheCurrentToken() throws {
        let recorded = #"{"token":"old","bot":false,"text":"as sent"}"#
        #expect(try Self.data(.sendMessage, #"{"data":\#(recorded)}"#) == #"{"token":"tok","bot":false,"text":"as sent"}"#)
        #expect(try Self.data(.sendMessage, #"{"data":\#(recorded)}"#, token: nil) == #"{"bot":false,"text":"as sent"}"#)
    }
}
