import IntegrationsCore
import Testing

@testable import IntegrationsAPI

/// The body of `chat.update`.
@Suite struct UpdateMessageRequestTests {
    func refusal(_ body: String) throws -> RocketChatError? {
        let body = try json(body)
        return thrownError { () throws(RocketChatError) in try UpdateMessageRequest(body) }
    }

    @Test func theThreeRequiredPropertiesAreRead() throws {
        let update = try UpdateMessageRequest(json(#"{"roomId":"GENERAL","msgId":"m1","text":"Updated"}"#))
        #expect(update.roomId == "GENERAL" && update.msgId == "m1" && update.text == "Updated")
        #expect(update.previewUrls == nil && update.customFields == nil)
        #expect(update.textIsBlank == false)
        #expect(update.customFieldsError == nil)
    }

    @Test func requiredPropertiesInSchemaOrder() async throws {
        let error = try #require(try refusal(#"{"text":"x"}"#))
        #expect(
            try await error.renderedBody
                == #"{"success":false,"error":"must have required property 'roomId' [invalid-params]","errorType":"invalid-params"}"#
        )
        #expect(try refusal(#"{"roomId":"r","text":"x"}"#) == .invalidParams("must have required property 'msgId'"))
        #expect(try refusal(#"{"roomId":"r","msgId":"m"}"#) == .invalidParams("must have required property 'text'"))
    }

    @Test func unknownPropertiesAreRefused() throws {
        #expect(try refusal(#"{"roomId":"r","msgId":"m","text":"x","content":"y"}"#) == .invalidParams("must NOT have additional properties"))
    }

    @Test func scalarsAreCoerced() throws {
        let update = try UpdateMessageRequest(json(#"{"roomId":1,"msgId":true,"text":null}"#))
        #expect(update.roomId == "1" && update.msgId == "true" && update.text == "")
        #expect(update.textIsBlank)
        #expect(try refusal(#"{"roomId":"r","msgId":"m","text":{}}"#) == .invalidParams("must be string"))
    }

    @Test func previewUrlsAndCustomFields() throws {
        let update = try UpdateMessageRequest(json(#"{"roomId":"r","msgId":"m","text":"x","previewUrls":["http://a",2],"customFields":{"a":1}}"#))
        #expect(update.previewUrls == ["http://a", "2"])
        #expect(update.customFieldsError == .failure("Custom fields not enabled"))
        let nulls = try UpdateMessageRequest(json(#"{"roomId":"r","msgId":"m","text":"x","previewUrls":null,"customFields":null}"#))
        #expect(nulls.previewUrls == nil && nulls.customFields == nil)
        #expect(try refusal(#"{"roomId":"r","msgId":"m","text":"x","previewUrls":"a"}"#) == .invalidParams("must be array"))
        #expect(try refusal(#"{"roomId":"r","msgId":"m","text":"x","customFields":[]}"#) == .invalidParams("must be object"))
    }

    @Test func aTextOfJavaScriptWhiteSpaceIsBlank() throws {
        #expect(try UpdateMessageRequest(json(#"{"roomId":"r","msgId":"m","text":" \u00a0\ufeff\n"}"#)).textIsBlank)
        #expect(try UpdateMessageRequest(json(#"{"roomId":"r","msgId":"m","text":"\u0085"}"#)).textIsBlank == false)
    }
}
