import IntegrationsCore

/// An in-memory ``IntegrationDirectory`` holding the users, rooms and memberships a test gives it. It answers as
/// the store's SQL does (a username matches exactly; `#x` matches a room's id or name, `@x` a user's id or
/// username) and records every lookup in order, so a test can assert which checks come before which.
final class FakeIntegrationDirectory: IntegrationDirectory {
    struct User: Sendable {
        let id: String
        let username: String
    }

    struct Room: Sendable {
        let id: String
        let name: String
        /// The ids of the users subscribed to the room.
        let members: [String]
    }

    /// One question the integration rules asked.
    enum Lookup: Equatable, CustomStringConvertible {
        case userByUsername(String)
        case userByIdOrUsername(String)
        case roomByIdOrName(String)
        case subscription(userId: String, roomId: String)

        var description: String {
            switch self {
            case .userByUsername(let username): "user named \(username)"
            case .userByIdOrUsername(let key): "user \(key) by id or username"
            case .roomByIdOrName(let key): "room \(key) by id or name"
            case .subscription(let userId, let roomId): "subscription of \(userId) to \(roomId)"
            }
        }
    }

    /// What a failing database throws.
    struct Failure: Error, Equatable {}

    let users: [User]
    let rooms: [Room]
    /// Memberships beyond the rooms' members, keyed by any id: Rocket.Chat checks a subscription to an `@user`
    /// channel with the user's id in place of a room id.
    let extraSubscriptions: [(userId: String, roomId: String)]
    /// When true, every lookup throws ``Failure``.
    let failing: Bool
    /// The lookups asked so far, in order.
    private(set) var lookups: [Lookup] = []

    init(users: [User] = [], rooms: [Room] = [], extraSubscriptions: [(userId: String, roomId: String)] = [], failing: Bool = false) {
        self.users = users
        self.rooms = rooms
        self.extraSubscriptions = extraSubscriptions
        self.failing = failing
    }

    func userId(username: String) throws -> String? {
        try record(.userByUsername(username))
        return users.first { $0.username == username }?.id
    }

    func userId(idOrUsername: String) throws -> String? {
        try record(.userByIdOrUsername(idOrUsername))
        return users.first { $0.id == idOrUsername || $0.username == idOrUsername }?.id
    }

    func roomId(idOrName: String) throws -> String? {
        try record(.roomByIdOrName(idOrName))
        return rooms.first { $0.id == idOrName || $0.name == idOrName }?.id
    }

    func isSubscribed(userId: String, roomId: String) throws -> Bool {
        try record(.subscription(userId: userId, roomId: roomId))
        return rooms.contains { $0.id == roomId && $0.members.contains(userId) }
            || extraSubscriptions.contains { $0.userId == userId && $0.roomId == roomId }
    }

    private func record(_ lookup: Lookup) throws {
        lookups.append(lookup)
        if failing { throw Failure() }
    }
}
