import IntegrationsCore

/// The properties Rocket.Chat's request schemas of `integrations.create` and `.update` declare for each kind,
/// and how a body's kind is told once its schema has been checked.
enum IntegrationFields {
    /// The incoming kind's properties (`type` matched by Rocket.Chat's unanchored pattern).
    static let incoming: [BodySchema.Property] = [
        .string("type", pattern: "webhook-incoming"), .string("username"), .string("channel"), .boolean("scriptEnabled"),
        .string("name"), .boolean("enabled"), .boolean("overrideDestinationChannelEnabled"), .string("script"),
        .string("alias"), .string("avatar"), .string("emoji"), .string("scriptEngine"),
    ]

    /// The outgoing kind's properties.
    static let outgoing: [BodySchema.Property] = [
        .string("type", pattern: "webhook-outgoing"), .string("username"), .string("channel"), .string("event"),
        .boolean("scriptEnabled"), .string("name"), .boolean("enabled"), .string("targetRoom"),
        .strings("urls", minLength: 1), .strings("triggerWords", minLength: 1), .boolean("triggerWordAnywhere"),
        .string("token"), .string("script"), .boolean("runOnEdits"), .boolean("retryFailedCalls"), .number("retryCount"),
        .string("retryDelay"), .boolean("impersonateUser"), .string("alias"), .string("avatar"), .string("emoji"),
        .string("scriptEngine"),
    ]

    /// The kind a body names after its schema check: a schema error is Rocket.Chat's invalid-params answer, and
    /// a `type` that only matched the unanchored pattern (`"xwebhook-incoming"`) its "Invalid integration type.".
    static func kind(of body: JSONValue, schemaError: String?) throws(RocketChatError) -> IntegrationKind {
        if let schemaError { throw .invalidParams(schemaError) }
        guard let kind = body["type"]?.stringValue.flatMap(IntegrationKind.init(rawValue:)) else {
            throw .failure("Invalid integration type.")
        }
        return kind
    }
}
