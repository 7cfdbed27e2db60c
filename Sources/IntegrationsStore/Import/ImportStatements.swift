import LibPQ

/// The SQL of ``ImportRepository``: batches as one JSON array parameter, one round trip per batch.
enum ImportStatements {
    static let all: [PreparedStatement] = [integrations, history, users]

    /// Upserts the integration documents of the JSON array `$1` by `_id`, keeping the array's order for new ones.
    static let integrations = PreparedStatement(
        name: "import_integrations",
        sql: """
            INSERT INTO integrations (doc)
            SELECT value FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY ORDER BY ordinality
            ON CONFLICT (id) DO UPDATE SET doc = excluded.doc
            """,
        isIdempotent: true
    )

    /// Upserts the history records of the JSON array `$1` by `_id`.
    static let history = PreparedStatement(
        name: "import_history",
        sql: """
            INSERT INTO integration_history (doc)
            SELECT value FROM jsonb_array_elements($1::jsonb)
            ON CONFLICT (id) DO UPDATE SET doc = excluded.doc
            """,
        isIdempotent: true
    )

    /// Upserts the users of the JSON array `$1` (rows of the users table) and the login tokens of `$2`
    /// (rows of login_tokens), each by its key; imported users join the default rooms.
    static let users = PreparedStatement(
        name: "import_users",
        sql: """
            WITH upserted AS (
                INSERT INTO users (id, username, email, email_verified, name, password_hash, roles, type, active, created_at, updated_at)
                SELECT id, username, email, coalesce(email_verified, false), coalesce(name, ''), password_hash,
                       coalesce(roles, '{user}'), coalesce(type, 'user'), coalesce(active, true),
                       coalesce(created_at, now()), coalesce(updated_at, now())
                FROM jsonb_to_recordset($1::jsonb) AS x(
                    id text, username text, email text, email_verified boolean, name text, password_hash text,
                    roles text[], type text, active boolean, created_at timestamptz, updated_at timestamptz)
                ON CONFLICT (id) DO UPDATE SET
                    username = excluded.username, email = excluded.email, email_verified = excluded.email_verified,
                    name = excluded.name, password_hash = excluded.password_hash, roles = excluded.roles,
                    type = excluded.type, active = excluded.active, created_at = excluded.created_at,
                    updated_at = excluded.updated_at
                RETURNING id
            ),
            tokens AS (
                INSERT INTO login_tokens (hashed_token, user_id, type, name, created_at)
                SELECT t.hashed_token, t.user_id, coalesce(t.type, 'login'), t.name, coalesce(t.created_at, now())
                FROM jsonb_to_recordset($2::jsonb) AS t(hashed_token text, user_id text, type text, name text, created_at timestamptz)
                WHERE t.user_id IN (SELECT id FROM upserted)
                ON CONFLICT (hashed_token) DO UPDATE SET user_id = excluded.user_id, type = excluded.type, name = excluded.name
            )
            INSERT INTO subscriptions (room_id, user_id)
            SELECT rooms.id, upserted.id FROM rooms, upserted WHERE rooms.is_default
            ON CONFLICT DO NOTHING
            """,
        isIdempotent: true
    )
}
