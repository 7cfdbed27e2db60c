/// One destination of `chat.postMessage` (a `channel` or `roomId` value), as Rocket.Chat's `processWebhookMessage`
/// and `getRoomByNameOrIdWithOptionToJoin` read it: `#name` or `#id` a room, `@username` or `@id` a direct message,
/// a bare value a room by id or name and else a direct message with the user of that id. The store looks the rooms
/// and users up, joins public rooms and creates missing direct messages.
public enum MessageDestination: Sendable, Equatable {
    /// `Rooms.findOneByIdOrName`: the room with this id, else the one with this name; none is `invalid-channel`,
    /// and so is a room that is not a direct message when `mustBeDirect`.
    case room(idOrName: String, mustBeDirect: Bool)
    /// The direct message of the poster and the user with this id (or, unless `byIdOnly`, this username), created
    /// when missing; when no user matches, the room with this id (which must be a direct message when `mustBeDirect`).
    case direct(user: String, byIdOnly: Bool, mustBeDirect: Bool)
    /// A value without prefix: the room with this id or name; failing that, the direct message with the user whose
    /// id is `userId` (the value without its first `@`), or the direct-message room of that id.
    case roomOrDirect(idOrName: String, userId: String)

    public init(channel: String) {
        let scalars = channel.unicodeScalars
        // `channel[0]` of "" is `undefined`, and `undefined + ''` the text "undefined", which Rocket.Chat then looks up.
        guard let first = scalars.first else {
            self = .roomOrDirect(idOrName: "undefined", userId: "undefined")
            return
        }
        let rest = String(String.UnicodeScalarView(scalars.dropFirst()))
        switch first {
        case "#": self = Self.lookUp(rest, direct: false)
        case "@": self = Self.lookUp(rest, direct: true)
        default: self = .roomOrDirect(idOrName: channel, userId: Self.removingFirstAt(channel))
        }
    }

    /// `getRoomByNameOrIdWithOptionToJoin` for a `nameOrId` and a type (`'d'` when `direct`): a further `#` is a
    /// room, a further `@` (or the type `'d'`) a direct message; its `nameOrId.replace('@', '')` removes the first `@`.
    private static func lookUp(_ nameOrId: String, direct: Bool) -> MessageDestination {
        let scalars = nameOrId.unicodeScalars
        if scalars.first == "#" {
            return .room(idOrName: String(String.UnicodeScalarView(scalars.dropFirst())), mustBeDirect: direct)
        }
        if scalars.first == "@" || direct {
            return .direct(user: removingFirstAt(nameOrId), byIdOnly: false, mustBeDirect: direct)
        }
        return .room(idOrName: nameOrId, mustBeDirect: false)
    }

    /// JavaScript's `value.replace('@', '')`: the first `@` removed, wherever it is.
    static func removingFirstAt(_ value: String) -> String {
        var scalars = value.unicodeScalars
        if let index = scalars.firstIndex(of: "@") { scalars.remove(at: index) }
        return String(scalars)
    }
}
