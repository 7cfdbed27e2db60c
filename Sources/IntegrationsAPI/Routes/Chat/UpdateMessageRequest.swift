import IntegrationsCore

/// The body of `chat.update`, checked against Rocket.Chat's schema (`isChatUpdateProps`): `roomId`, `msgId` and
/// `text` required, `previewUrls` (texts) and `customFields` (an object) optional and `nullable`, nothing else;
/// scalars coerced as ajv's `coerceTypes` does.
struct UpdateMessageRequest: Equatable {
    let roomId: String
    let msgId: String
    let text: String
    /// `'previewUrls' in bodyParams`, with a list: even an unchanged text is then an edit.
    let previewUrls: [String]?
    let customFields: JSONValue?

    static let properties = ["roomId", "msgId", "text", "previewUrls", "customFields"]

    init(_ body: JSONValue) throws(RocketChatError) {
        let body = try RequestBody.object(body)
        if let missing = ["roomId", "msgId", "text"].first(where: { body[$0] == nil }) {
            throw .invalidParams("must have required property '\(missing)'")
        }
        if body.keys.contains(where: { !Self.properties.contains($0) }) {
            throw .invalidParams("must NOT have additional properties")
        }
        do throws(BodySchema.SchemaFailure) {
            roomId = try BodySchema.coercedString(body["roomId"] ?? .null).get() ?? ""
            msgId = try BodySchema.coercedString(body["msgId"] ?? .null).get() ?? ""
            text = try BodySchema.coercedString(body["text"] ?? .null).get() ?? ""
            var previewUrls: [String]?
            if let value = body["previewUrls"] {
                previewUrls = try BodySchema.array(value, nullable: true) { element in BodySchema.coercedString(element).map { $0 ?? "" } }.get()
            }
            self.previewUrls = previewUrls
            var customFields: JSONValue?
            if let value = body["customFields"] { customFields = try BodySchema.nullableObject(value).get() }
            self.customFields = customFields
        } catch {
            throw .invalidParams(error.messages.joined(separator: "\n "))
        }
    }

    /// `!message.msg.trim()`: the text is empty to JavaScript's `trim()`.
    var textIsBlank: Bool { text.trimmed.isEmpty }

    /// `validateCustomMessageFields` with Rocket.Chat's default `Message_CustomFields_Enabled` (false): custom fields
    /// are refused, as the edit's last check.
    var customFieldsError: RocketChatError? {
        customFields.map { _ in .failure("Custom fields not enabled") }
    }
}
