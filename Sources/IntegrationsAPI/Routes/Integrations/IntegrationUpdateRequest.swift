import IntegrationsCore

/// The body of `integrations.update`, checked against Rocket.Chat's schema (other properties allowed for an
/// incoming integration, not for an outgoing one), and the integration it names: `integrationId`, or for an
/// outgoing one `target_url` (which wins when both are given).
struct IntegrationUpdateRequest {
    let kind: IntegrationKind
    let integrationId: String?
    let targetURL: String?
    let body: JSONValue

    init(_ body: JSONValue) throws(RocketChatError) {
        let body = try RequestBody.object(body)
        let schemaError = BodySchema.oneOf([
            BodySchema.firstError(
                of: body,
                required: ["integrationId", "type", "channel", "scriptEnabled", "name", "enabled"],
                properties: [.string("integrationId")] + IntegrationFields.incoming,
                additionalProperties: true
            ),
            BodySchema.firstError(
                of: body,
                required: ["type", "username", "channel", "event", "scriptEnabled", "name", "enabled"],
                properties: [.string("integrationId"), .string("target_url")] + IntegrationFields.outgoing,
                additionalProperties: false
            ),
        ])
        kind = try IntegrationFields.kind(of: body, schemaError: schemaError)
        targetURL = kind == .outgoing ? body["target_url"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } : nil
        integrationId = body["integrationId"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        guard targetURL != nil || integrationId != nil else { throw .failure("No integration found.") }
        self.body = body
    }
}
