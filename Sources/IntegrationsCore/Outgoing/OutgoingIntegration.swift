/// What the delivery engine reads of an outgoing integration's stored document (Rocket.Chat's
/// `IOutgoingIntegration`): read once per attempt from the document as it is at that moment, so that a change
/// made between retries (disabled, another retry policy) applies to the next attempt, as in Rocket.Chat.
public struct OutgoingIntegration: Sendable, Equatable {
    public var id: String
    public var enabled: Bool
    public var token: String?
    /// The user replies are posted as (`username`).
    public var username: String?
    public var alias: String?
    public var avatar: String?
    public var emoji: String?
    public var retryFailedCalls: Bool
    /// Attempts after the first; Rocket.Chat's `retryCount` (a JavaScript number, truthy when not 0).
    public var retryCount: Int
    /// The stored `retryDelay`, lower-cased as Rocket.Chat compares it; nil when absent.
    public var retryDelay: String?
    public var scriptEnabled: Bool
    public var script: String?
    public var impersonateUser: Bool
    public var targetRoom: String?

    /// Reads the fields from the stored document; nil when it is not an outgoing integration.
    public init?(document: JSONValue) {
        guard document["type"]?.stringValue == IntegrationKind.outgoing.rawValue, let id = document["_id"]?.stringValue else { return nil }
        self.id = id
        enabled = document["enabled"] == .bool(true)
        token = document["token"]?.stringValue
        username = document["username"]?.stringValue
        alias = document["alias"]?.stringValue
        avatar = document["avatar"]?.stringValue
        emoji = document["emoji"]?.stringValue
        retryFailedCalls = document["retryFailedCalls"]?.isTruthy ?? false
        retryCount = Self.integer(document["retryCount"])
        retryDelay = document["retryDelay"]?.stringValue?.lowercased()
        scriptEnabled = document["scriptEnabled"] == .bool(true)
        script = document["script"]?.stringValue
        impersonateUser = document["impersonateUser"] == .bool(true)
        targetRoom = document["targetRoom"]?.stringValue
    }

    /// Whether Rocket.Chat would try to run a script for this integration: enabled, with a non-blank source.
    public var hasScript: Bool {
        scriptEnabled && !(script ?? "").trimmed.isEmpty
    }

    /// A stored number as an attempt count: integral part, clamped to 0…1000 (the validation at create and
    /// update keeps stored values positive integers; imported documents may hold anything).
    private static func integer(_ value: JSONValue?) -> Int {
        guard case .number(let literal) = value, let number = Double(literal), number.isFinite else { return 0 }
        return Int(min(max(number.rounded(.towardZero), 0), 1000))
    }
}
