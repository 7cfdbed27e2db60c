import Hummingbird
import IntegrationsCore
import IntegrationsStore

/// `chat.postMessage` and `chat.update`: the messages outgoing integrations will be triggered by.
struct ChatController: Sendable {
    let messages: MessageRepository
    let validator: RequestValidator

    func register(on router: Router<APIRequestContext>) {
        router.post("/api/v1/chat.postMessage", use: postMessage)
        router.post("/api/v1/chat.update", use: update)
    }

    /// `POST chat.postMessage` with `{roomId | channel, text?, alias?, emoji?, avatar?, attachments?, …}`: posts to
    /// each destination in turn, as Rocket.Chat does (one statement each: a refusal leaves the messages already
    /// posted), and answers with the first.
    @Sendable func postMessage(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.json(request, context: context)
        let post = try await validator.validate(caller) { () throws(RocketChatError) in try PostMessageRequest(body) }
        let answers = Self.postRefusals(invalidMessage: post.contentError)
        var first: (channel: String, posted: MessageRepository.Posted)?
        // An empty list still runs the statement once: the credentials and the size check come before
        // Rocket.Chat's `unknown-error` for a request that posted nothing.
        for channel in post.channels.isEmpty ? [nil] : post.channels.map(Optional.some) {
            let new = MessageRepository.NewMessage(
                id: RandomToken.id(),
                message: post.message,
                textLength: post.textLength,
                longestAttachmentText: post.longestAttachmentText,
                newSelfDirectRoomId: RandomToken.id()
            )
            let posted = try await messages.post(
                userId: caller.userId,
                hashedToken: caller.hashedToken,
                to: channel.map(MessageDestination.init(channel:)),
                new
            ).value(answers)
            if first == nil, let channel { first = (channel, posted) }
        }
        guard let first else { throw RocketChatError.failure("unknown-error") }
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("ts", raw: first.posted.timestamp)
        writer.field("channel", string: first.channel)
        writer.field("message", raw: first.posted.message)
        writer.field("success", raw: "true")
        writer.endObject()
        return .json(writer.buffer)
    }

    /// `POST chat.update` with `{roomId, msgId, text, previewUrls?, customFields?}`.
    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.json(request, context: context)
        let update = try await validator.validate(caller) { () throws(RocketChatError) in try UpdateMessageRequest(body) }
        let message = try await messages.edit(
            userId: caller.userId,
            hashedToken: caller.hashedToken,
            .init(
                roomId: update.roomId,
                messageId: update.msgId,
                text: update.text,
                textIsBlank: update.textIsBlank,
                hasPreviewURLs: update.previewUrls != nil,
                customFields: update.customFields,
                customFieldsRefused: update.customFieldsError != nil
            )
        ).value(Self.updateRefusals(msgId: update.msgId, invalidMessage: update.customFieldsError))
        return .json(JSONWriter.success("message", raw: message))
    }

    /// `validateRoomMessagePermissions` throws plain errors: their message is the whole answer.
    static let roomRefusals: RefusalAnswers = [
        .roomArchived: .failure("room_is_archived"),
        .notAllowed: .failure("error-not-allowed"),
        .roomReadOnly: .failure("You can't send messages because the room is readonly."),
    ]

    /// How `chat.postMessage` answers the store's refusals; `invalidMessage` is the request's own content error.
    static func postRefusals(invalidMessage: RocketChatError?) -> RefusalAnswers {
        var answers: [(Refusal, RocketChatError)] = [
            (.messageTooLong, .failure("error-message-size-exceeded")),
            (.noDestination, .failure("unknown-error")),
            (.invalidChannel, .meteor(MeteorError("invalid-channel"))),
            (.invalidUser, .meteor(MeteorError("error-invalid-user", "Invalid user", method: "createDirectMessage"))),
            (.directMessageNotAllowed, .meteor(MeteorError("error-not-allowed", "Not allowed", method: "createDirectMessage"))),
            (.joinNotAllowed, .meteor(MeteorError("error-not-allowed", "Not allowed", method: "joinRoom"))),
            (.impersonationNotAllowed, .failure("Not enough permission")),
        ]
        if let invalidMessage { answers.append((.invalidMessage, invalidMessage)) }
        return roomRefusals.merging(answers)
    }

    /// How `chat.update` answers the store's refusals; `invalidMessage` is the request's custom-fields error.
    static func updateRefusals(msgId: String, invalidMessage: RocketChatError?) -> RefusalAnswers {
        var answers: [(Refusal, RocketChatError)] = [
            (.notFound, .failure("No message found with the id of \"\(msgId)\".")),
            (.roomMismatch, .failure("The room id provided does not match where the message is from.")),
            (
                .editNotAllowed,
                .meteor(
                    MeteorError(
                        "error-action-not-allowed",
                        "Message editing not allowed",
                        details: [("method", "updateMessage"), ("action", "Message_editing")]
                    )
                )
            ),
            (.editBlocked, .meteor(MeteorError("error-message-editing-blocked", "Message editing is blocked", method: "updateMessage"))),
            (.emptyMessage, .meteor(MeteorError("error-invalid-message", "Message cannot be empty", method: "updateMessage"))),
        ]
        if let invalidMessage { answers.append((.invalidMessage, invalidMessage)) }
        return roomRefusals.merging(answers)
    }
}
