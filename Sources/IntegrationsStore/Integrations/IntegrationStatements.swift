import LibPQ

/// The SQL of ``IntegrationRepository``: `integrations.get`, `.list`, `.history`, `.remove` and `.clearHistory`
/// as one statement each, and the writes of `.create` and `.update`, which run inside a transaction with the
/// lookups of ``DirectoryStatements``.
enum IntegrationStatements {
    static let all: [PreparedStatement] = [
        get, list, listHistory, listHistoryNewestFirst, remove, clearHistory, insert, forUpdate, patch, addUserRole,
    ]

    /// `integrations.get` in one round trip: authenticates the caller (`$1` user id, `$2` token hash),
    /// finds integration `$3` (optionally created by `$4`), applies Rocket.Chat's permission rule, and
    /// aggregates the newest `$5` history records. Returns the verdict and the JSON text to splice.
    static let get = PreparedStatement(
        name: "get_integration",
        sql: """
            WITH \(SQLFragment.callerAndGrants),
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
                CASE WHEN caller_id IS NULL THEN \(Refusal.unauthenticated.literal)
                     WHEN integration_id IS NULL THEN \(Refusal.notFound.literal)
                     WHEN NOT allowed THEN \(Refusal.forbidden.literal)
                     ELSE \(Verdict.okLiteral) END,
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

    /// `integrations.list` in one round trip: authenticates (`$1`, `$2`), applies Rocket.Chat's visibility
    /// filter (`mountIntegrationQueryBasedOnPermissions`), the `name` substring (`$3`, a LIKE pattern with
    /// `%`, `_` and `\\` escaped) and `type` (`$4`), then pages (`$5` offset, `$6` limit or NULL for all)
    /// in the sort of `$7…$12`, then insertion order. Returns the verdict, the total, the page size and the
    /// page as a JSON array.
    static let list = PreparedStatement(
        name: "list_integrations",
        sql: """
            WITH \(SQLFragment.callerAndGrants),
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
            \(SQLFragment.page(sortFrom: 7, thenBy: "seq", offsetParameter: 5))
            SELECT
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN \(Refusal.unauthenticated.literal)
                     WHEN NOT (SELECT all_outgoing OR all_incoming OR own_outgoing OR own_incoming FROM grants)
                     THEN \(Refusal.forbidden.literal)
                     ELSE \(Verdict.okLiteral) END,
                \(SQLFragment.pageColumns)
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
            WITH \(SQLFragment.callerAndGrants),
            visible AS (
                SELECT h.doc, h.id
                FROM integration_history h, caller c, grants g
                WHERE h.integration_id = $3
                  AND (g.all_outgoing OR (g.own_outgoing AND h.created_by = c.id))
            ),
            \(SQLFragment.page(sortFrom: 6, thenBy: "id DESC", offsetParameter: 4))
            SELECT
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN \(Refusal.unauthenticated.literal)
                     WHEN NOT (SELECT all_outgoing OR own_outgoing FROM grants) THEN \(Refusal.forbidden.literal)
                     ELSE \(Verdict.okLiteral) END,
                \(SQLFragment.pageColumns)
            """,
        isIdempotent: true,
        isReadOnly: true
    )

    /// `integrations.history` in its default order (newest `_updatedAt` first): the same as ``listHistory`` but
    /// paging over the covering index `(integration_id, updated_at DESC, id DESC) INCLUDE (created_by)`: the
    /// offset and the total are counted in the index, and only the page's documents are read.
    /// Parameters `$1…$5` as in ``listHistory``.
    static let listHistoryNewestFirst = PreparedStatement(
        name: "list_history_newest_first",
        sql: """
            WITH \(SQLFragment.callerAndGrants),
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
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN \(Refusal.unauthenticated.literal)
                     WHEN NOT EXISTS (SELECT 1 FROM allowed) THEN \(Refusal.forbidden.literal)
                     ELSE \(Verdict.okLiteral) END,
                (SELECT count(*) FROM integration_history h, allowed a
                 WHERE h.integration_id = $3 AND (a.all_outgoing OR h.created_by = a.caller_id)),
                (SELECT count(*) FROM page),
                (SELECT '[' || coalesce(string_agg(doc::text, ',' ORDER BY position), '') || ']' FROM page)
            """,
        isIdempotent: true,
        isReadOnly: true
    )

    /// `integrations.remove` in one statement, so it is atomic: authenticates (`$1`, `$2`); requires any
    /// integration permission; finds the integration by `$5` (an element of `urls`, first inserted wins) or
    /// else by id `$4`; applies the delete method's rule for the type `$3` (``IntegrationKind``): the "manage"
    /// permission for any, the "own" one for the caller's own; deletes it and, for an outgoing one, its history.
    /// Returns the verdict and the document as it was.
    static let remove = PreparedStatement(
        name: "remove_integration",
        sql: """
            WITH \(SQLFragment.callerAndGrants),
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
                        WHEN c.id IS NULL THEN \(Refusal.unauthenticated.literal)
                        WHEN NOT (g.all_outgoing OR g.own_outgoing OR g.all_incoming OR g.own_incoming)
                        THEN \(Refusal.forbidden.literal)
                        WHEN t.id IS NULL THEN \(Refusal.notFound.literal)
                        WHEN $3::text = 'webhook-outgoing' AND g.all_outgoing THEN \(Verdict.okLiteral)
                        WHEN $3::text = 'webhook-incoming' AND g.all_incoming THEN \(Verdict.okLiteral)
                        WHEN NOT (CASE WHEN $3::text = 'webhook-outgoing' THEN g.own_outgoing ELSE g.own_incoming END)
                        THEN \(Refusal.notAuthorized.literal)
                        WHEN t.created_by IS DISTINCT FROM c.id THEN \(Refusal.invalidIntegration.literal)
                        ELSE \(Verdict.okLiteral)
                    END AS outcome
                FROM (SELECT 1) AS one
                LEFT JOIN caller c ON true
                LEFT JOIN grants g ON true
                LEFT JOIN target t ON true
            ),
            deleted AS (
                DELETE FROM integrations WHERE id = (SELECT id FROM verdict WHERE outcome = \(Verdict.okLiteral))
                RETURNING id, type
            ),
            deleted_history AS (
                DELETE FROM integration_history
                WHERE integration_id IN (SELECT id FROM deleted WHERE type = 'webhook-outgoing')
            )
            SELECT outcome, CASE WHEN outcome = \(Verdict.okLiteral) THEN doc::text END FROM verdict
            """,
        isIdempotent: false
    )

    /// `integrations.clearHistory` in one statement: authenticates (`$1`, `$2`); requires an outgoing permission;
    /// finds integration `$3` (the caller's own unless it holds `manage-outgoing-integrations`) and deletes its history.
    static let clearHistory = PreparedStatement(
        name: "clear_history",
        sql: """
            WITH \(SQLFragment.callerAndGrants),
            verdict AS (
                SELECT
                    i.id,
                    CASE
                        WHEN c.id IS NULL THEN \(Refusal.unauthenticated.literal)
                        WHEN NOT (g.all_outgoing OR g.own_outgoing) THEN \(Refusal.forbidden.literal)
                        WHEN i.id IS NULL THEN \(Refusal.invalidIntegration.literal)
                        WHEN NOT g.all_outgoing AND i.created_by IS DISTINCT FROM c.id THEN \(Refusal.invalidIntegration.literal)
                        ELSE \(Verdict.okLiteral)
                    END AS outcome
                FROM (SELECT 1) AS one
                LEFT JOIN caller c ON true
                LEFT JOIN grants g ON true
                LEFT JOIN integrations i ON i.id = $3::text
            ),
            deleted AS (
                DELETE FROM integration_history
                WHERE integration_id = (SELECT id FROM verdict WHERE outcome = \(Verdict.okLiteral))
            )
            SELECT outcome FROM verdict
            """,
        isIdempotent: true
    )

    /// Inserts an integration document; its `_id`, `type`, `_createdBy._id` and `_updatedAt` fill the generated columns.
    static let insert = PreparedStatement(
        name: "insert_integration",
        sql: "INSERT INTO integrations (doc) VALUES ($1::jsonb) RETURNING doc::text",
        isIdempotent: false
    )

    /// The integration an update targets, locked until the transaction ends: by `$2` (an element of `urls`,
    /// first inserted wins) when given, else by id `$1`.
    static let forUpdate = PreparedStatement(
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
    static let patch = PreparedStatement(
        name: "patch_integration",
        sql: "UPDATE integrations SET doc = (doc || $2::jsonb) - $3::text[] WHERE id = $1 RETURNING doc::text",
        isIdempotent: false
    )

    /// Gives user `$1` role `$2` unless it has it (the "post as" user of an incoming integration becomes a bot).
    static let addUserRole = PreparedStatement(
        name: "add_user_role",
        sql: "UPDATE users SET roles = array_append(roles, $2), updated_at = now() WHERE id = $1 AND NOT ($2 = ANY (roles))",
        isIdempotent: true
    )
}
