import IntegrationsCore

/// The body of `integrations.remove`: `{type, integrationId}`, or `{type: "webhook-outgoing", target_url}`.
struct IntegrationRemoveRequest {
    let kind: IntegrationKind
    let integrationId: String?
    /// An element of an outgoing integration's `urls`; ignored for an incoming one.
    let targetURL: String?

    init(_ body: JSONValue) throws(RocketChatError) {
        let body = try RequestBody.object(body)
        let schemaError = BodySchema.oneOf([
            BodySchema.firstError(
                of: body,
                required: ["type", "integrationId"],
                properties: [.string("type", pattern: "webhook-incoming"), .string("integrationId")],
                additionalProperties: true
            ),
            BodySchema.firstError(
                of: body,
                required: ["type", "target_url"],
                properties: [.string("type", pattern: "webhook-outgoing"), .string("target_url")],
                additionalProperties: true
            ),
            BodySchema.firstError(
                of: body,
                required: ["type", "integrationId"],
                properties: [.string("type", pattern: "webhook-outgoing"), .string("integrationId")],
                additionalProperties: true
            ),
        ])
        kind = try IntegrationFields.kind(of: body, schemaError: schemaError)
        integrationId = body["integrationId"]?.stringValue
        targetURL = kind == .outgoing ? body["target_url"]?.stringValue : nil
    }

    /// The Rocket.Chat method whose errors the route answers with.
    var method: String { Self.method(for: kind) }

    static func method(for kind: IntegrationKind) -> String {
        kind == .outgoing ? "deleteOutgoingIntegration" : "deleteIncomingIntegration"
    }
}
