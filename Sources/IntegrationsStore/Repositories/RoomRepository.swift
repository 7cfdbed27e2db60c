import LibPQ

/// Rooms and membership, as far as integrations need them (Rocket.Chat's `channels.*` and `groups.create`).
public struct RoomRepository: Sendable {
    let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// Rocket.Chat's room types.
    public enum RoomType: String, Sendable {
        /// A public channel.
        case channel = "c"
        /// A private group.
        case group = "p"
    }

    /// What a room statement found; the room document as JSON text when it succeeded.
    public enum Outcome: Sendable, Equatable {
        case unauthenticated
        case forbidden
        case duplicateName
        case notFound
        case notMember
        case room(String)
    }

    /// Creates a room owned by the caller, with the caller and the named users as members.
    public func create(
        userId: String,
        hashedToken: String,
        id: String,
        name: String,
        type: RoomType,
        readOnly: Bool,
        memberUsernames: [String]
    ) async throws(StoreError) -> Outcome {
        let members = PostgresArray.literal(memberUsernames)
        do {
            return try Self.outcome(
                try await pool.run(Statements.createRoom, [userId, hashedToken, id, name, type.rawValue, readOnly ? "true" : "false", members])
            )
        } catch {
            // Two creations of one name at once: the unique index refuses the second.
            guard error.kind == .conflict else { throw error }
            return .duplicateName
        }
    }

    /// The public room with this id, or else this name.
    public func info(userId: String, hashedToken: String, roomId: String?, roomName: String?) async throws(StoreError) -> Outcome {
        try Self.outcome(try await pool.run(Statements.roomInfo, [userId, hashedToken, roomId, roomName, RoomType.channel.rawValue]))
    }

    public func join(userId: String, hashedToken: String, roomId: String) async throws(StoreError) -> Outcome {
        try Self.outcome(try await pool.run(Statements.joinRoom, [userId, hashedToken, roomId]))
    }

    public func leave(userId: String, hashedToken: String, roomId: String) async throws(StoreError) -> Outcome {
        try Self.outcome(try await pool.run(Statements.leaveRoom, [userId, hashedToken, roomId]))
    }

    private static func outcome(_ result: QueryResult) throws(StoreError) -> Outcome {
        switch result.string(row: 0, column: 0) {
        case "ok": return .room(result.string(row: 0, column: 1) ?? "{}")
        case "unauthenticated": return .unauthenticated
        case "forbidden": return .forbidden
        case "duplicate": return .duplicateName
        case "not-found": return .notFound
        case "not-member": return .notMember
        case let other: throw StoreError(PostgresError(.unexpectedResult, message: "room statement returned \(other ?? "NULL")"))
        }
    }
}
