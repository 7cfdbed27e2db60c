/// The events an outgoing integration fires on, and which fields each one uses (Rocket.Chat's `outgoingEvents`).
public enum OutgoingEvent: String, Sendable, CaseIterable {
    case sendMessage, fileUploaded, roomArchived, roomCreated, roomJoined, roomLeft, userCreated

    /// Whether the integration is bound to channels (`channel`); the others fire everywhere.
    public var usesChannel: Bool {
        switch self {
        case .sendMessage, .fileUploaded, .roomJoined, .roomLeft: true
        case .roomArchived, .roomCreated, .userCreated: false
        }
    }

    /// Whether `triggerWords` apply.
    public var usesTriggerWords: Bool { self == .sendMessage }

    /// Whether a `targetRoom` is required.
    public var usesTargetRoom: Bool { self == .userCreated }
}
