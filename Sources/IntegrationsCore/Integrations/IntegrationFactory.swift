import Foundation

/// Rocket.Chat's `addIncomingIntegration` and `addOutgoingIntegration`: the checks in Rocket.Chat's order with its
/// exact errors, and the document they store. Scripts are stored, not compiled or run.
public enum IntegrationFactory {
    /// A validated integration, ready to be inserted.
    public struct NewIntegration: Sendable {
        public let document: JSONValue
        /// The "post as" user; an incoming integration gives it the `bot` role, as Rocket.Chat does.
        public let postAsUserId: String
    }

    /// What the factory stamps on a new document.
    public struct Stamp: Sendable {
        public let id: String
        public let now: String
        public init(id: String = RandomToken.id(), now: String = RocketChatDate.now()) {
            self.id = id
            self.now = now
        }
    }

    static let scopedChannels = ["all_public_channels", "all_private_groups", "all_direct_messages"]

    // MARK: Incoming

    public static func incoming(
        _ body: JSONValue,
        caller: Caller,
        directory: some IntegrationDirectory,
        stamp: Stamp = Stamp()
    ) throws -> NewIntegration {
        let method = "addIncomingIntegration"
        guard caller.has(.manageIncoming) || caller.has(.manageOwnIncoming) else {
            throw MeteorError("not_authorized", "Unauthorized", method: method)
        }
        guard let channel = body["channel"]?.stringValue, !channel.trimmed.isEmpty else {
            throw MeteorError("error-invalid-channel", "Invalid channel", method: method)
        }
        let channels = channel.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmed }
        for channel in channels where !(channel.hasPrefix("@") || channel.hasPrefix("#")) {
            // Rocket.Chat names the update method here.
            throw MeteorError("error-invalid-channel-start-with-chars", "Invalid channel. Start with @ or #", method: "updateIncomingIntegration")
        }
        guard let username = body["username"]?.stringValue, !username.trimmed.isEmpty else {
            throw MeteorError("error-invalid-username", "Invalid username", method: method)
        }
        guard let postAsUserId = try directory.userId(username: username) else {
            throw MeteorError("error-invalid-user", "Invalid user", method: method)
        }
        let mayUseAnyRoom = caller.has(.manageIncoming) && caller.has(.manageOwnIncoming)
        for channel in channels {
            guard let recordId = try record(of: channel, in: directory) else {
                throw MeteorError("error-invalid-room", "Invalid room", method: method)
            }
            if !mayUseAnyRoom, try !directory.isSubscribed(userId: caller.id, roomId: recordId) {
                throw MeteorError("error-invalid-channel", "Invalid Channel", method: method)
            }
        }
        let document =
            body
            .setting("scriptEngine", body["scriptEngine"] ?? .string("isolated-vm"))
            .setting("type", .string("webhook-incoming"))
            .setting("channel", .array(channels.map(JSONValue.string)))
            .setting("overrideDestinationChannelEnabled", body["overrideDestinationChannelEnabled"] ?? .bool(false))
            .setting("token", .string(RandomToken.id(count: 48)))
            .setting("userId", .string(postAsUserId))
            .stamped(stamp, createdBy: caller)
        return NewIntegration(document: document, postAsUserId: postAsUserId)
    }

    // MARK: Outgoing

    public static func outgoing(
        _ body: JSONValue,
        caller: Caller,
        directory: some IntegrationDirectory,
        stamp: Stamp = Stamp()
    ) throws -> NewIntegration {
        guard caller.has(.manageOutgoing) || caller.has(.manageOwnOutgoing) else {
            throw MeteorError("not_authorized")
        }
        let validated = try validateOutgoing(body, caller: caller, directory: directory)
        let document = validated.integration
            .setting("scriptEngine", body["scriptEngine"] ?? .string("isolated-vm"))
            .setting("type", .string("webhook-outgoing"))
            .setting("channel", .array(validated.channels.map(JSONValue.string)))
            .setting("userId", .string(validated.postAsUserId))
            .stamped(stamp, createdBy: caller)
        return NewIntegration(document: document, postAsUserId: validated.postAsUserId)
    }

    /// Rocket.Chat's `validateOutgoingIntegration`, shared by create and update: the checked and normalised
    /// body, its channels and the "post as" user.
    public static func validateOutgoing(
        _ body: JSONValue,
        caller: Caller,
        directory: some IntegrationDirectory
    ) throws -> (integration: JSONValue, channels: [String], postAsUserId: String) {
        var integration = body
        if let channel = integration["channel"]?.stringValue, channel.trimmed.isEmpty {
            integration = integration.removing("channel")
        }
        let required = "validateOutgoing._verifyRequiredFields"
        guard let eventName = integration["event"]?.stringValue, let event = OutgoingEvent(rawValue: eventName) else {
            throw MeteorError("error-invalid-event-type", "Invalid event type", function: required)
        }
        guard let username = integration["username"]?.stringValue, !username.trimmed.isEmpty else {
            throw MeteorError("error-invalid-username", "Invalid username", function: required)
        }
        if event.usesTargetRoom, integration["targetRoom"]?.isTruthy != true {
            throw MeteorError("error-invalid-targetRoom", "Invalid Target Room", function: required)
        }
        guard let urls = integration["urls"]?.arrayValue?.compactMap(\.stringValue),
            urls.count == integration["urls"]?.arrayValue?.count
        else { throw MeteorError("error-invalid-urls", "Invalid URLs", function: required) }
        let keptURLs = urls.filter { !$0.trimmed.isEmpty }
        guard !keptURLs.isEmpty else { throw MeteorError("error-invalid-urls", "Invalid URLs", function: required) }
        integration = integration.setting("urls", .array(keptURLs.map(JSONValue.string)))

        var channels: [String] = []
        if event.usesChannel {
            guard let channel = integration["channel"]?.stringValue else {
                throw MeteorError("error-invalid-channel", "Invalid Channel", function: "validateOutgoing")
            }
            channels = channel.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
            for channel in channels
            where !(channel.hasPrefix("@") || channel.hasPrefix("#") || scopedChannels.contains(channel.lowercased())) {
                throw MeteorError("error-invalid-channel-start-with-chars", "Invalid channel. Start with @ or #", function: "validateOutgoing")
            }
        } else if !caller.has(.manageOutgoing) {
            throw MeteorError("error-invalid-permissions", "Invalid permission for required Integration creation.", function: "validateOutgoing")
        }
        guard let postAsUserId = try directory.userId(username: username) else {
            throw MeteorError("error-invalid-user", "Invalid user (did you delete the `rocket.cat` user?)", function: "validateOutgoing")
        }

        if event.usesTriggerWords, let triggerWords = integration["triggerWords"], triggerWords.isTruthy {
            guard let words = triggerWords.arrayValue?.compactMap(\.stringValue), words.count == triggerWords.arrayValue?.count else {
                throw MeteorError("error-invalid-triggerWords", "Invalid triggerWords", function: "validateOutgoing")
            }
            integration = integration.setting("triggerWords", .array(words.filter { !$0.trimmed.isEmpty }.map(JSONValue.string)))
        } else {
            integration = integration.removing("triggerWords")
        }
        if let runOnEdits = integration["runOnEdits"] {
            integration = integration.setting("runOnEdits", .bool(runOnEdits == .bool(true)))
        }

        let channelCheck = "validateOutgoing._verifyUserHasPermissionForChannels"
        let mayUseAnyRoom = caller.has(.manageOutgoing) && caller.has(.manageOwnOutgoing)
        for channel in channels {
            if scopedChannels.contains(channel) {
                if channel != "all_public_channels", !caller.has(.manageOutgoing) {
                    throw MeteorError("error-invalid-channel", "Invalid Channel", function: channelCheck)
                }
                continue
            }
            guard let recordId = try record(of: channel, in: directory) else {
                throw MeteorError("error-invalid-room", "Invalid room", function: channelCheck)
            }
            if !mayUseAnyRoom, try !directory.isSubscribed(userId: caller.id, roomId: recordId) {
                throw MeteorError("error-invalid-channel", "Invalid Channel", function: channelCheck)
            }
        }

        if integration["retryFailedCalls"]?.isTruthy == true {
            let count = integration["retryCount"].flatMap(leadingInteger) ?? 0
            integration = integration.setting("retryCount", .number(String(count > 0 ? count : 4)))
            let delay = integration["retryDelay"]?.stringValue ?? ""
            integration = integration.setting("retryDelay", .string(delay.trimmed.isEmpty ? "powers-of-ten" : delay.lowercased()))
        }
        return (integration, channels, postAsUserId)
    }

    /// The room (`#id-or-name`) or user (`@id-or-username`) a channel entry names; a user's id stands in for a
    /// room id in the membership check, as in Rocket.Chat (so `@user` needs both permissions).
    private static func record(of channel: String, in directory: some IntegrationDirectory) throws -> String? {
        let name = String(channel.dropFirst())
        switch channel.first {
        case "#": return try directory.roomId(idOrName: name)
        case "@": return try directory.userId(idOrUsername: name)
        default: return nil
        }
    }

    /// JavaScript's `parseInt(String(value))` for a number or string: the leading integer, if any. A number is
    /// a double, which `String` writes in decimals from 1e-6 up to 1e21 (`1e3` is `1000`, so 1000; `0.5` is 0)
    /// and with an exponent beyond (`1e-7`, `1e+21`), of which `parseInt` reads the leading digit (1). Past
    /// Int's range (9.2e18 to 1e21), where JavaScript would keep the double, this answers Int's bound.
    private static func leadingInteger(_ value: JSONValue) -> Int? {
        let text: String
        switch value {
        case .number(let literal):
            guard let number = Double(literal), number.isFinite else { return nil }
            let magnitude = number.magnitude
            if magnitude == 0 { return 0 }
            if magnitude >= 1e-6, magnitude < 1e21 {
                guard magnitude < 9.2e18 else { return number < 0 ? Int.min : Int.max }
                return Int(number.rounded(.towardZero))
            }
            // Swift's shortest form has the same leading digit as JavaScript's (`1e-07`, `2.5e+30`).
            text = "\(number)"
        case .string(let string): text = string.trimmed
        default: return nil
        }
        var digits = Substring(text)
        let negative = digits.first == "-"
        if negative || digits.first == "+" { digits = digits.dropFirst() }
        let prefix = digits.prefix { $0.isASCII && $0.isNumber }.prefix(18)
        guard let magnitude = Int(prefix) else { return nil }
        return negative ? -magnitude : magnitude
    }
}

extension JSONValue {
    /// Sets `_id`, `_createdAt`, `_createdBy` and `_updatedAt` of a new document.
    fileprivate func stamped(_ stamp: IntegrationFactory.Stamp, createdBy caller: Caller) -> JSONValue {
        self
            .setting("_createdAt", .string(stamp.now))
            .setting("_createdBy", .object([("_id", .string(caller.id)), ("username", .string(caller.username))]))
            .setting("_id", .string(stamp.id))
            .setting("_updatedAt", .string(stamp.now))
    }
}
