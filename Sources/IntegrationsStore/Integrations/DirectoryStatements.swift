import LibPQ

/// The SQL of ``TransactionDirectory``: the look-ups of the integration rules, run inside the transaction of
/// `integrations.create` or `.update`.
enum DirectoryStatements {
    static let all: [PreparedStatement] = [callerProfile, userIdByUsername, userIdByIdOrUsername, roomIdByIdOrName, isSubscribed]

    /// The authenticated caller (`$1`, `$2`): id, username and its four integration permissions.
    static let callerProfile = PreparedStatement(
        name: "caller_profile",
        sql: """
            WITH \(SQLFragment.callerAndGrants)
            SELECT c.id, u.username, g.all_incoming, g.own_incoming, g.all_outgoing, g.own_outgoing
            FROM caller c JOIN users u ON u.id = c.id, grants g
            """,
        isIdempotent: true,
        isReadOnly: true
    )

    /// The user with exactly this username (MongoDB's equality is case-sensitive).
    static let userIdByUsername = PreparedStatement(
        name: "user_id_by_username",
        sql: "SELECT id FROM users WHERE username = $1",
        isIdempotent: true,
        isReadOnly: true
    )

    static let userIdByIdOrUsername = PreparedStatement(
        name: "user_id_by_id_or_username",
        sql: "SELECT id FROM users WHERE id = $1 OR username = $1 ORDER BY id = $1 DESC LIMIT 1",
        isIdempotent: true,
        isReadOnly: true
    )

    static let roomIdByIdOrName = PreparedStatement(
        name: "room_id_by_id_or_name",
        sql: "SELECT id FROM rooms WHERE id = $1 OR name = $1 ORDER BY id = $1 DESC LIMIT 1",
        isIdempotent: true,
        isReadOnly: true
    )

    static let isSubscribed = PreparedStatement(
        name: "is_subscribed",
        sql: "SELECT EXISTS (SELECT 1 FROM subscriptions WHERE room_id = $1 AND user_id = $2)",
        isIdempotent: true,
        isReadOnly: true
    )
}
