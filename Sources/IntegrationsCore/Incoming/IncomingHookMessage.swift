/// An incoming webhook's body as Rocket.Chat's incoming route and `processWebhookMessage` read it, with
/// JavaScript's `||` between the Slack-style and Rocket.Chat names: `text || msg`, `username || alias`,
/// `icon_url || avatar`, `icon_emoji || emoji`; `attachments` only when an array; the message's `bot` is always
/// `{i: <integration id>}`.
public struct IncomingHookMessage: Sendable, Equatable {
    /// The header of this service's outgoing calls that says how many replies deep the message behind the call is
    /// (the event's plus one); a hook of this service posts its message that deep, so that a loop of an outgoing
    /// integration calling an incoming one stops as reply chains do.
    public static let hopsHeader = "X-Integrations-Hops"

    /// The destinations the body names (`channel || roomId`: one value or a list), nil when it names none.
    public let requestedChannels: [String]?
    /// `separateResponse`: answer each destination's outcome (`{"responses": […]}`) instead of the first failure.
    public let separateResponse: Bool
    public let payload: WebhookMessage.Payload

    public init(_ body: JSONValue, integrationId: String) {
        func first(_ names: String...) -> JSONValue? {
            names.lazy.compactMap { body[$0] }.first(where: \.isTruthy)
        }
        requestedChannels = first("channel", "roomId").map { value in
            if case .array(let elements) = value { return elements.map(\.javaScriptString) }
            return [value.javaScriptString]
        }
        separateResponse = body["separateResponse"]?.isTruthy ?? false
        var payload = WebhookMessage.Payload(bot: .object([("i", .string(integrationId))]))
        payload.text = first("text", "msg")?.javaScriptString
        payload.alias = first("username", "alias")?.javaScriptString
        payload.avatar = first("icon_url", "avatar")?.javaScriptString
        payload.emoji = first("icon_emoji", "emoji")?.javaScriptString
        if case .array(let attachments) = body["attachments"] { payload.attachments = attachments }
        if let parseUrls = body["parseUrls"], parseUrls != .null { payload.parseUrls = parseUrls.isTruthy }
        payload.groupable = body["groupable"]?.isTruthy ?? false
        payload.tmid = body["tmid"]?.stringValue
        if case .object = body["customFields"] { payload.customFields = body["customFields"] }
        self.payload = payload
    }

    /// Whether the body has nothing in it (`_.isEmpty(bodyParams)`): Rocket.Chat then answers success and posts nothing.
    public static func isEmpty(_ body: JSONValue) -> Bool {
        if case .object(let members) = body { return members.isEmpty }
        return false
    }
}
