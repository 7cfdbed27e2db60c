import IntegrationsCore
import Testing

/// How an incoming webhook's body becomes a message, as Rocket.Chat's incoming route reads it.
@Suite struct IncomingHookMessageTests {
    static func message(_ json: String) throws -> IncomingHookMessage {
        IncomingHookMessage(try JSONParser.parse(json), integrationId: "hook-id")
    }

    @Test func slackNamesWinOverRocketChatNamesAsJavaScriptsOrDoes() throws {
        let both = try Self.message(#"{"text":"a","msg":"b","username":"u","alias":"v","icon_url":"http://x/y.png","avatar":"z","icon_emoji":":e:"}"#)
        #expect(both.payload.text == "a" && both.payload.alias == "u" && both.payload.avatar == "http://x/y.png" && both.payload.emoji == ":e:")
        // An empty or absent first name falls back to the second.
        let fallback = try Self.message(#"{"text":"","msg":"b","alias":"v","emoji":":f:"}"#)
        #expect(fallback.payload.text == "b" && fallback.payload.alias == "v" && fallback.payload.emoji == ":f:" && fallback.payload.avatar == nil)
        // Values that are not text are made text as JavaScript's String() does.
        #expect(try Self.message(#"{"text":42}"#).payload.text == "42")
        #expect(try Self.message(#"{"text":{"a":1}}"#).payload.text == "[object Object]")
    }

    @Test func theBotMarkIsTheIntegrationsWhateverTheBodySays() throws {
        #expect(try Self.message(#"{"text":"x","bot":{"i":"someone-else"}}"#).payload.bot == .object([("i", .string("hook-id"))]))
    }

    @Test func destinationsAreChannelElseRoomIdOneOrAList() throws {
        #expect(try Self.message(#"{"text":"x"}"#).requestedChannels == nil)
        #expect(try Self.message(##"{"channel":"#a","roomId":"r"}"##).requestedChannels == ["#a"])
        #expect(try Self.message(#"{"channel":"","roomId":"r"}"#).requestedChannels == ["r"])
        #expect(try Self.message(##"{"channel":["#a","@b"]}"##).requestedChannels == ["#a", "@b"])
    }

    @Test func attachmentsOnlyAsAnArrayAndTheFlags() throws {
        #expect(try Self.message(#"{"attachments":{"text":"x"}}"#).payload.attachments == nil)
        #expect(try Self.message(#"{"attachments":[{"text":"x"}]}"#).payload.attachments?.count == 1)
        let flags = try Self.message(#"{"parseUrls":false,"groupable":1,"separateResponse":true,"tmid":"t"}"#)
        #expect(flags.payload.parseUrls == false && flags.payload.groupable == true && flags.separateResponse && flags.payload.tmid == "t")
        #expect(try Self.message(#"{"text":"x"}"#).payload.parseUrls == nil)
    }

    @Test func emptyMeansAnObjectWithoutKeys() throws {
        #expect(IncomingHookMessage.isEmpty(try JSONParser.parse("{}")))
        #expect(!IncomingHookMessage.isEmpty(try JSONParser.parse(#"{"text":""}"#)))
    }

    @Test func theTokenIsComparedWhole() throws {
        let integration = try #require(
            IncomingIntegration(try JSONParser.parse(##"{"_id":"i","type":"webhook-incoming","token":"secret-token","channel":"#general"}"##))
        )
        #expect(integration.accepts(token: "secret-token"))
        for wrong in ["secret-tokeN", "secret-toke", "secret-token2", "", "Secret-token"] { #expect(!integration.accepts(token: wrong), "\(wrong)") }
        #expect(integration.channels == ["#general"])
        #expect(IncomingIntegration(try JSONParser.parse(#"{"_id":"i","type":"webhook-outgoing","token":"t"}"#)) == nil)
    }
}
