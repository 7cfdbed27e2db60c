/// What an incoming webhook call reads of its integration's stored document (Rocket.Chat's `IIncomingIntegration`).
public struct IncomingIntegration: Sendable, Equatable {
    public var id: String
    public var enabled: Bool
    public var token: String
    /// The user the hook posts as (`userId`; `username` as it was when the integration was saved).
    public var userId: String?
    public var username: String?
    /// The default destinations (`channel`: a list, or one value in older documents).
    public var channels: [String]
    public var alias: String?
    public var avatar: String?
    public var emoji: String?
    public var overrideDestinationChannelEnabled: Bool
    public var scriptEnabled: Bool
    public var script: String?

    /// Reads the fields from the stored document; nil when it is not an incoming integration with a token.
    public init?(_ document: JSONValue) {
        guard document["type"]?.stringValue == IntegrationKind.incoming.rawValue, let id = document["_id"]?.stringValue,
            let token = document["token"]?.stringValue
        else { return nil }
        self.id = id
        self.token = token
        enabled = document["enabled"] == .bool(true)
        userId = document["userId"]?.stringValue
        username = document["username"]?.stringValue
        switch document["channel"] {
        case .array(let values): channels = values.compactMap(\.stringValue)
        case .string(let value): channels = [value]
        default: channels = []
        }
        alias = document["alias"]?.stringValue
        avatar = document["avatar"]?.stringValue
        emoji = document["emoji"]?.stringValue
        overrideDestinationChannelEnabled = document["overrideDestinationChannelEnabled"] == .bool(true)
        scriptEnabled = document["scriptEnabled"] == .bool(true)
        script = document["script"]?.stringValue
    }

    /// Whether Rocket.Chat would run a script for this call: enabled, with a non-blank source.
    public var hasScript: Bool {
        scriptEnabled && !(script ?? "").trimmed.isEmpty
    }

    /// Whether `candidate` is this integration's token, compared in constant time.
    public func accepts(token candidate: String) -> Bool {
        ConstantTime.equal(token.utf8, candidate.utf8)
    }
}
