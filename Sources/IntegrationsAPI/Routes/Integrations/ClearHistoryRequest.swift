import IntegrationsCore

/// The body of `integrations.clearHistory`: `{integrationId}`, a non-empty string, nothing else.
struct ClearHistoryRequest {
    let integrationId: String

    init(_ body: JSONValue) throws(RocketChatError) {
        let body = try RequestBody.object(body)
        if let error = BodySchema.firstError(
            of: body,
            required: ["integrationId"],
            properties: [.string("integrationId", minLength: 1)],
            additionalProperties: false
        ) {
            throw .invalidParams(error)
        }
        integrationId = body["integrationId"]?.stringValue ?? ""
    }
}
