import LibPQ

/// The catalogue of prepared statements: every connection prepares all of them once, right after connecting.
///
/// All SQL of the store lives here (and in `sql/` for the schema), so a reader sees every query the service runs.
public enum Statements {
    /// Everything a pool must prepare.
    public static let catalogue: [PreparedStatement] = [
        authenticate, getIntegration, insertIntegration, insertHistory,
        listIntegrations, listHistory, listHistoryNewestFirst, removeIntegration, clearHistory, listPermissions, updatePermissions,
        callerProfile, userIdByUsername, userIdByIdOrUsername, roomIdByIdOrName, isSubscribed, addUserRole,
        integrationForUpdate, patchIntegration, updateHistory, deleteExpiredHistory, createRoom, roomInfo, joinRoom, leaveRoom,
        callerHasPermission, userDocument, userIdByEmail, userIdByUsernameIgnoringCase, unknownRoles, deleteUser, insertPersonalAccessToken,
        deletePersonalAccessToken, setting, upsertSetting, importIntegrations, importHistory, importUsers,
        findUserForLogin, insertLoginToken, deleteLoginToken, insertUser, adminExists, ping,
        loginBlock, recordFailedLogin, forgetFailedLogins, countRateLimitedRequest,
    ]

    /// Two CTEs every authenticated statement starts with: `caller` (the user whose id is `$1` and token hash
    /// `$2`; no row when they do not match) and `grants` (one row: the caller's four integration permissions).
    private static let callerAndGrants = """
        caller AS (
            SELECT u.id, u.roles
            FROM login_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.hashed_token = $2 AND t.user_id = $1 AND u.active
        ),
        grants AS (
            SELECT
                coalesce(bool_or(p.id = 'manage-incoming-integrations'), false) AS all_incoming,
                coalesce(bool_or(p.id = 'manage-own-incoming-integrations'), false) AS own_incoming,
                coalesce(bool_or(p.id = 'manage-outgoing-integrations'), false) AS all_outgoing,
                coalesce(bool_or(p.id = 'manage-own-outgoing-integrations'), false) AS own_outgoing
            FROM caller c JOIN permissions p ON p.roles && c.roles
        )
        """

    /// The columns after the outcome of a paged listing: the total (CTE `visible`), the page size and the
    /// page as one JSON array text in order (CTE `page` with `doc` and `position`).
    private static let pageColumns = """
        (SELECT count(*) FROM visible),
                        (SELECT count(*) FROM page),
                        (SELECT '[' || coalesce(string_agg(doc::text, ',' ORDER BY position), '') || ']' FROM page)
        """

    /// `ORDER BY` terms for up to three sort keys passed as parameters: a document path (`text[]`) and a
    /// direction (`1`, `-1`, or `0`/`NULL` for an unused slot), starting at parameter `$first`. The SQL text is
    /// fixed; only the bound values change, so one prepared statement serves every whitelisted sort.
    private static func sortTerms(firstParameter first: Int) -> String {
        (0..<3).map { slot in
            let path = "$\(first + 2 * slot)::text[]"
            let direction = "$\(first + 2 * slot + 1)::int"
            return "CASE WHEN \(direction) = 1 THEN doc #> \(path) END ASC, CASE WHEN \(direction) = -1 THEN doc #> \(path) END DESC"
        }.joined(separator: ", ")
    }

    /// `integrations.list` in one round trip: authenticates (`$1`, `$2`), applies Rocket.Chat's visibility
    /// filter (`mountIntegrationQueryBasedOnPermissions`), the `name` substring (`$3`, a LIKE pattern with
    /// `%`, `_` and `\\` escaped) and `type` (`$4`), then pages (`$5` offset, `$6` limit or NULL for all)
    /// in the sort of `$7…$12`, then insertion order. Returns the outcome, the total, the page size and the page as a JSON array.
    static let listIntegrations = PreparedStatement(
        name: "list_integrations",
        sql: """
            WITH \(callerAndGrants),
            visible AS (
                SELECT i.doc, i.seq
                FROM integrations i, caller c, grants g
                WHERE CASE
                        WHEN g.all_outgoing AND g.all_incoming THEN true
                        WHEN g.own_outgoing AND g.own_incoming THEN i.created_by = c.id
                        ELSE (g.all_outgoing AND i.type = 'webhook-outgoing')
                          OR (g.all_incoming AND i.type = 'webhook-incoming')
                          OR (g.own_outgoing AND i.type = 'webhook-outgoing' AND i.created_by = c.id)
                          OR (g.own_incoming AND i.type = 'webhook-incoming' AND i.created_by = c.id)
                      END
                  AND ($3::text IS NULL OR i.name ILIKE '%' || $3::text || '%')
                  AND ($4::text IS NULL OR i.type = $4::text)
            ),
            page AS (
                SELECT doc, row_number() OVER (ORDER BY \(sortTerms(firstParameter: 7)), seq) AS position
                FROM visible
                ORDER BY position
                OFFSET $5::int LIMIT $6::int
            )
            SELECT
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN 'unauthenticated'
                     WHEN NOT (SELECT all_outgoing OR all_incoming OR own_outgoing OR own_incoming FROM grants) THEN 'forbidden'
                     ELSE 'ok' END,
                \(pageColumns)
            """,
        isIdempotent: true,
        isReadOnly: true
    )

    /// `integrations.history` in one round trip: authenticates (`$1`, `$2`), requires an outgoing permission,
    /// keeps the records of integration `$3` (only those of the caller's own integrations when the caller has
    /// just `manage-own-outgoing-integrations`), and pages (`$4`, `$5`) in the sort of `$6…$11`.
    static let listHistory = PreparedStatement(
        name: "list_history",
        sql: """
            WITH \(callerAndGrants),
            visible AS (
                SELECT h.doc, h.id
                FROM integration_history h, caller c, grants g
                WHERE h.integration_id = $3
                  AND (g.all_outgoing OR (g.own_outgoing AND h.created_by = c.id))
            ),
            page AS (
                SELECT doc, row_number() OVER (ORDER BY \(sortTerms(firstParameter: 6)), id DESC) AS position
                FROM visible
                ORDER BY position
                OFFSET $4::int LIMIT $5::int
            )
            SELECT
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN 'unauthenticated'
                     WHEN NOT (SELECT all_outgoing OR own_outgoing FROM grants) THEN 'forbidden'
                     ELSE 'ok' END,
                \(pageColumns)
            """,
        isIdempotent: true,
        isReadOnly: true
    )

    // MARK: Authentication

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
    static let findUserForLogin = PreparedStatement(
        name: "find_user_for_login",
        sql: """
            SELECT id, password_hash FROM users
            WHERE active AND (lower(username) = lower($1) OR lower(email) = lower($1))
            ORDER BY lower(username) = lower($1) DESC
            LIMIT 1
            """,
        isIdempotent: true
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

    /// Inserts a user and, as Rocket.Chat does, subscribes it to the default rooms.
    static let insertUser = PreparedStatement(
        name: "insert_user",
        sql: """
            WITH inserted AS (
                INSERT INTO users (id, username, email, name, password_hash, roles, email_verified)
                VALUES ($1, $2, $3, $4, $5, string_to_array($6, ','), $7::boolean)
                RETURNING id
            )
            INSERT INTO subscriptions (room_id, user_id)
            SELECT rooms.id, inserted.id FROM rooms, inserted WHERE rooms.is_default
            """,
        isIdempotent: false
    )

    static let adminExists = PreparedStatement(
        name: "admin_exists",
        sql: "SELECT EXISTS (SELECT 1 FROM users WHERE roles @> '{admin}' AND active)",
        isIdempotent: true
    )

    static let ping = PreparedStatement(name: "ping", sql: "SELECT 1", isIdempotent: true, isReadOnly: true)

    // MARK: Login protection

    /// Which key blocks a login, `ip` before `user`: address `$1` with at least `$2` failures the last of which
    /// is younger than `$3` seconds, or user `$4` (may be null) with `$5` and `$6`. No row: not blocked.
    static let loginBlock = PreparedStatement(
        name: "login_block",
        sql: """
            SELECT kind FROM failed_logins
            WHERE (kind = 'ip' AND key = $1 AND failures >= $2::integer AND last_failed_at > now() - make_interval(secs => $3::float8))
               OR (kind = 'user' AND key = $4 AND failures >= $5::integer AND last_failed_at > now() - make_interval(secs => $6::float8))
            ORDER BY kind = 'ip' DESC
            LIMIT 1
            """,
        isIdempotent: true
    )

    /// Counts a failed login against address `$1` and, when not null, user `$2`; drops other counts untouched
    /// for a day, so that a stream of addresses cannot grow the table for ever.
    static let recordFailedLogin = PreparedStatement(
        name: "record_failed_login",
        sql: """
            WITH stale AS (
                DELETE FROM failed_logins
                WHERE last_failed_at < now() - interval '1 day'
                  AND NOT (kind = 'ip' AND key IS NOT DISTINCT FROM $1) AND NOT (kind = 'user' AND key IS NOT DISTINCT FROM $2)
            )
            INSERT INTO failed_logins AS f (kind, key, failures, last_failed_at)
            SELECT kind, key, 1, now() FROM (VALUES ('ip', $1::text), ('user', $2::text)) AS k (kind, key)
            WHERE key IS NOT NULL
            ON CONFLICT (kind, key) DO UPDATE SET failures = f.failures + 1, last_failed_at = now()
            """,
        isIdempotent: false
    )

    /// A successful login: address `$1` and user `$2` start counting afresh.
    static let forgetFailedLogins = PreparedStatement(
        name: "forget_failed_logins",
        sql: "DELETE FROM failed_logins WHERE (kind = 'ip' AND key = $1) OR (kind = 'user' AND key = $2)",
        isIdempotent: true
    )

    /// Counts one request of key `$1` in its fixed window of `$2` milliseconds; returns the requests in the
    /// window and the window's end in epoch milliseconds. Other keys' windows older than a day are dropped.
    static let countRateLimitedRequest = PreparedStatement(
        name: "count_rate_limited_request",
        sql: """
            WITH stale AS (DELETE FROM rate_limit_windows WHERE window_started_at < now() - interval '1 day' AND key <> $1)
            INSERT INTO rate_limit_windows AS w (key, window_started_at, requests) VALUES ($1, now(), 1)
            ON CONFLICT (key) DO UPDATE SET
                window_started_at = CASE WHEN w.window_started_at <= now() - make_interval(secs => $2::float8 / 1000)
                    THEN now() ELSE w.window_started_at END,
                requests = CASE WHEN w.window_started_at <= now() - make_interval(secs => $2::float8 / 1000)
                    THEN 1 ELSE w.requests + 1 END
            RETURNING requests, (extract(epoch FROM window_started_at) * 1000)::bigint + $2::bigint
            """,
        isIdempotent: false
    )

    // MARK: Integrations

    /// `integrations.get` in one round trip: authenticates the caller (`$1` user id, `$2` token hash),
    /// finds integration `$3` (optionally created by `$4`), applies Rocket.Chat's permission rule, and
    /// aggregates the newest `$5` history records. Returns the outcome and the JSON text to splice.
    static let getIntegration = PreparedStatement(
        name: "get_integration",
        sql: """
            WITH \(callerAndGrants),
            decision AS (
                SELECT
                    c.id AS caller_id,
                    i.id AS integration_id,
                    i.type,
                    i.doc,
                    CASE WHEN i.id IS NULL THEN false
                         WHEN i.type = 'webhook-incoming'
                         THEN g.all_incoming OR (g.own_incoming AND i.created_by = c.id)
                         ELSE g.all_outgoing OR (g.own_outgoing AND i.created_by = c.id)
                    END AS allowed
                FROM (SELECT 1) AS one
                LEFT JOIN caller c ON true
                LEFT JOIN grants g ON true
                LEFT JOIN integrations i
                    ON c.id IS NOT NULL AND i.id = $3 AND ($4::text IS NULL OR i.created_by = $4)
            )
            SELECT
                CASE WHEN caller_id IS NULL THEN 'unauthenticated'
                     WHEN integration_id IS NULL THEN 'not-found'
                     WHEN NOT allowed THEN 'forbidden'
                     ELSE 'ok' END,
                CASE WHEN allowed THEN doc::text END,
                CASE WHEN allowed AND $5::int > 0 THEN
                    CASE WHEN type = 'webhook-incoming' THEN '[]' ELSE (
                        SELECT '[' || coalesce(string_agg(h.doc::text, ',' ORDER BY h.updated_at DESC, h.id DESC), '') || ']'
                        FROM (
                            SELECT doc, id, updated_at FROM integration_history
                            WHERE integration_history.integration_id = decision.integration_id
                            ORDER BY updated_at DESC, id DESC
                            LIMIT $5::int
                        ) h
                    ) END
                END
            FROM decision
            """,
        isIdempotent: true,
        isReadOnly: true
    )

    /// Inserts an integration document; its `_id`, `type`, `_createdBy._id` and `_updatedAt` fill the generated columns.
    static let insertIntegration = PreparedStatement(
        name: "insert_integration",
        sql: "INSERT INTO integrations (doc) VALUES ($1::jsonb) RETURNING doc::text",
        isIdempotent: false
    )

    /// Merges the members of `$2` into history record `$1` and sets its `_updatedAt` to `$3`.
    static let updateHistory = PreparedStatement(
        name: "update_history",
        sql: "UPDATE integration_history SET doc = doc || $2::jsonb || jsonb_build_object('_updatedAt', $3::text) WHERE id = $1",
        isIdempotent: true
    )

    /// Deletes up to `$2` history records last updated before `$1` (ISO dates compare as text), oldest first.
    static let deleteExpiredHistory = PreparedStatement(
        name: "delete_expired_history",
        sql: """
            DELETE FROM integration_history
            WHERE id IN (SELECT id FROM integration_history WHERE updated_at < $1 ORDER BY updated_at LIMIT $2::int)
            """,
        isIdempotent: true
    )

    /// Inserts a history record document.
    static let insertHistory = PreparedStatement(
        name: "insert_history",
        sql: "INSERT INTO integration_history (doc) VALUES ($1::jsonb)",
        isIdempotent: false
    )

    /// `integrations.history` in its default order (newest `_updatedAt` first): the same as ``listHistory`` but
    /// paging over the covering index `(integration_id, updated_at DESC, id DESC) INCLUDE (created_by)`: the
    /// offset and the total are counted in the index, and only the page's documents are read.
    /// Parameters `$1…$5` as in ``listHistory``.
    static let listHistoryNewestFirst = PreparedStatement(
        name: "list_history_newest_first",
        sql: """
            WITH \(callerAndGrants),
            allowed AS (
                SELECT c.id AS caller_id, g.all_outgoing FROM caller c, grants g WHERE g.all_outgoing OR g.own_outgoing
            ),
            page_ids AS (
                SELECT h.id, h.updated_at FROM integration_history h, allowed a
                WHERE h.integration_id = $3 AND (a.all_outgoing OR h.created_by = a.caller_id)
                ORDER BY h.updated_at DESC, h.id DESC
                OFFSET $4::int LIMIT $5::int
            ),
            page AS (
                SELECT h.doc, row_number() OVER (ORDER BY p.updated_at DESC, p.id DESC) AS position
                FROM page_ids p JOIN integration_history h ON h.id = p.id
            )
            SELECT
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN 'unauthenticated'
                     WHEN NOT EXISTS (SELECT 1 FROM allowed) THEN 'forbidden'
                     ELSE 'ok' END,
                (SELECT count(*) FROM integration_history h, allowed a
                 WHERE h.integration_id = $3 AND (a.all_outgoing OR h.created_by = a.caller_id)),
                (SELECT count(*) FROM page),
                (SELECT '[' || coalesce(string_agg(doc::text, ',' ORDER BY position), '') || ']' FROM page)
            """,
        isIdempotent: true
    )

    /// `integrations.remove` in one statement, so it is atomic: authenticates (`$1`, `$2`); requires any
    /// integration permission; finds the integration by `$5` (an element of `urls`, first inserted wins) or
    /// else by id `$4`; applies the delete method's rule for kind `$3` (`incoming`/`outgoing`): the "manage"
    /// permission for any, the "own" one for the caller's own; deletes it and, for an outgoing one, its history.
    /// Returns the outcome and the document as it was.
    static let removeIntegration = PreparedStatement(
        name: "remove_integration",
        sql: """
            WITH \(callerAndGrants),
            target AS (
                SELECT i.id, i.type, i.created_by, i.doc
                FROM integrations i
                WHERE CASE WHEN $5::text IS NOT NULL THEN i.doc -> 'urls' ? $5::text ELSE i.id = $4::text END
                ORDER BY i.seq
                LIMIT 1
            ),
            verdict AS (
                SELECT
                    t.id, t.type, t.doc,
                    CASE
                        WHEN c.id IS NULL THEN 'unauthenticated'
                        WHEN NOT (g.all_outgoing OR g.own_outgoing OR g.all_incoming OR g.own_incoming) THEN 'forbidden'
                        WHEN t.id IS NULL THEN 'not-found'
                        WHEN $3::text = 'outgoing' AND g.all_outgoing THEN 'ok'
                        WHEN $3::text = 'incoming' AND g.all_incoming THEN 'ok'
                        WHEN NOT (CASE WHEN $3::text = 'outgoing' THEN g.own_outgoing ELSE g.own_incoming END) THEN 'not-authorized'
                        WHEN t.created_by IS DISTINCT FROM c.id THEN 'invalid-integration'
                        ELSE 'ok'
                    END AS outcome
                FROM (SELECT 1) AS one
                LEFT JOIN caller c ON true
                LEFT JOIN grants g ON true
                LEFT JOIN target t ON true
            ),
            deleted AS (
                DELETE FROM integrations WHERE id = (SELECT id FROM verdict WHERE outcome = 'ok') RETURNING id, type
            ),
            deleted_history AS (
                DELETE FROM integration_history
                WHERE integration_id IN (SELECT id FROM deleted WHERE type = 'webhook-outgoing')
            )
            SELECT outcome, CASE WHEN outcome = 'ok' THEN doc::text END FROM verdict
            """,
        isIdempotent: false
    )

    /// `integrations.clearHistory` in one statement: authenticates (`$1`, `$2`); requires an outgoing permission;
    /// finds integration `$3` (the caller's own unless it holds `manage-outgoing-integrations`) and deletes its history.
    static let clearHistory = PreparedStatement(
        name: "clear_history",
        sql: """
            WITH \(callerAndGrants),
            verdict AS (
                SELECT
                    i.id,
                    CASE
                        WHEN c.id IS NULL THEN 'unauthenticated'
                        WHEN NOT (g.all_outgoing OR g.own_outgoing) THEN 'forbidden'
                        WHEN i.id IS NULL THEN 'invalid-integration'
                        WHEN NOT g.all_outgoing AND i.created_by IS DISTINCT FROM c.id THEN 'invalid-integration'
                        ELSE 'ok'
                    END AS outcome
                FROM (SELECT 1) AS one
                LEFT JOIN caller c ON true
                LEFT JOIN grants g ON true
                LEFT JOIN integrations i ON i.id = $3::text
            ),
            deleted AS (
                DELETE FROM integration_history WHERE integration_id = (SELECT id FROM verdict WHERE outcome = 'ok')
            )
            SELECT outcome FROM verdict
            """,
        isIdempotent: true
    )

    // MARK: Lookups for the integration rules (run inside a write transaction)

    /// The authenticated caller (`$1`, `$2`): id, username and its four integration permissions.
    static let callerProfile = PreparedStatement(
        name: "caller_profile",
        sql: """
            WITH \(callerAndGrants)
            SELECT c.id, u.username, g.all_incoming, g.own_incoming, g.all_outgoing, g.own_outgoing
            FROM caller c JOIN users u ON u.id = c.id, grants g
            """,
        isIdempotent: true
    )

    /// The user with exactly this username (MongoDB's equality is case-sensitive).
    static let userIdByUsername = PreparedStatement(
        name: "user_id_by_username",
        sql: "SELECT id FROM users WHERE username = $1",
        isIdempotent: true
    )

    static let userIdByIdOrUsername = PreparedStatement(
        name: "user_id_by_id_or_username",
        sql: "SELECT id FROM users WHERE id = $1 OR username = $1 ORDER BY id = $1 DESC LIMIT 1",
        isIdempotent: true
    )

    static let roomIdByIdOrName = PreparedStatement(
        name: "room_id_by_id_or_name",
        sql: "SELECT id FROM rooms WHERE id = $1 OR name = $1 ORDER BY id = $1 DESC LIMIT 1",
        isIdempotent: true
    )

    static let isSubscribed = PreparedStatement(
        name: "is_subscribed",
        sql: "SELECT EXISTS (SELECT 1 FROM subscriptions WHERE room_id = $1 AND user_id = $2)",
        isIdempotent: true
    )

    /// Gives a user a role it does not have yet.
    static let addUserRole = PreparedStatement(
        name: "add_user_role",
        sql: "UPDATE users SET roles = array_append(roles, $2), updated_at = now() WHERE id = $1 AND NOT ($2 = ANY (roles))",
        isIdempotent: true
    )

    /// The integration an update targets, locked until the transaction ends: by `$2` (an element of `urls`,
    /// first inserted wins) when given, else by id `$1`.
    static let integrationForUpdate = PreparedStatement(
        name: "integration_for_update",
        sql: """
            SELECT id, created_by, doc ->> 'username', doc ->> 'scriptEngine'
            FROM integrations
            WHERE CASE WHEN $2::text IS NOT NULL THEN doc -> 'urls' ? $2::text ELSE id = $1::text END
            ORDER BY seq
            LIMIT 1
            FOR UPDATE
            """,
        isIdempotent: true
    )

    /// Applies an update: merges the top-level members of `$2` into the document and removes the keys `$3`.
    static let patchIntegration = PreparedStatement(
        name: "patch_integration",
        sql: "UPDATE integrations SET doc = (doc || $2::jsonb) - $3::text[] WHERE id = $1 RETURNING doc::text",
        isIdempotent: false
    )

    // MARK: Users

    /// Whether the caller (`$1`, `$2`) holds permission `$3`: `unauthenticated`, `forbidden` or `ok`, and the
    /// caller's username.
    static let callerHasPermission = PreparedStatement(
        name: "caller_has_permission",
        sql: """
            WITH \(callerAndGrants)
            SELECT
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN 'unauthenticated'
                     WHEN NOT EXISTS (SELECT 1 FROM caller c JOIN permissions p ON p.id = $3 AND p.roles && c.roles) THEN 'forbidden'
                     ELSE 'ok' END,
                (SELECT u.username FROM caller c JOIN users u ON u.id = c.id)
            """,
        isIdempotent: true
    )

    /// A user (by id `$1`, or else username `$2`) as Rocket.Chat's user document; with emails when `$3` is true.
    static let userDocument = PreparedStatement(
        name: "user_document",
        sql: """
            SELECT json_strip_nulls(json_build_object(
                '_id', u.id, 'createdAt', \(isoDate("u.created_at")), 'username', u.username,
                'emails', CASE WHEN $3::boolean AND u.email IS NOT NULL
                               THEN json_build_array(json_build_object('address', u.email, 'verified', u.email_verified)) END,
                'type', u.type, 'status', 'offline', 'active', u.active, 'roles', to_json(u.roles), 'name', u.name,
                'utcOffset', 0, '_updatedAt', \(isoDate("u.updated_at"))
            ))::text
            FROM users u
            WHERE CASE WHEN $1::text IS NOT NULL THEN u.id = $1::text ELSE u.username = $2::text END
            """,
        isIdempotent: true
    )

    static let userIdByUsernameIgnoringCase = PreparedStatement(
        name: "user_id_by_username_ignoring_case",
        sql: "SELECT id FROM users WHERE lower(username) = lower($1)",
        isIdempotent: true
    )

    static let userIdByEmail = PreparedStatement(
        name: "user_id_by_email",
        sql: "SELECT id FROM users WHERE lower(email) = lower($1)",
        isIdempotent: true
    )

    /// The names in `$1` (a `text[]`) that are not roles.
    static let unknownRoles = PreparedStatement(
        name: "unknown_roles",
        sql: "SELECT name FROM unnest($1::text[]) AS name WHERE NOT EXISTS (SELECT 1 FROM roles WHERE roles.id = name)",
        isIdempotent: true
    )

    /// Deletes user `$1` (its tokens and memberships go with it); returns the number of rows deleted.
    static let deleteUser = PreparedStatement(
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
        isIdempotent: true
    )

    static let upsertSetting = PreparedStatement(
        name: "upsert_setting",
        sql: """
            INSERT INTO settings (id, value) VALUES ($1, $2::jsonb)
            ON CONFLICT (id) DO UPDATE SET value = excluded.value, updated_at = now()
            """,
        isIdempotent: true
    )

    // MARK: Import (batches as one JSON array parameter: one round trip per batch)

    /// Upserts the integration documents of the JSON array `$1` by `_id`, keeping the array's order for new ones.
    static let importIntegrations = PreparedStatement(
        name: "import_integrations",
        sql: """
            INSERT INTO integrations (doc)
            SELECT value FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY ORDER BY ordinality
            ON CONFLICT (id) DO UPDATE SET doc = excluded.doc
            """,
        isIdempotent: true
    )

    /// Upserts the history records of the JSON array `$1` by `_id`.
    static let importHistory = PreparedStatement(
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
    static let importUsers = PreparedStatement(
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

    // MARK: Rooms

    /// A room row aliased `r` as Rocket.Chat's room document, with `usersCount` given as an expression.
    private static func roomJSON(usersCount: String) -> String {
        """
        json_build_object(
            '_id', r.id, 'name', r.name, 'fname', r.name, 't', r.type, 'msgs', 0, 'usersCount', \(usersCount),
            'u', json_build_object('_id', r.creator_id, 'username', r.creator_username), 'customFields', '{}'::json,
            'ts', \(isoDate("r.created_at")), 'ro', r.read_only, 'default', r.is_default, 'sysMes', true,
            '_updatedAt', \(isoDate("r.updated_at"))
        )::text
        """
    }

    /// `channels.create` / `groups.create` in one statement: authenticates (`$1`, `$2`), requires `create-c` or
    /// `create-p` for type `$5`, refuses a taken name `$4`, inserts room `$3` (read-only `$6`) with the caller
    /// as owner, and subscribes the caller and the users named in `$7`.
    static let createRoom = PreparedStatement(
        name: "create_room",
        sql: """
            WITH \(callerAndGrants),
            verdict AS (
                SELECT CASE
                    WHEN NOT EXISTS (SELECT 1 FROM caller) THEN 'unauthenticated'
                    WHEN NOT EXISTS (
                        SELECT 1 FROM caller c JOIN permissions p
                            ON p.id = CASE WHEN $5::text = 'c' THEN 'create-c' ELSE 'create-p' END AND p.roles && c.roles
                    ) THEN 'forbidden'
                    WHEN EXISTS (SELECT 1 FROM rooms WHERE name = $4::text AND type <> 'd') THEN 'duplicate'
                    ELSE 'ok' END AS outcome
            ),
            inserted AS (
                INSERT INTO rooms (id, name, type, read_only, creator_id, creator_username)
                SELECT $3::text, $4::text, $5::text, $6::boolean, u.id, u.username
                FROM caller c JOIN users u ON u.id = c.id, verdict
                WHERE verdict.outcome = 'ok'
                RETURNING *
            ),
            members AS (
                INSERT INTO subscriptions (room_id, user_id)
                SELECT i.id, u.id FROM inserted i, users u
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
    static let roomInfo = PreparedStatement(
        name: "room_info",
        sql: """
            WITH \(callerAndGrants)
            SELECT
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN 'unauthenticated'
                     WHEN r.id IS NULL THEN 'not-found' ELSE 'ok' END,
                CASE WHEN r.id IS NOT NULL THEN \(roomJSON(usersCount: "(SELECT count(*) FROM subscriptions s WHERE s.room_id = r.id)")) END
            FROM (SELECT 1) AS one
            LEFT JOIN rooms r ON r.type = $5::text AND (r.id = $3::text OR ($3::text IS NULL AND r.name = $4::text))
            """,
        isIdempotent: true
    )

    /// `channels.join`: subscribes the caller to public room `$3`.
    static let joinRoom = PreparedStatement(
        name: "join_room",
        sql: """
            WITH \(callerAndGrants),
            target AS (SELECT r.* FROM rooms r WHERE r.id = $3::text AND r.type = 'c'),
            joined AS (
                INSERT INTO subscriptions (room_id, user_id)
                SELECT t.id, c.id FROM target t, caller c
                ON CONFLICT DO NOTHING
                RETURNING user_id
            )
            SELECT
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN 'unauthenticated'
                     WHEN NOT EXISTS (SELECT 1 FROM target) THEN 'not-found' ELSE 'ok' END,
                (SELECT \(roomJSON(usersCount: "(SELECT count(*) FROM subscriptions s WHERE s.room_id = r.id) + (SELECT count(*) FROM joined)")) FROM target r)
            """,
        isIdempotent: true
    )

    /// `channels.leave`: removes the caller's subscription to public room `$3`.
    static let leaveRoom = PreparedStatement(
        name: "leave_room",
        sql: """
            WITH \(callerAndGrants),
            target AS (SELECT r.* FROM rooms r WHERE r.id = $3::text AND r.type = 'c'),
            left_room AS (
                DELETE FROM subscriptions s USING target t, caller c
                WHERE s.room_id = t.id AND s.user_id = c.id
                RETURNING s.user_id
            )
            SELECT
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN 'unauthenticated'
                     WHEN NOT EXISTS (SELECT 1 FROM target) THEN 'not-found'
                     WHEN NOT EXISTS (SELECT 1 FROM left_room) THEN 'not-member' ELSE 'ok' END,
                (SELECT \(roomJSON(usersCount: "(SELECT count(*) FROM subscriptions s WHERE s.room_id = r.id) - (SELECT count(*) FROM left_room)")) FROM target r)
            """,
        isIdempotent: false
    )

    // MARK: Permissions

    /// A permission row as Rocket.Chat's permission document `{_id, roles, _updatedAt}`.
    private static let permissionJSON = """
        json_build_object('_id', p.id, 'roles', to_json(p.roles), '_updatedAt', \(isoDate("p.updated_at")))
        """

    /// `permissions.listAll`: every permission changed after `$3` (all when NULL), for an authenticated caller.
    static let listPermissions = PreparedStatement(
        name: "list_permissions",
        sql: """
            WITH \(callerAndGrants)
            SELECT
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN 'unauthenticated' ELSE 'ok' END,
                (SELECT '[' || coalesce(string_agg(\(permissionJSON)::text, ',' ORDER BY p.id), '') || ']'
                 FROM permissions p WHERE $3::timestamptz IS NULL OR p.updated_at > $3::timestamptz)
            """,
        isIdempotent: true
    )

    /// `permissions.update`: when the caller holds `access-permissions` and every permission (`_id`) and role
    /// named in `$3` (a JSON array of `{_id, roles}`) exists, replaces those permissions' roles, all in one
    /// statement. Returns the outcome and, when applied, every permission.
    static let updatePermissions = PreparedStatement(
        name: "update_permissions",
        sql: """
            WITH \(callerAndGrants),
            input AS (
                SELECT x._id AS id, coalesce(x.roles, '{}') AS roles FROM jsonb_to_recordset($3::jsonb) AS x(_id text, roles text[])
            ),
            check_result AS (
                SELECT CASE
                    WHEN NOT EXISTS (SELECT 1 FROM caller) THEN 'unauthenticated'
                    WHEN NOT EXISTS (SELECT 1 FROM caller c JOIN permissions p ON p.id = 'access-permissions' AND p.roles && c.roles)
                        THEN 'forbidden'
                    WHEN EXISTS (SELECT 1 FROM input WHERE NOT EXISTS (SELECT 1 FROM permissions p WHERE p.id = input.id))
                      OR (SELECT count(DISTINCT id) FROM input) <> (SELECT count(*) FROM input)
                        THEN 'unknown-permission'
                    WHEN EXISTS (SELECT 1 FROM input, unnest(input.roles) AS r(role) WHERE NOT EXISTS (SELECT 1 FROM roles WHERE roles.id = r.role))
                        THEN 'unknown-role'
                    ELSE 'ok' END AS outcome
            ),
            updated AS (
                UPDATE permissions p SET roles = input.roles, updated_at = now()
                FROM input, check_result
                WHERE check_result.outcome = 'ok' AND p.id = input.id
                RETURNING p.id, p.roles, p.updated_at
            )
            SELECT
                check_result.outcome,
                CASE WHEN check_result.outcome = 'ok' THEN (
                    SELECT '[' || string_agg(\(permissionJSON)::text, ',' ORDER BY p.id) || ']'
                    FROM (
                        SELECT id, roles, updated_at FROM updated
                        UNION ALL
                        SELECT id, roles, updated_at FROM permissions WHERE id NOT IN (SELECT id FROM updated)
                    ) p
                ) END
            FROM check_result
            """,
        isIdempotent: false
    )

    /// A `timestamptz` expression as Rocket.Chat's date text, `2019-11-29T14:15:27.518Z`.
    private static func isoDate(_ expression: String) -> String {
        "to_char(\(expression) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    }

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
            'createdAt', \(isoDate("\(alias).created_at")),
            '_updatedAt', \(isoDate("\(alias).updated_at")),
            'settings', json_build_object('preferences', '{}'::json),
            'avatarUrl', '/avatar/' || \(alias).username
        )::text
        """
    }
}
