/// The message Rocket.Chat's `processWebhookMessage` builds from a `chat.postMessage` body (and, later, from an
/// incoming webhook's), with the verdicts of `sendMessage`'s `validateMessage` that need no database.
///
/// The fields are what the message document stores: `alias` is always there (`""` when none was given), `avatar`
/// wins over `emoji`, `attachments` is always an array, `parseUrls` defaults to "no attachments were given" and
/// `groupable` to `false`.
public struct WebhookMessage: Sendable, Equatable {
    /// The fields of the body (or hook payload) that make the message, after the REST schema's coercion.
    public struct Payload: Sendable, Equatable {
        public var text: String?
        public var alias: String?
        public var emoji: String?
        public var avatar: String?
        public var attachments: [JSONValue]?
        public var parseUrls: Bool?
        public var bot: JSONValue?
        public var groupable: Bool?
        public var tmid: String?
        public var customFields: JSONValue?

        public init(
            text: String? = nil,
            alias: String? = nil,
            emoji: String? = nil,
            avatar: String? = nil,
            attachments: [JSONValue]? = nil,
            parseUrls: Bool? = nil,
            bot: JSONValue? = nil,
            groupable: Bool? = nil,
            tmid: String? = nil,
            customFields: JSONValue? = nil
        ) {
            self.text = text
            self.alias = alias
            self.emoji = emoji
            self.avatar = avatar
            self.attachments = attachments
            self.parseUrls = parseUrls
            self.bot = bot
            self.groupable = groupable
            self.tmid = tmid
            self.customFields = customFields
        }
    }

    /// An integration's defaults for alias, avatar and emoji (`chat.postMessage` has none).
    public struct Defaults: Sendable, Equatable {
        public var alias = ""
        public var avatar = ""
        public var emoji = ""

        public init(alias: String = "", avatar: String = "", emoji: String = "") {
            self.alias = alias
            self.avatar = avatar
            self.emoji = emoji
        }
    }

    public let msg: String
    public let alias: String
    public let emoji: String?
    public let avatar: String?
    /// As stored: each attachment's `msg` moved to a trimmed `text`, each field's `value` made text.
    public let attachments: [JSONValue]
    public let parseUrls: Bool
    public let groupable: Bool
    public let bot: JSONValue?
    public let tmid: String?
    public let customFields: JSONValue?

    /// `validateMessage`'s check of the message's own fields (the avatar must be an href), which it makes before
    /// asking for the impersonation permission.
    public let fieldsError: MessageError?
    /// Whether the message sets an alias or an avatar, for which the poster needs `message-impersonate`.
    public let impersonates: Bool
    /// `validateMessage`'s checks after the impersonation permission: the attachments', then the custom fields'
    /// (refused, as with Rocket.Chat's default `Message_CustomFields_Enabled` false).
    public let contentError: MessageError?

    public init(_ payload: Payload, defaults: Defaults = Defaults()) {
        let alias = [payload.alias, defaults.alias].compactMap { $0 }.first { !$0.isEmpty } ?? ""
        var attachments = (payload.attachments ?? []).map(Self.movingMessageToText)
        var emoji: String?
        var avatar: String?
        if let given = payload.avatar, !given.isEmpty {
            avatar = given
        } else if let given = payload.emoji, !given.isEmpty {
            emoji = given
        } else if !defaults.avatar.isEmpty {
            avatar = defaults.avatar
        } else if !defaults.emoji.isEmpty {
            emoji = defaults.emoji
        }
        msg = (payload.text.flatMap { $0.isEmpty ? nil : $0 } ?? "").trimmed
        self.alias = alias
        self.emoji = emoji
        self.avatar = avatar
        parseUrls = payload.parseUrls ?? (payload.attachments == nil)
        groupable = payload.groupable ?? false
        bot = payload.bot
        tmid = payload.tmid
        customFields = payload.customFields
        fieldsError = avatar.flatMap { MessageRules.partialURLError($0) }
        impersonates = !alias.isEmpty || avatar != nil
        var contentError = MessageRules.validate(&attachments)
        if contentError == nil, let customFields, customFields.isTruthy {
            contentError = MessageError("Custom fields not enabled")
        }
        self.contentError = contentError
        self.attachments = attachments
    }

    /// `if (attachment.msg) { attachment.text = trim(attachment.msg); delete attachment.msg; }`, for a text `msg`.
    private static func movingMessageToText(_ attachment: JSONValue) -> JSONValue {
        guard case .string(let text) = attachment["msg"], !text.isEmpty else { return attachment }
        return attachment.setting("text", .string(text.trimmed)).removing("msg")
    }
}

extension WebhookMessage.Payload {
    /// The UTF-16 length of the text as sent, `nil` when empty (what `Message_MaxAllowedSize` is compared with:
    /// Rocket.Chat's `text && text.length > max`).
    public var textLength: Int? {
        text.flatMap { $0.isEmpty ? nil : $0.utf16.count }
    }

    /// The longest length of an attachment's `text` as sent (UTF-16 units, or elements for an array), `nil` when
    /// none has one.
    public var longestAttachmentText: Int? {
        (attachments ?? []).compactMap { attachment -> Int? in
            switch attachment["text"] {
            case .string(let text) where !text.isEmpty: text.utf16.count
            case .array(let elements): elements.count
            default: nil
            }
        }.max()
    }
}
