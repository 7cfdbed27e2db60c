import IntegrationsCore
import Testing

/// How `processWebhookMessage` and `getRoomByNameOrIdWithOptionToJoin` read a `channel` or `roomId` value.
@Suite struct MessageDestinationTests {
    @Test func aHashIsARoomByIdOrName() {
        #expect(MessageDestination(channel: "#general") == .room(idOrName: "general", mustBeDirect: false))
        #expect(MessageDestination(channel: "#") == .room(idOrName: "", mustBeDirect: false))
        // `#` twice: the look-up strips the second one too.
        #expect(MessageDestination(channel: "##general") == .room(idOrName: "general", mustBeDirect: false))
        // `#@…` reaches the direct-message branch, without its type check.
        #expect(MessageDestination(channel: "#@bob") == .direct(user: "bob", byIdOnly: false, mustBeDirect: false))
    }

    @Test func anAtIsADirectMessageByIdOrUsername() {
        #expect(MessageDestination(channel: "@bob") == .direct(user: "bob", byIdOnly: false, mustBeDirect: true))
        #expect(MessageDestination(channel: "@") == .direct(user: "", byIdOnly: false, mustBeDirect: true))
        // `replace('@', '')` removes the first `@` of the rest, wherever it is.
        #expect(MessageDestination(channel: "@b@b") == .direct(user: "bb", byIdOnly: false, mustBeDirect: true))
        #expect(MessageDestination(channel: "@#GENERAL") == .room(idOrName: "GENERAL", mustBeDirect: true))
    }

    @Test func aBareValueIsARoomByIdOrNameThenADirectMessageByUserId() {
        #expect(MessageDestination(channel: "GENERAL") == .roomOrDirect(idOrName: "GENERAL", userId: "GENERAL"))
        #expect(MessageDestination(channel: "a@b") == .roomOrDirect(idOrName: "a@b", userId: "ab"))
        // `channel[0] + channel.slice(1)` of "" is the text "undefined".
        #expect(MessageDestination(channel: "") == .roomOrDirect(idOrName: "undefined", userId: "undefined"))
    }

    @Test func thePrefixIsOneScalarEvenBeforeACombiningMark() {
        #expect(MessageDestination(channel: "#\u{301}x") == .room(idOrName: "\u{301}x", mustBeDirect: false))
    }
}
