import IntegrationsCore
import LibPQ

/// The SQL of ``UserRepository``: authentication and tokens, users and the settings that govern them.
enum UserStatements {
    static let all: [PreparedStatement] = [
        authenticate, findForLogin, insertLoginToken, deleteLoginToken, insert, adminExists, callerHasPermission,
        document, idByUsernameIgnoringCase, idByEmail, unknownRoles, delete, insertPersonalAccessToken,
        deletePersonalAccessToken, setting, upsertSetting,
    ]

    /// The caller's user document (Rocket.Chat's `me` shape) when `$1` is a user id and `$2` the hash of one of its tokens.
    static let authenticate = PreparedStatement(
        name: "authenticate",
        sql: """
            SELECT \(meJSON("u"))
            FROM login_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.hashed_token = $2 AND t.user_id = $1 AND u.active
            """,
        isIdempotent: true,
        isReadOnly: true
    )

    /// A user by username or email (case-insensitive): id and password hash.
    static let findForLogin = PreparedStatement(
        name: "find_user_for_login",
        sql: """
            SELECT id, password_hash FROM users
            WHERE active AND (lower(username) = lower($1) OR lower(email) = lower($1))
            ORDER BY lower(username) = lower($1) DESC
            LIMIT 1
            """,
        isIdempotent: true,
        isReadOnly: true
    )

    /// Stores a token hash for a user and returns the user's `me` document.
    static let insertLoginToken = PreparedStatement(
        name: "insert_login_token",
        sql: """
            WITH token AS (
                INSERT INTO login_tokens (hashed_token, user_id, type) VALUES ($2, $1, 'login') RETURNING user_id
            )
            SELECT \(meJSON("u")) FROM users u JOIN token ON token.user_id = u.id
            """,
        isIdempotent: false
    )

    /// Removes a token (logout); returns the number of rows removed.
    static let deleteLoginToken = PreparedStatement(
        name: "delete_login_token",
        sql: "DELETE FROM login_tokens WHERE user_id = $1 AND hashed_token = $2 AND type = 'login'",
        isIdempotent: true
    )

    /// Inserts a user unless its id, username or email is taken, and, as Rocket.Chat does, subscribes it to the
    /// default rooms; enqueues the `userCreated` deliveries it triggers (event id `$8`). Returns how many users it
    /// inserted (0 or 1): a name taken by a concurrent insert is found here, after the checks that ran before it,
    /// without aborting the transaction; and how many deliveries it enqueued.
    static let insert = PreparedStatement(
        name: "insert_user",
        sql: """
            WITH inserted AS (
                INSERT INTO users (id, username, email, name, password_hash, roles, email_verified)
                VALUES ($1, $2, $3, $4, $5, string_to_array($6, ','), $7::boolean)
                ON CONFLICT DO NOTHING
                RETURNING *
            ),
            joined AS (
                INSERT INTO subscriptions (room_id, user_id)
                SELECT rooms.id, inserted.id FROM rooms, inserted WHERE rooms.is_default
            ),
            \(OutboxFragment.enqueue(
                event: .userCreated,
                eventId: "$8::text",
                source: "inserted u",
                buckets: "'{}'::text[]",
                context: "jsonb_build_object('timestamp', \(SQLFragment.isoDate("u.created_at")), 'user', \(SQLFragment.userDocument("u", withEmails: "true")))"
            ))
            SELECT count(*), \(OutboxFragment.enqueuedCount) FROM inserted
            """,
        isIdempotent: false
    )

    static let adminExists = PreparedStatement(
        name: "admin_exists",
        sql: "SELECT EXISTS (SELECT 1 FROM users WHERE roles @> '{admin}' AND active)",
        isIdempotent: true,
        isReadOnly: true
    )

    /// Whether the caller (`$1`, `$2`) holds permission `$3` (the verdict: `unauthenticated`, `forbidden` or
    /// `ok`), and the caller's username.
    static let callerHasPermission = PreparedStatement(
        name: "caller_has_permission",
        sql: """
            WITH \(SQLFragment.callerAndGrants)
            SELECT
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN \(Refusal.unauthenticated.literal)
                     WHEN NOT EXISTS (SELECT 1 FROM caller c JOIN permissions p ON p.id = $3 AND p.roles && c.roles)
                     THEN \(Refusal.forbidden.literal)
                     ELSE \(Verdict.okLiteral) END,
                (SELECT u.username FROM caller c JOIN users u ON u.id = c.id)
            """,
        isIdempotent: true,
        isReadOnly: true
    )

    /// A user (by id `$1`, or else username `$2`) as Rocket.Chat's user document; with emails when `$3` is true.
    static let document = PreparedStatement(
        name: "user_document",
        sql: """
            SELECT \(SQLFragment.userDocument("u", withEmails: "$3::boolean"))::text
            FROM users u
            WHERE CASE WHEN $1::text IS NOT NULL THEN u.id = $1::text ELSE u.username = $2::text END
            """,
        isIdempotent: true,
        isReadOnly: true
    )

    static let idByUsernameIgnoringCase = PreparedStatement(
        name: "user_id_by_username_ignoring_case",
        sql: "SELECT id FROM users WHERE lower(username) = lower($1)",
        isIdempotent: true,
        isReadOnly: true
    )

    static let idByEmail = PreparedStatement(
        name: "user_id_by_email",
        sql: "SELECT id FROM users WHERE lower(email) = lower($1)",
        isIdempotent: true,
        isReadOnly: true
    )

    /// The names in `$1` (a `text[]`) that are not roles.
    static let unknownRoles = PreparedStatement(
        name: "unknown_roles",
        sql: "SELECT name FROM unnest($1::text[]) AS name WHERE NOT EXISTS (SELECT 1 FROM roles WHERE roles.id = name)",
        isIdempotent: true,
        isReadOnly: true
    )

    /// Deletes user `$1` (its tokens and memberships go with it); returns the number of rows deleted.
    static let delete = PreparedStatement(
        name: "delete_user",
        sql: "DELETE FROM users WHERE id = $1 AND id <> 'rocket.cat'",
        isIdempotent: true
    )

    /// Stores a personal access token hash `$2` named `$3` for the caller (`$1`) unless the name is taken.
    static let insertPersonalAccessToken = PreparedStatement(
        name: "insert_personal_access_token",
        sql: """
            INSERT INTO login_tokens (hashed_token, user_id, type, name)
            SELECT $2, $1, 'personalAccessToken', $3
            WHERE NOT EXISTS (SELECT 1 FROM login_tokens WHERE user_id = $1 AND type = 'personalAccessToken' AND name = $3)
            """,
        isIdempotent: false
    )

    static let deletePersonalAccessToken = PreparedStatement(
        name: "delete_personal_access_token",
        sql: "DELETE FROM login_tokens WHERE user_id = $1 AND type = 'personalAccessToken' AND name = $2",
        isIdempotent: true
    )

    /// A setting's value as JSON text.
    static let setting = PreparedStatement(
        name: "setting",
        sql: "SELECT value::text FROM settings WHERE id = $1",
        isIdempotent: true,
        isReadOnly: true
    )

    static let upsertSetting = PreparedStatement(
        name: "upsert_setting",
        sql: """
            INSERT INTO settings (id, value) VALUES ($1, $2::jsonb)
            ON CONFLICT (id) DO UPDATE SET value = excluded.value, updated_at = now()
            """,
        isIdempotent: true
    )

    /// Rocket.Chat's `me` / login `data.me` object for the user row aliased `alias`, as JSON text.
    private static func meJSON(_ alias: String) -> String {
        """
        json_build_object(
            '_id', \(alias).id,
            'username', \(alias).username,
            'emails', CASE WHEN \(alias).email IS NULL THEN '[]'::json
                           ELSE json_build_array(json_build_object('address', \(alias).email, 'verified', \(alias).email_verified)) END,
            'type', \(alias).type,
            'status', 'online',
            'statusConnection', 'online',
            'active', \(alias).active,
            'name', \(alias).name,
            'roles', to_json(\(alias).roles),
            'utcOffset', 0,
            'createdAt', \(SQLFragment.isoDate("\(alias).created_at")),
            '_updatedAt', \(SQLFragment.isoDate("\(alias).updated_at")),
            'settings', json_build_object('preferences', '{}'::json),
            'avatarUrl', '/avatar/' || \(alias).username
        )::text
        """
    }
}
