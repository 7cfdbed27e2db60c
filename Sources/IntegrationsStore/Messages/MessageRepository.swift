import IntegrationsCore
import LibPQ

/// Messages: Rocket.Chat's `chat.postMessage` and `chat.update`, one statement each.
public struct MessageRepository: Sendable {
    let pool: ConnectionPool
    let deliveries: DeliverySignal

    public init(pool: ConnectionPool, deliveries: DeliverySignal = .none) {
        self.pool = pool
        self.deliveries = deliveries
    }

    /// A message posted: its document (JSON text), the time of the answer in epoch milliseconds (text), and how
    /// many outgoing-webhook deliveries it enqueued.
    public struct Posted: Sendable {
        public let message: String
        public let timestamp: String
        public let enqueued: Int
    }

    /// A message to post, with what the request type decided about it without the database.
    public struct NewMessage: Sendable {
        public var id: String
        public var message: WebhookMessage
        /// The UTF-16 length of the text as sent, `nil` when empty (Rocket.Chat's `text && text.length > max`).
        public var textLength: Int?
        /// The longest UTF-16 length of an attachment's `text` as sent, `nil` when none has one.
        public var longestAttachmentText: Int?
        /// The id a direct message to oneself gets when it has to be created.
        public var newSelfDirectRoomId: String

        public init(id: String, message: WebhookMessage, textLength: Int?, longestAttachmentText: Int?, newSelfDirectRoomId: String) {
            self.id = id
            self.message = message
            self.textLength = textLength
            self.longestAttachmentText = longestAttachmentText
            self.newSelfDirectRoomId = newSelfDirectRoomId
        }
    }

    /// Posts a message to one destination (`nil`: the request named none), creating the direct message or joining
    /// the public room as Rocket.Chat does. Refusals: `unauthenticated`, `messageTooLong`, `noDestination`,
    /// `invalidChannel`, `invalidUser`, `directMessageNotAllowed`, `joinNotAllowed`, `roomArchived`, `notAllowed`,
    /// `roomReadOnly`, `invalidMessage` (the message's own ``WebhookMessage/fieldsError`` or
    /// ``WebhookMessage/contentError``), `impersonationNotAllowed`.
    public func post(
        userId: String,
        hashedToken: String,
        to destination: MessageDestination?,
        _ new: NewMessage
    ) async throws(StoreError) -> Outcome<Posted> {
        try await post(MessageStatements.post, poster: (userId, hashedToken), to: destination, new, hops: 0)
    }

    /// Posts as the active user with this username (no token): the message of an outgoing webhook's reply,
    /// `hops` replies deep (the event's own hops plus one). Refusals as ``post(userId:hashedToken:to:_:)``, with
    /// `unauthenticated` for a user that does not exist.
    public func post(
        asUsername username: String,
        to destination: MessageDestination?,
        _ new: NewMessage,
        hops: Int
    ) async throws(StoreError) -> Outcome<Posted> {
        try await post(MessageStatements.postAsUser, poster: (username, nil), to: destination, new, hops: hops)
    }

    /// Posts as the user with this id (no token): the message of an incoming webhook, `hops` replies deep (what
    /// the call says of the message that caused it). Refusals as ``post(userId:hashedToken:to:_:)``, with
    /// `unauthenticated` for a user that does not exist.
    public func post(
        asUserId userId: String,
        to destination: MessageDestination?,
        _ new: NewMessage,
        hops: Int
    ) async throws(StoreError) -> Outcome<Posted> {
        try await post(MessageStatements.postAsUserId, poster: (userId, nil), to: destination, new, hops: hops)
    }

    private func post(
        _ statement: PreparedStatement,
        poster: (String, String?),
        to destination: MessageDestination?,
        _ new: NewMessage,
        hops: Int
    ) async throws(StoreError) -> Outcome<Posted> {
        let (mode, roomKey, userKey, byIdOnly, mustBeDirect): (String?, String?, String?, Bool, Bool) =
            switch destination {
            case nil: (nil, nil, nil, false, false)
            case .room(let idOrName, let mustBeDirect): ("room", idOrName, nil, false, mustBeDirect)
            case .direct(let user, let byIdOnly, let mustBeDirect): ("direct", nil, user, byIdOnly, mustBeDirect)
            case .roomOrDirect(let idOrName, let userId): ("room-or-direct", idOrName, userId, true, true)
            }
        let message = new.message
        let result = try await pool.run(
            statement,
            [
                poster.0, poster.1, new.id, mode, roomKey, userKey, Self.literal(byIdOnly), Self.literal(mustBeDirect),
                new.newSelfDirectRoomId, new.textLength.map(String.init), new.longestAttachmentText.map(String.init),
                message.msg, message.alias, message.emoji, message.avatar, JSONValue.array(message.attachments).text,
                Self.literal(message.parseUrls), Self.literal(message.groupable), message.tmid, message.customFields?.text,
                message.bot?.text, Self.literal(message.impersonates), Self.literal(message.fieldsError != nil),
                Self.literal(message.contentError != nil), RandomToken.id(), String(hops),
            ]
        )
        let enqueued = result.int(row: 0, column: 3) ?? 0
        deliveries.enqueued(enqueued)
        return try Verdict(result, of: statement).outcome {
            Posted(message: result.string(row: 0, column: 1) ?? "{}", timestamp: result.string(row: 0, column: 2) ?? "0", enqueued: enqueued)
        }
    }

    /// An edit of a message's text, with what the request type decided about it.
    public struct Edit: Sendable {
        public var roomId: String
        public var messageId: String
        public var text: String
        /// Whether the text is empty after JavaScript's `trim()`.
        public var textIsBlank: Bool
        /// Whether the request gave `previewUrls` (which makes even an unchanged text an edit).
        public var hasPreviewURLs: Bool
        /// The custom fields the request gave.
        public var customFields: JSONValue?
        /// Whether the custom fields are refused (the request type's error).
        public var customFieldsRefused: Bool

        public init(
            roomId: String,
            messageId: String,
            text: String,
            textIsBlank: Bool,
            hasPreviewURLs: Bool,
            customFields: JSONValue?,
            customFieldsRefused: Bool
        ) {
            self.roomId = roomId
            self.messageId = messageId
            self.text = text
            self.textIsBlank = textIsBlank
            self.hasPreviewURLs = hasPreviewURLs
            self.customFields = customFields
            self.customFieldsRefused = customFieldsRefused
        }
    }

    /// Edits a message's text as Rocket.Chat's `chat.update` does; returns the message document (unchanged when
    /// the edit changes nothing). Refusals: `unauthenticated`, `notFound`, `roomMismatch`, `editNotAllowed`,
    /// `editBlocked`, `roomArchived`, `notAllowed`, `roomReadOnly`, `emptyMessage`, `invalidMessage`.
    public func edit(userId: String, hashedToken: String, _ edit: Edit) async throws(StoreError) -> Outcome<String> {
        let statement = MessageStatements.edit
        let result = try await pool.run(
            statement,
            [
                userId, hashedToken, edit.roomId, edit.messageId, edit.text, Self.literal(edit.textIsBlank),
                Self.literal(edit.hasPreviewURLs), edit.customFields?.text, Self.literal(edit.customFieldsRefused), RandomToken.id(),
            ]
        )
        deliveries.enqueued(result.int(row: 0, column: 2))
        return try Verdict(result, of: statement).outcome { result.string(row: 0, column: 1) ?? "{}" }
    }

    private static func literal(_ flag: Bool) -> String {
        flag ? "true" : "false"
    }
}
