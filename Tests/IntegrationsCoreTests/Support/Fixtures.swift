import IntegrationsCore

/// The users, rooms, callers and bodies the integration rule tests share: a small Rocket.Chat with `rocket.cat`,
/// a caller who is in `#general` and `#own-room` but not in `#foreign-room`, and two more users.
enum Fixtures {
    typealias User = FakeIntegrationDirectory.User
    typealias Room = FakeIntegrationDirectory.Room

    static let rocketCat = User(id: "rocket.cat", username: "rocket.cat")
    static let callerUser = User(id: "CallerId000000001", username: "caller")
    static let poster = User(id: "PosterId000000001", username: "poster")
    static let stranger = User(id: "StrangerId0000001", username: "stranger")

    static let general = Room(id: "GENERAL", name: "general", members: [callerUser.id, stranger.id])
    static let ownRoom = Room(id: "OwnRoomId00000001", name: "own-room", members: [callerUser.id])
    static let foreignRoom = Room(id: "ForeignRoomId0001", name: "foreign-room", members: [stranger.id])

    /// A fresh directory of the fixtures' users and rooms (each test records its own lookups).
    static func directory(extraSubscriptions: [(userId: String, roomId: String)] = [], failing: Bool = false) -> FakeIntegrationDirectory {
        FakeIntegrationDirectory(
            users: [rocketCat, callerUser, poster, stranger],
            rooms: [general, ownRoom, foreignRoom],
            extraSubscriptions: extraSubscriptions,
            failing: failing
        )
    }

    /// The caller with exactly these permissions.
    static func caller(_ permissions: Set<IntegrationPermission>) -> Caller {
        Caller(id: callerUser.id, username: callerUser.username, permissions: permissions)
    }

    /// The caller with all four permissions, as Rocket.Chat's `admin` role has them.
    static let admin = Caller(id: callerUser.id, username: callerUser.username, permissions: Set(IntegrationPermission.allCases))

    static let stamp = IntegrationFactory.Stamp(id: "NewIntegrationId1", now: "2024-01-10T14:12:07.739Z")
    static let updatedAt = "2024-02-01T10:00:00.000Z"

    /// `_createdBy` / `_updatedBy` of the fixtures' caller.
    static let callerStamp: JSONValue = ["_id": "CallerId000000001", "username": "caller"]

    /// The body of Rocket.Chat's incoming end-to-end suite.
    static let incoming: JSONValue = [
        "type": "webhook-incoming", "name": "Incoming test", "enabled": true, "alias": "test", "username": "rocket.cat",
        "scriptEnabled": false, "channel": "#general",
    ]

    /// The "Guggy" body of Rocket.Chat's outgoing end-to-end suite.
    static let guggy: JSONValue = [
        "type": "webhook-outgoing", "name": "Guggy", "enabled": true, "alias": "guggy", "username": "rocket.cat",
        "urls": ["http://text2gif.guggy.com/guggify"], "scriptEnabled": false, "event": "sendMessage", "channel": "#general",
        "triggerWords": ["!guggy"], "avatar": "https://example.com/guggy.png", "emoji": ":ghost:",
    ]
}
