import IntegrationsCore
import Testing

@testable import IntegrationsAPI

/// The body of `chat.postMessage`: Rocket.Chat's `oneOf` schema with ajv's type coercion, then the message
/// `processWebhookMessage` builds.
@Suite struct PostMessageRequestTests {
    func refusal(_ body: String) throws -> RocketChatError? {
        let body = try json(body)
        return thrownError { () throws(RocketChatError) in try PostMessageRequest(body) }
    }

    func request(_ body: String) throws -> PostMessageRequest {
        try PostMessageRequest(json(body))
    }

    @Test func aChannelAndATextAreAMessage() throws {
        let post = try request(##"{"channel":"#general","text":" Sample message "}"##)
        #expect(post.channels == ["#general"])
        #expect(post.message.msg == "Sample message")
        #expect(post.textLength == 16)
        #expect(post.longestAttachmentText == nil)
        #expect(post.contentError == nil)
    }

    @Test func aRoomIdMayCarryAThreadAndAChannelMayNot() throws {
        #expect(try request(#"{"roomId":"GENERAL","tmid":"abc"}"#).message.tmid == "abc")
        #expect(
            try refusal(##"{"channel":"#general","tmid":"abc"}"##)
                == .invalidParams(
                    "must have required property 'roomId'\n must NOT have additional properties\n must match exactly one schema in oneOf"
                )
        )
    }

    @Test func neitherDestinationIsBothBranchesRequiredProperty() async throws {
        let error = try #require(try refusal(#"{"text":"Sample message","alias":"Gruggy"}"#))
        #expect(
            try await error.renderedBody
                == #"{"success":false,"error":"must have required property 'roomId'\n must have required property 'channel'\n must match exactly one schema in oneOf [invalid-params]","errorType":"invalid-params"}"#
        )
    }

    @Test func bothDestinationsAreUnknownPropertiesToEachBranch() throws {
        #expect(
            try refusal(##"{"roomId":"GENERAL","channel":"#general"}"##)
                == .invalidParams(
                    "must NOT have additional properties\n must NOT have additional properties\n must match exactly one schema in oneOf"
                )
        )
    }

    @Test func destinationsAreOneOrSeveralWithoutRepeats() throws {
        #expect(try request(#"{"roomId":["a","b","a"]}"#).channels == ["a", "b"])
        #expect(try request(#"{"channel":[]}"#).channels == [])
        #expect(try request(#"{"roomId":5}"#).channels == ["5"])
        #expect(try request(#"{"roomId":null}"#).channels == [""])
        #expect(try request(#"{"channel":[1.50,true]}"#).channels == ["1.5", "true"])
    }

    @Test func aDestinationOfAnotherShapeFailsBothOfItsBranches() throws {
        #expect(
            try refusal(#"{"roomId":{}}"#)
                == .invalidParams(
                    "must be string\n must be array\n must match exactly one schema in oneOf\n must have required property 'channel'\n must match exactly one schema in oneOf"
                )
        )
        #expect(
            try refusal(#"{"channel":[{}]}"#)
                == .invalidParams(
                    "must have required property 'roomId'\n must be string\n must be string\n must match exactly one schema in oneOf\n must match exactly one schema in oneOf"
                )
        )
    }

    @Test func scalarsAreCoercedAndNullableOnesMayBeNull() throws {
        let post = try request(
            ##"{"channel":"#general","text":12,"alias":null,"emoji":true,"attachments":null,"customFields":null,"parseUrls":"false"}"##
        )
        #expect(post.message.msg == "12")
        #expect(post.message.alias == "")
        #expect(post.message.emoji == "true")
        #expect(post.message.attachments == [])
        #expect(post.message.parseUrls == false)
        #expect(try request(##"{"channel":"#general","parseUrls":null}"##).message.parseUrls == false)
        #expect(try request(##"{"channel":"#general","parseUrls":1}"##).message.parseUrls)
    }

    @Test(
        arguments: [
            (#"{"channel":"x","text":[]}"#, "must be string"),
            (#"{"channel":"x","avatar":{}}"#, "must be string"),
            (#"{"channel":"x","attachments":"x"}"#, "must be array"),
            (#"{"channel":"x","attachments":[1]}"#, "must be object"),
            (#"{"channel":"x","attachments":[[]]}"#, "must be object"),
            (#"{"channel":"x","customFields":[]}"#, "must be object"),
            (#"{"channel":"x","parseUrls":"yes"}"#, "must be boolean"),
        ]
    )
    func propertiesOfTheWrongTypeAreRefused(body: String, message: String) throws {
        #expect(try refusal(body) == .invalidParams("must have required property 'roomId'\n \(message)\n must match exactly one schema in oneOf"))
    }

    @Test func theLengthsAreUTF16UnitsOfTheTextAsSent() throws {
        let post = try request(#"{"roomId":"r","text":"🚀","attachments":[{"text":"abc"},{"text":"abcdef"},{"text":5},{"msg":"abcdefghij"}]}"#)
        #expect(post.textLength == 2)
        #expect(post.longestAttachmentText == 6)
        #expect(try request(#"{"roomId":"r","text":""}"#).textLength == nil)
    }

    @Test func theContentErrorIsTheAvatarsBeforeTheAttachments() throws {
        let post = try request(#"{"roomId":"r","avatar":":x:","attachments":[{"color":1}]}"#)
        #expect(post.contentError == .failure("Invalid href value provided"))
        let attachments = try request(#"{"roomId":"r","attachments":[{"color":1}]}"#)
        #expect(attachments.contentError == .failure("Match error: Match error: Expected string, got number in field color"))
    }

    @Test func aBodyThatIsNotAnObjectIsRefused() throws {
        #expect(try refusal("[]")?.errorType == "error-invalid-body")
    }
}
