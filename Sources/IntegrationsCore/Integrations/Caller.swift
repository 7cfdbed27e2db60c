/// The authenticated user a request acts for, with its integration permissions.
public struct Caller: Sendable, Equatable {
    public let id: String
    public let username: String
    public let permissions: Set<IntegrationPermission>

    public init(id: String, username: String, permissions: Set<IntegrationPermission>) {
        self.id = id
        self.username = username
        self.permissions = permissions
    }

    public func has(_ permission: IntegrationPermission) -> Bool {
        permissions.contains(permission)
    }
}

/// The four permissions that govern integrations (spec 3.8).
public enum IntegrationPermission: String, Sendable, CaseIterable {
    case manageIncoming = "manage-incoming-integrations"
    case manageOwnIncoming = "manage-own-incoming-integrations"
    case manageOutgoing = "manage-outgoing-integrations"
    case manageOwnOutgoing = "manage-own-outgoing-integrations"
}
