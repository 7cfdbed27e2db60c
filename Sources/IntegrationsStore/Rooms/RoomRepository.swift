import IntegrationsCore
import LibPQ

/// Rooms and membership, as far as integrations need them (Rocket.Chat's `channels.*` and `groups.create`).
public struct RoomRepository: Sendable {
    let pool: ConnectionPool
    let deliveries: DeliverySignal

    public init(pool: ConnectionPool, deliveries: DeliverySignal = .none) {
        self.pool = pool
        self.deliveries = deliveries
    }

    /// Rocket.Chat's room types.
    public enum RoomType: String, Sendable {
        /// A public channel.
        case channel = "c"
        /// A private group.
        case group = "p"
    }

    /// Creates a room owned by the caller, with the caller and the named users as members; returns the room
    /// document. Refusals: `unauthenticated`, `forbidden` (no `create-c` / `create-p`), `duplicateName`.
    public func create(
        userId: String,
        hashedToken: String,
        id: String,
        name: String,
        type: RoomType,
        readOnly: Bool,
        memberUsernames: [String]
    ) async throws(StoreError) -> Outcome<String> {
        let members = PostgresArray.literal(memberUsernames)
        do {
            return try await outcome(
                RoomStatements.create,
                [userId, hashedToken, id, name, type.rawValue, readOnly ? "true" : "false", members, RandomToken.id()]
            )
        } catch {
            // Two creations of one name at once: the unique index refuses the second.
            guard error.kind == .conflict else { throw error }
            return .refused(.duplicateName)
        }
    }

    /// The public room with this id, or else this name. Refusals: `unauthenticated`, `notFound`.
    public func info(userId: String, hashedToken: String, roomId: String?, roomName: String?) async throws(StoreError) -> Outcome<String> {
        try await outcome(RoomStatements.info, [userId, hashedToken, roomId, roomName, RoomType.channel.rawValue])
    }

    /// Subscribes the caller to a public room. Refusals: `unauthenticated`, `notFound`.
    public func join(userId: String, hashedToken: String, roomId: String) async throws(StoreError) -> Outcome<String> {
        try await outcome(RoomStatements.join, [userId, hashedToken, roomId, RandomToken.id()])
    }

    /// Unsubscribes the caller from a public room. Refusals: `unauthenticated`, `notFound`, `notMember`.
    public func leave(userId: String, hashedToken: String, roomId: String) async throws(StoreError) -> Outcome<String> {
        try await outcome(RoomStatements.leave, [userId, hashedToken, roomId, RandomToken.id()])
    }

    /// Archives a public room. Refusals: `unauthenticated`, `notFound`, `notAuthorized`; an archived room is
    /// rejected with Rocket.Chat's `error-room-archived`.
    public func archive(userId: String, hashedToken: String, roomId: String) async throws(StoreError) -> Outcome<Void> {
        let statement = RoomStatements.archive
        let result = try await pool.run(statement, [userId, hashedToken, roomId, RandomToken.id()])
        deliveries.enqueued(result.int(row: 0, column: 2))
        let verdict = try Verdict(result, of: statement)
        if verdict == .refused(.alreadyArchived) {
            return .rejected(MeteorError("error-room-archived", reason: "The channel, \(result.string(row: 0, column: 1) ?? ""), is archived"))
        }
        return verdict.outcome {}
    }

    /// The room document on success.
    private func outcome(_ statement: PreparedStatement, _ parameters: [String?]) async throws(StoreError) -> Outcome<String> {
        let result = try await pool.run(statement, parameters)
        if result.columnCount > 2 { deliveries.enqueued(result.int(row: 0, column: 2)) }
        return try Verdict(result, of: statement).outcome { result.string(row: 0, column: 1) ?? "{}" }
    }
}
