import IntegrationsCore

/// The body of `integrations.replayOutgoing`: `{integrationId, historyId}`, non-empty strings, nothing else.
struct ReplayOutgoingRequest {
    let integrationId: String
    let historyId: String

    init(_ body: JSONValue) throws(RocketChatError) {
        let body = try RequestBody.object(body)
        if let error = BodySchema.firstError(
            of: body,
            required: ["integrationId", "historyId"],
            properties: [.string("integrationId", minLength: 1), .string("historyId", minLength: 1)],
            additionalProperties: false
        ) {
            throw .invalidParams(error)
        }
        integrationId = body["integrationId"]?.stringValue ?? ""
        historyId = body["historyId"]?.stringValue ?? ""
    }
}
