import IntegrationsCore
import LibPQ

/// The SQL of ``RoomRepository``: `channels.create` / `groups.create`, `channels.info`, `.join` and `.leave`,
/// one statement each.
enum RoomStatements {
    static let all: [PreparedStatement] = [create, info, join, leave, archive]

    /// `channels.create` / `groups.create` in one statement: authenticates (`$1`, `$2`), requires `create-c` or
    /// `create-p` for type `$5`, refuses a taken name `$4`, inserts room `$3` (read-only `$6`) with the caller
    /// as owner, subscribes the caller (with the room role `owner`, as Rocket.Chat's `createRoom`) and the
    /// users named in `$7`, and enqueues the `roomCreated` deliveries (event id `$8`).
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
            ),
            \(OutboxFragment.enqueue(
                event: .roomCreated,
                eventId: "$8::text",
                source: "inserted r JOIN users owner ON owner.id = r.creator_id",
                buckets: "'{}'::text[]",
                context: """
                    jsonb_build_object('timestamp', \(SQLFragment.isoDate("now()")),
                        'room', \(SQLFragment.roomDocument("r", usersCount: "(SELECT count(*) FROM members)")),
                        'owner', \(SQLFragment.userDocument("owner", withEmails: "true")))
                    """
            ))
            SELECT outcome, (SELECT \(roomJSON(usersCount: "(SELECT count(*) FROM members)")) FROM inserted r), \(OutboxFragment.enqueuedCount)
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

    /// `channels.join`: subscribes the caller to public room `$3`; when the caller was not a member, enqueues the
    /// `roomJoined` deliveries (event id `$4`).
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
            ),
            \(membershipEvent(.roomJoined, change: "joined", usersCount: "\(members) + 1"))
            SELECT
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN \(Refusal.unauthenticated.literal)
                     WHEN NOT EXISTS (SELECT 1 FROM target) THEN \(Refusal.notFound.literal) ELSE \(Verdict.okLiteral) END,
                (SELECT \(roomJSON(usersCount: "\(members) + (SELECT count(*) FROM joined)")) FROM target r),
                \(OutboxFragment.enqueuedCount)
            """,
        isIdempotent: true
    )

    /// `channels.leave`: removes the caller's subscription to public room `$3`, and enqueues the `roomLeft`
    /// deliveries (event id `$4`).
    static let leave = PreparedStatement(
        name: "leave_room",
        sql: """
            WITH \(SQLFragment.callerAndGrants),
            target AS (SELECT r.* FROM rooms r WHERE r.id = $3::text AND r.type = 'c'),
            left_room AS (
                DELETE FROM subscriptions s USING target t, caller c
                WHERE s.room_id = t.id AND s.user_id = c.id
                RETURNING s.user_id
            ),
            \(membershipEvent(.roomLeft, change: "left_room", usersCount: "\(members) - 1"))
            SELECT
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN \(Refusal.unauthenticated.literal)
                     WHEN NOT EXISTS (SELECT 1 FROM target) THEN \(Refusal.notFound.literal)
                     WHEN NOT EXISTS (SELECT 1 FROM left_room) THEN \(Refusal.notMember.literal) ELSE \(Verdict.okLiteral) END,
                (SELECT \(roomJSON(usersCount: "\(members) - (SELECT count(*) FROM left_room)")) FROM target r),
                \(OutboxFragment.enqueuedCount)
            """,
        isIdempotent: false
    )

    /// `channels.archive`: archives public room `$3` when the caller holds `archive-room` (through its roles or its
    /// room roles: the room's owner does, as Rocket.Chat grants it to `owner`), and
    /// enqueues the `roomArchived` deliveries (event id `$4`).
    static let archive = PreparedStatement(
        name: "archive_room",
        sql: """
            WITH \(SQLFragment.callerAndGrants),
            target AS (SELECT r.* FROM rooms r WHERE r.id = $3::text AND r.type = 'c'),
            verdict AS (
                SELECT CASE
                    WHEN NOT EXISTS (SELECT 1 FROM caller) THEN \(Refusal.unauthenticated.literal)
                    WHEN NOT EXISTS (SELECT 1 FROM target) THEN \(Refusal.notFound.literal)
                    WHEN (SELECT archived FROM target) THEN \(Refusal.alreadyArchived.literal)
                    WHEN NOT EXISTS (
                        SELECT 1 FROM caller c, target t
                        WHERE \(SQLFragment.holds(
                            "archive-room",
                            roles: "(c.roles || coalesce((SELECT s.roles FROM subscriptions s WHERE s.room_id = t.id AND s.user_id = c.id), '{}'))"
                        ))
                    ) THEN \(Refusal.notAuthorized.literal)
                    ELSE \(Verdict.okLiteral) END AS outcome
            ),
            archived AS (
                UPDATE rooms r SET archived = true, updated_at = now()
                FROM verdict WHERE r.id = $3::text AND verdict.outcome = \(Verdict.okLiteral)
                RETURNING r.*
            ),
            \(OutboxFragment.enqueue(
                event: .roomArchived,
                eventId: "$4::text",
                source: "archived r JOIN caller c ON true JOIN users u ON u.id = c.id",
                buckets: "'{}'::text[]",
                context: """
                    jsonb_build_object('timestamp', \(SQLFragment.isoDate("now()")),
                        'room', \(SQLFragment.roomDocument("r", usersCount: members))::jsonb || '{"archived": true}'::jsonb,
                        'user', \(SQLFragment.userDocument("u", withEmails: "true")))
                    """
            ))
            SELECT outcome, (SELECT name FROM target), \(OutboxFragment.enqueuedCount) FROM verdict
            """,
        isIdempotent: false
    )

    /// The outbox CTEs of a membership change of the caller to room `target`, which happened when the CTE named
    /// `change` has a row; `usersCount` is the room's member count after it (the membership rows the statement
    /// changed are not visible to its own reads).
    private static func membershipEvent(_ event: OutgoingEvent, change: String, usersCount: String) -> String {
        OutboxFragment.enqueue(
            event: event,
            eventId: "$4::text",
            source: "target r JOIN caller c ON true JOIN users u ON u.id = c.id",
            buckets: OutboxFragment.roomBuckets("r", senderUsername: "u.username"),
            context: """
                jsonb_build_object('timestamp', \(SQLFragment.isoDate("now()")),
                    'room', \(SQLFragment.roomDocument("r", usersCount: usersCount)),
                    'user', \(SQLFragment.userDocument("u", withEmails: "true")))
                """,
            where: "EXISTS (SELECT 1 FROM \(change))"
        )
    }

    /// The number of members of the room row aliased `r`, before the statement's own change.
    private static let members = "(SELECT count(*) FROM subscriptions s WHERE s.room_id = r.id)"

    /// A room row aliased `r` as Rocket.Chat's room document text, with `usersCount` given as an expression.
    private static func roomJSON(usersCount: String) -> String {
        "\(SQLFragment.roomDocument("r", usersCount: usersCount))::text"
    }
}
