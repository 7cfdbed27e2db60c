import IntegrationsCore
import Testing

/// The message `processWebhookMessage` builds, and `validateMessage`'s checks that need no database.
@Suite struct WebhookMessageTests {
    func message(_ payload: WebhookMessage.Payload) -> WebhookMessage {
        WebhookMessage(payload)
    }

    @Test func aTextAloneIsAGroupableFalseMessageWithAnEmptyAliasAndParsedURLs() {
        let built = message(.init(text: "  Hello  "))
        #expect(built.msg == "Hello")
        #expect(built.alias == "")
        #expect(built.attachments == [])
        #expect(built.parseUrls)
        #expect(built.groupable == false)
        #expect(built.emoji == nil && built.avatar == nil)
        #expect(built.impersonates == false)
        #expect(built.fieldsError == nil && built.contentError == nil)
        #expect(message(.init()).msg == "")
    }

    @Test func attachmentsTurnParseUrlsOffUnlessGiven() {
        #expect(message(.init(attachments: [])).parseUrls == false)
        #expect(message(.init(attachments: [], parseUrls: true)).parseUrls)
        #expect(message(.init(parseUrls: false)).parseUrls == false)
    }

    @Test func anAvatarWinsOverAnEmoji() {
        let both = message(.init(emoji: ":smirk:", avatar: "http://example.com/a.png"))
        #expect(both.avatar == "http://example.com/a.png")
        #expect(both.emoji == nil)
        let emoji = message(.init(emoji: ":smirk:", avatar: ""))
        #expect(emoji.emoji == ":smirk:" && emoji.avatar == nil)
        #expect(emoji.impersonates == false)
    }

    @Test func anAliasOrAnAvatarImpersonates() {
        #expect(message(.init(alias: "Gruggy")).impersonates)
        #expect(message(.init(avatar: "/avatar/x")).impersonates)
        #expect(message(.init(alias: "")).impersonates == false)
    }

    @Test func integrationDefaultsFillWhatThePayloadLacks() {
        let built = WebhookMessage(.init(text: "x"), defaults: .init(alias: "Bot", avatar: "", emoji: ":robot:"))
        #expect(built.alias == "Bot")
        #expect(built.emoji == ":robot:")
    }

    @Test(arguments: ["http://a/b.png", "https://a", "data:image/png;base64,AA", "/avatar/x", "a/b", "/file-upload/x", "x\n/y"])
    func theseAvatarsAreHrefs(avatar: String) {
        #expect(message(.init(avatar: avatar)).fieldsError == nil, "\(avatar)")
    }

    @Test(arguments: [":smirk:", "javascript:alert(1)", "JavaScript:a/b", "//evil", "a//b", "/", "ftp://x"])
    func theseAvatarsAreNot(avatar: String) {
        #expect(message(.init(avatar: avatar)).fieldsError == MessageError("Invalid href value provided"), "\(avatar)")
    }

    @Test func anAttachmentsMessageBecomesItsTrimmedText() {
        let built = message(.init(attachments: [["msg": "  hi  ", "color": "#f00"]]))
        #expect(built.attachments == [["color": "#f00", "text": "hi"]])
    }

    @Test func fieldValuesAreStoredAsText() {
        let built = message(.init(attachments: [["fields": [["title": "n", "value": 12], ["value": true], ["short": true]]]]))
        #expect(built.contentError == nil)
        #expect(built.attachments == [["fields": [["title": "n", "value": "12"], ["value": "true"], ["short": true]]]])
    }

    @Test(
        arguments: [
            (["color": 12], "Match error: Match error: Expected string, got number in field color"),
            (["ts": true], "Match error: Match error: Failed Match.OneOf, Match.Maybe or Match.Optional validation in field ts"),
            (["fields": ""], #"Match error: Match error: Expected array, got "" in field fields"#),
            (["image_dimensions": []], "Match error: Match error: Expected plain object in field image_dimensions"),
            (["image_dimensions": "x"], "Match error: Match error: Expected object, got string in field image_dimensions"),
            (["message_link": 12], "Match error: Match error: Match error: Expected string, got number in field message_link"),
            (["title_link_download": "https://youtube.com"], "Match error: Match error: Expected boolean, got string in field title_link_download"),
            (["message_link": "javascript:alert(\"xss\")"], "Invalid href value provided"),
            (["thumb_url": "/images/x.png"], "Invalid href value provided"),
            (["fields": [["title": 12, "value": false]]], "Match error: Match error: Expected string, got number in field title"),
            (["fields": [.null]], "Cannot read properties of null (reading 'short')"),
            (["actions": [["type": "button", "url": "javascript:alert(\"xss\")"]]], "Invalid href value provided"),
            (["actions": [.null]], "Cannot read properties of null (reading 'type')"),
        ] as [(JSONValue, String)]
    )
    func attachmentsFailAsRocketChatsChecks(attachment: JSONValue, error: String) {
        #expect(message(.init(attachments: [attachment])).contentError == MessageError(error))
    }

    @Test func theFirstFailingFieldInDeclarationOrderIsReported() {
        let built = message(.init(attachments: [["title": 1, "color": 2], ["color": 3]]))
        #expect(built.contentError == MessageError("Match error: Match error: Expected string, got number in field color"))
        let later = message(.init(attachments: [["color": "#f00", "fields": [["title": 1]]], ["color": 3]]))
        #expect(later.contentError == MessageError("Match error: Match error: Expected string, got number in field title"))
    }

    @Test func nullFieldsAndScalarElementsPass() {
        let built = message(.init(attachments: [["color": .null, "fields": ["text", 5], "actions": []]]))
        #expect(built.contentError == nil)
    }

    @Test func customFieldsAreRefusedAfterTheAttachments() {
        #expect(message(.init(customFields: [:])).contentError == MessageError("Custom fields not enabled"))
        #expect(message(.init(attachments: [["color": 1]], customFields: [:])).contentError?.message.hasPrefix("Match error") == true)
    }
}
