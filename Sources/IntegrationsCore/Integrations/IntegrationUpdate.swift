/// Rocket.Chat's `updateOutgoingIntegration` and `updateIncomingIntegration`: the checks in Rocket.Chat's order
/// with its exact errors, and the fields they change (`$set` / `$unset`), as a patch of the stored document.
public enum IntegrationUpdate {
    /// What the update rules need to know of the stored integration.
    public struct Current: Sendable {
        public let id: String
        public let createdBy: String?
        public let username: String?
        public let scriptEngine: String?

        public init(id: String, createdBy: String?, username: String?, scriptEngine: String?) {
            self.id = id
            self.createdBy = createdBy
            self.username = username
            self.scriptEngine = scriptEngine
        }
    }

    /// Top-level members to set and to remove.
    public struct Patch: Sendable {
        public let set: JSONValue
        public let unset: [String]
        /// A user to give the `bot` role (the "post as" user of an incoming integration).
        public let botUserId: String?
    }

    public static func outgoing(
        _ body: JSONValue,
        caller: Caller,
        current: Current,
        directory: some IntegrationDirectory,
        now: String = RocketChatDate.now()
    ) throws -> Patch {
        let method = "updateOutgoingIntegration"
        let validated = try IntegrationFactory.validateOutgoing(body, caller: caller, directory: directory)
        let integration = validated.integration
        guard let token = integration["token"]?.stringValue, !token.trimmed.isEmpty else {
            throw MeteorError("error-invalid-token", "Invalid token", method: method)
        }
        try checkPermission(caller: caller, current: current, manage: .manageOutgoing, manageOwn: .manageOwnOutgoing, method: method) {
            MeteorError("invalid_integration", reason: "[methods] updateOutgoingIntegration -> integration not found")
        }
        var set: [(key: String, value: JSONValue)] = []
        // `$set` of `undefined` leaves a field alone, as Rocket.Chat's driver does.
        for key in ["event", "enabled", "name", "avatar", "emoji", "alias"] {
            if let value = integration[key] { set.append((key, value)) }
        }
        set.append(("channel", .array(validated.channels.map(JSONValue.string))))
        for key in ["targetRoom", "impersonateUser", "username"] {
            if let value = integration[key] { set.append((key, value)) }
        }
        set.append(("userId", .string(validated.postAsUserId)))
        for key in ["urls", "token", "script", "scriptEnabled"] {
            if let value = integration[key] { set.append((key, value)) }
        }
        set.append(("scriptEngine", .string(body["scriptEngine"]?.stringValue ?? current.scriptEngine ?? "isolated-vm")))
        for key in ["triggerWords", "retryFailedCalls", "retryCount", "retryDelay", "triggerWordAnywhere", "runOnEdits"] {
            if let value = integration[key] { set.append((key, value)) }
        }
        set.append(contentsOf: stamp(now: now, caller: caller))
        // Scripts are not compiled here, so a stale compiled script is dropped as Rocket.Chat drops it.
        return Patch(set: .object(set), unset: ["scriptCompiled"], botUserId: nil)
    }

    public static func incoming(
        _ body: JSONValue,
        caller: Caller,
        current: Current,
        directory: some IntegrationDirectory,
        now: String = RocketChatDate.now()
    ) throws -> Patch {
        let method = "updateIncomingIntegration"
        guard let channel = body["channel"]?.stringValue, !channel.trimmed.isEmpty else {
            throw MeteorError("error-invalid-channel", "Invalid channel", method: method)
        }
        let channels = channel.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmed }
        for channel in channels where !(channel.hasPrefix("@") || channel.hasPrefix("#")) {
            throw MeteorError("error-invalid-channel-start-with-chars", "Invalid channel. Start with @ or #", method: method)
        }
        try checkPermission(caller: caller, current: current, manage: .manageIncoming, manageOwn: .manageOwnIncoming, method: method) {
            MeteorError("error-invalid-integration", "Invalid integration", method: method)
        }
        let mayUseAnyRoom = caller.has(.manageIncoming) && caller.has(.manageOwnIncoming)
        for channel in channels {
            let name = String(channel.dropFirst())
            let record = channel.hasPrefix("#") ? try directory.roomId(idOrName: name) : try directory.userId(idOrUsername: name)
            guard let record else { throw MeteorError("error-invalid-room", "Invalid room", method: method) }
            if !mayUseAnyRoom, try !directory.isSubscribed(userId: caller.id, roomId: record) {
                throw MeteorError("error-invalid-channel", "Invalid Channel", method: method)
            }
        }
        let username = body["username"] != nil ? body["username"]?.stringValue : current.username
        guard let username, let postAsUserId = try directory.userId(username: username) else {
            throw MeteorError("error-invalid-post-as-user", "Invalid Post As User", method: method)
        }
        var set: [(key: String, value: JSONValue)] = []
        for key in ["enabled", "name", "avatar", "emoji", "alias"] {
            if let value = body[key] { set.append((key, value)) }
        }
        set.append(("channel", .array(channels.map(JSONValue.string))))
        if body["username"] != nil {
            set.append(("username", .string(username)))
            set.append(("userId", .string(postAsUserId)))
        }
        for key in ["script", "scriptEnabled"] {
            if let value = body[key] { set.append((key, value)) }
        }
        set.append(("scriptEngine", .string(body["scriptEngine"]?.stringValue ?? current.scriptEngine ?? "isolated-vm")))
        if let override = body["overrideDestinationChannelEnabled"] { set.append(("overrideDestinationChannelEnabled", override)) }
        set.append(contentsOf: stamp(now: now, caller: caller))
        return Patch(set: .object(set), unset: [], botUserId: postAsUserId)
    }

    /// The "manage" permission covers any integration; the "own" one only the caller's; neither is `not_authorized`.
    private static func checkPermission(
        caller: Caller,
        current: Current,
        manage: IntegrationPermission,
        manageOwn: IntegrationPermission,
        method: String,
        notFound: () -> MeteorError
    ) throws {
        if caller.has(manage) { return }
        guard caller.has(manageOwn) else { throw MeteorError("not_authorized", "Unauthorized", method: method) }
        guard current.createdBy == caller.id else { throw notFound() }
    }

    private static func stamp(now: String, caller: Caller) -> [(key: String, value: JSONValue)] {
        [
            ("_updatedAt", .string(now)),
            ("_updatedBy", .object([("_id", .string(caller.id)), ("username", .string(caller.username))])),
        ]
    }
}
