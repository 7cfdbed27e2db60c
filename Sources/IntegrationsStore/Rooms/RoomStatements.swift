import LibPQ

/// The SQL of ``RoomRepository``: `channels.create` / `groups.create`, `channels.info`, `.join` and `.leave`,
/// one statement each.
enum RoomStatements {
    static let all: [PreparedStatement] = [create, info, join, leave]

    /// `channels.create` / `groups.create` in one statement: authenticates (`$1`, `$2`), requires `create-c` or
    /// `create-p` for type `$5`, refuses a taken name `$4`, inserts room `$3` (read-only `$6`) with the caller
    /// as owner, and subscribes the caller (with the room role `owner`, as Rocket.Chat's `createRoom`) and the
    /// users named in `$7`.
    static let create = PreparedStatement(
        name: "create_room",
        sql: """
            WITH \(SQLFragment.callerAndGrants),
            verdict AS (
                SELECT CASE
                    WHEN NOT EXISTS (SELECT 1 FROM caller) THEN \(Refusal.unauthenticated.literal)
                    WHEN NOT EXISTS (
                        SELECT 1 FROM caller c JOIN permissions p
                            ON p.id = CASE WHEN $5::text = 'c' THEN 'create-c' ELSE 'create-p' END AND p.roles && c.roles
                    ) THEN \(Refusal.forbidden.literal)
                    WHEN EXISTS (SELECT 1 FROM rooms WHERE name = $4::text AND type <> 'd') THEN \(Refusal.duplicateName.literal)
                    ELSE \(Verdict.okLiteral) END AS outcome
            ),
            inserted AS (
                INSERT INTO rooms (id, name, type, read_only, creator_id, creator_username)
                SELECT $3::text, $4::text, $5::text, $6::boolean, u.id, u.username
                FROM caller c JOIN users u ON u.id = c.id, verdict
                WHERE verdict.outcome = \(Verdict.okLiteral)
                RETURNING *
            ),
            members AS (
                INSERT INTO subscriptions (room_id, user_id, roles)
                SELECT i.id, u.id, CASE WHEN u.id = i.creator_id THEN '{owner}'::text[] ELSE '{}' END FROM inserted i, users u
                WHERE u.id = i.creator_id OR u.username = ANY ($7::text[])
                ON CONFLICT DO NOTHING
                RETURNING user_id
            )
            SELECT outcome, (SELECT \(roomJSON(usersCount: "(SELECT count(*) FROM members)")) FROM inserted r)
            FROM verdict
            """,
        isIdempotent: false
    )

    /// `channels.info`: the room of type `$5` with id `$3` or name `$4`, for an authenticated caller.
    static let info = PreparedStatement(
        name: "room_info",
        sql: """
            WITH \(SQLFragment.callerAndGrants)
            SELECT
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN \(Refusal.unauthenticated.literal)
                     WHEN r.id IS NULL THEN \(Refusal.notFound.literal) ELSE \(Verdict.okLiteral) END,
                CASE WHEN r.id IS NOT NULL THEN \(roomJSON(usersCount: members)) END
            FROM (SELECT 1) AS one
            LEFT JOIN rooms r ON r.type = $5::text AND (r.id = $3::text OR ($3::text IS NULL AND r.name = $4::text))
            """,
        isIdempotent: true,
        isReadOnly: true
    )

    /// `channels.join`: subscribes the caller to public room `$3`.
    static let join = PreparedStatement(
        name: "join_room",
        sql: """
            WITH \(SQLFragment.callerAndGrants),
            target AS (SELECT r.* FROM rooms r WHERE r.id = $3::text AND r.type = 'c'),
            joined AS (
                INSERT INTO subscriptions (room_id, user_id)
                SELECT t.id, c.id FROM target t, caller c
                ON CONFLICT DO NOTHING
                RETURNING user_id
            )
            SELECT
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN \(Refusal.unauthenticated.literal)
                     WHEN NOT EXISTS (SELECT 1 FROM target) THEN \(Refusal.notFound.literal) ELSE \(Verdict.okLiteral) END,
                (SELECT \(roomJSON(usersCount: "\(members) + (SELECT count(*) FROM joined)")) FROM target r)
            """,
        isIdempotent: true
    )

    /// `channels.leave`: removes the caller's subscription to public room `$3`.
    static let leave = PreparedStatement(
        name: "leave_room",
        sql: """
            WITH \(SQLFragment.callerAndGrants),
            target AS (SELECT r.* FROM rooms r WHERE r.id = $3::text AND r.type = 'c'),
            left_room AS (
                DELETE FROM subscriptions s USING target t, caller c
                WHERE s.room_id = t.id AND s.user_id = c.id
                RETURNING s.user_id
            )
            SELECT
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN \(Refusal.unauthenticated.literal)
                     WHEN NOT EXISTS (SELECT 1 FROM target) THEN \(Refusal.notFound.literal)
                     WHEN NOT EXISTS (SELECT 1 FROM left_room) THEN \(Refusal.notMember.literal) ELSE \(Verdict.okLiteral) END,
                (SELECT \(roomJSON(usersCount: "\(members) - (SELECT count(*) FROM left_room)")) FROM target r)
            """,
        isIdempotent: false
    )

    /// The number of members of the room row aliased `r`, before the statement's own change.
    private static let members = "(SELECT count(*) FROM subscriptions s WHERE s.room_id = r.id)"

    /// A room row aliased `r` as Rocket.Chat's room document, with `usersCount` given as an expression.
    private static func roomJSON(usersCount: String) -> String {
        """
        json_build_object(
            '_id', r.id, 'name', r.name, 'fname', r.name, 't', r.type, 'msgs', 0, 'usersCount', \(usersCount),
            'u', json_build_object('_id', r.creator_id, 'username', r.creator_username), 'customFields', '{}'::json,
            'ts', \(SQLFragment.isoDate("r.created_at")), 'ro', r.read_only, 'default', r.is_default, 'sysMes', true,
            '_updatedAt', \(SQLFragment.isoDate("r.updated_at"))
        )::text
        """
    }
}
