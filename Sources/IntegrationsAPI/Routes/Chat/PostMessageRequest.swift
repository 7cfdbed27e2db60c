import IntegrationsCore

/// The body of `chat.postMessage`, checked against Rocket.Chat's schema (`isChatPostMessageProps`): a `oneOf` of
/// `{roomId, …}` and `{channel, …}`, neither with properties of its own beyond those declared (`tmid` only beside
/// `roomId`), the optional ones `nullable`, every scalar coerced as ajv's `coerceTypes` does (`"text": 5` is the text
/// `"5"`). The message is then built as `processWebhookMessage` builds it (``WebhookMessage``).
struct PostMessageRequest {
    /// The destinations, without repeats, in order: Rocket.Chat posts to each and answers with the first.
    let channels: [String]
    let message: WebhookMessage
    /// The UTF-16 length of `text` as sent, `nil` when empty or absent.
    let textLength: Int?
    /// The longest UTF-16 length of an attachment's `text` as sent (an array's element count, as JavaScript's
    /// `.length` of one), `nil` when no attachment has one.
    let longestAttachmentText: Int?

    init(_ body: JSONValue) throws(RocketChatError) {
        let body = try RequestBody.object(body)
        let fields: Fields
        switch (Self.branch(body, destination: "roomId"), Self.branch(body, destination: "channel")) {
        case (.success(let roomId), .failure): fields = roomId
        case (.failure, .success(let channel)): fields = channel
        case (.failure(let first), .failure(let second)):
            throw .invalidParams((first.messages + second.messages + [BodySchema.oneOfMismatch]).joined(separator: "\n "))
        case (.success, .success):
            throw .invalidParams(BodySchema.oneOfMismatch)
        }
        var channels: [String] = []
        for channel in fields.destinations where !channels.contains(channel) { channels.append(channel) }
        self.channels = channels
        message = WebhookMessage(fields.payload)
        textLength = fields.payload.textLength
        longestAttachmentText = fields.payload.longestAttachmentText
    }

    /// The body as one branch of the schema's `oneOf` reads it.
    struct Fields {
        var destinations: [String]
        var payload: WebhookMessage.Payload
    }

    /// The properties of the branch whose destination is `destination` (`roomId` or `channel`), in the schema's
    /// order; only the `roomId` branch declares `tmid`.
    static func properties(destination: String) -> [String] {
        [destination, "text", "alias", "emoji", "avatar", "attachments"] + (destination == "roomId" ? ["tmid"] : []) + ["customFields", "parseUrls"]
    }

    /// One branch: ajv's first error (required, then unknown properties, then each property in order), or the
    /// coerced fields.
    static func branch(_ body: JSONValue, destination: String) -> Result<Fields, BodySchema.SchemaFailure> {
        guard let destinationValue = body[destination] else {
            return .failure(.init("must have required property '\(destination)'"))
        }
        let declared = properties(destination: destination)
        if body.keys.contains(where: { !declared.contains($0) }) {
            return .failure(.init("must NOT have additional properties"))
        }
        var fields = Fields(destinations: [], payload: WebhookMessage.Payload())
        do throws(BodySchema.SchemaFailure) {
            fields.destinations = try BodySchema.stringOrStrings(destinationValue).get()
            for name in declared.dropFirst() {
                guard let value = body[name] else { continue }
                switch name {
                case "text": fields.payload.text = try BodySchema.coercedString(value, nullable: true).get()
                case "alias": fields.payload.alias = try BodySchema.coercedString(value, nullable: true).get()
                case "emoji": fields.payload.emoji = try BodySchema.coercedString(value, nullable: true).get()
                case "avatar": fields.payload.avatar = try BodySchema.coercedString(value, nullable: true).get()
                case "attachments":
                    fields.payload.attachments = try BodySchema.array(value, nullable: true) { element in
                        if case .object = element { return .success(element) }
                        return .failure(BodySchema.SchemaFailure("must be object"))
                    }.get()
                case "tmid": fields.payload.tmid = try BodySchema.coercedString(value).get()
                case "customFields": fields.payload.customFields = try BodySchema.nullableObject(value).get()
                case "parseUrls": fields.payload.parseUrls = try BodySchema.coercedBoolean(value).get()
                default: break
                }
            }
        } catch {
            return .failure(error)
        }
        return .success(fields)
    }

    /// The error of a check of the message's content, as Rocket.Chat answers it: the avatar's, else the
    /// attachments' or custom fields'.
    var contentError: RocketChatError? {
        (message.fieldsError ?? message.contentError).map { .failure($0.message) }
    }
}
