import IntegrationsCore

/// The body of `integrations.create`, checked against Rocket.Chat's schema: a `oneOf` of an incoming and an
/// outgoing object, neither with properties of its own beyond those declared.
struct IntegrationCreateRequest {
    let kind: IntegrationKind
    let body: JSONValue

    init(_ body: JSONValue) throws(RocketChatError) {
        let body = try RequestBody.object(body)
        let schemaError = BodySchema.oneOf([
            BodySchema.firstError(
                of: body,
                required: ["type", "username", "channel", "scriptEnabled", "name", "enabled"],
                properties: IntegrationFields.incoming,
                additionalProperties: false
            ),
            BodySchema.firstError(
                of: body,
                required: ["type", "username", "channel", "event", "scriptEnabled", "name", "enabled"],
                properties: IntegrationFields.outgoing,
                additionalProperties: false
            ),
        ])
        kind = try IntegrationFields.kind(of: body, schemaError: schemaError)
        self.body = body
    }
}
