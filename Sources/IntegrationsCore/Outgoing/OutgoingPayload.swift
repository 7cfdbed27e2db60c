/// The body an outgoing integration POSTs for an event (Rocket.Chat's `mapEventArgsToData`): starts as
/// `{token, bot: false}`, adds `trigger_word` when one matched, then the event's fields, in Rocket.Chat's order.
///
/// The event's documents come from its stored context, written with the event: `timestamp` (when it happened),
/// `room`, `user`, `owner` and `message`, each as Rocket.Chat's document. A context with `data` is a replay of a
/// recorded payload, sent as recorded but for the token, which is the integration's current one. Users never
/// carry `services` (this service stores none).
public enum OutgoingPayload {
    public static func data(
        event: OutgoingEvent,
        context: JSONValue,
        token: String?,
        triggerWord: String?,
        siteURL: String
    ) -> JSONValue {
        if let recorded = context["data"], case .object = recorded {
            // Rocket.Chat builds a replay's body anew, with the integration's token as it is now.
            guard let token else { return recorded.removing("token") }
            return recorded.setting("token", .string(token))
        }
        var data = JSONValue.object([])
        if let token { data = data.setting("token", .string(token)) }
        data = data.setting("bot", .bool(false))
        if let triggerWord { data = data.setting("trigger_word", .string(triggerWord)) }
        let room = context["room"] ?? .null
        let user = context["user"] ?? .null
        func set(_ key: String, _ value: JSONValue?) {
            // `undefined` members vanish from JSON.stringify's output.
            guard let value, value != .null else { return }
            data = data.setting(key, value)
        }
        switch event {
        case .sendMessage, .fileUploaded:
            let message = context["message"] ?? .null
            set("channel_id", room["_id"])
            set("channel_name", room["name"])
            set("message_id", message["_id"])
            set("timestamp", message["ts"])
            set("user_id", message["u"]?["_id"])
            set("user_name", message["u"]?["username"])
            set("text", message["msg"])
            if event == .sendMessage {
                set("siteUrl", .string(siteURL))
            } else {
                set("user", user)
                set("room", room)
                set("message", message)
            }
            if let alias = message["alias"], alias.isTruthy { set("alias", alias) }
            if let bot = message["bot"], bot.isTruthy { set("bot", bot) }
            if event == .sendMessage {
                if let edited = message["editedAt"], edited.isTruthy { set("isEdited", .bool(true)) }
                if let thread = message["tmid"], thread.isTruthy { set("tmid", thread) }
            }
        case .roomCreated:
            let owner = context["owner"] ?? .null
            set("channel_id", room["_id"])
            set("channel_name", room["name"])
            set("timestamp", room["ts"])
            set("user_id", owner["_id"])
            set("user_name", owner["username"])
            set("owner", owner)
            set("room", room)
        case .roomArchived, .roomJoined, .roomLeft:
            set("timestamp", context["timestamp"])
            set("channel_id", room["_id"])
            set("channel_name", room["name"])
            set("user_id", user["_id"])
            set("user_name", user["username"])
            set("user", user)
            set("room", room)
            if user["type"]?.stringValue == "bot" { set("bot", .bool(true)) }
        case .userCreated:
            set("timestamp", user["createdAt"])
            set("user_id", user["_id"])
            set("user_name", user["username"])
            set("user", user)
            if user["type"]?.stringValue == "bot" { set("bot", .bool(true)) }
        }
        return data
    }
}
