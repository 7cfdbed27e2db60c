/// The lookups the integration rules need (users, rooms, membership), answered by the store inside the
/// transaction that writes the integration.
public protocol IntegrationDirectory {
    /// The id of the user with exactly this username.
    func userId(username: String) throws -> String?
    /// The id of the user with this id or username (an `@name` channel).
    func userId(idOrUsername: String) throws -> String?
    /// The id of the room with this id or name (a `#name` channel).
    func roomId(idOrName: String) throws -> String?
    /// Whether the user is a member of the room.
    func isSubscribed(userId: String, roomId: String) throws -> Bool
}
