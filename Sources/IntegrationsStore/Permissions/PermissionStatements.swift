import LibPQ

/// The SQL of ``PermissionRepository``: `permissions.listAll` and `permissions.update`, one statement each.
enum PermissionStatements {
    static let all: [PreparedStatement] = [list, update]

    /// `permissions.listAll`: every permission changed after `$3` (all when NULL), for an authenticated caller.
    static let list = PreparedStatement(
        name: "list_permissions",
        sql: """
            WITH \(SQLFragment.callerAndGrants)
            SELECT
                CASE WHEN NOT EXISTS (SELECT 1 FROM caller) THEN \(Refusal.unauthenticated.literal) ELSE \(Verdict.okLiteral) END,
                (SELECT '[' || coalesce(string_agg(\(permissionJSON)::text, ',' ORDER BY p.id), '') || ']'
                 FROM permissions p WHERE $3::timestamptz IS NULL OR p.updated_at > $3::timestamptz)
            """,
        isIdempotent: true,
        isReadOnly: true
    )

    /// `permissions.update`: when the caller holds `access-permissions` and every permission (`_id`) and role
    /// named in `$3` (a JSON array of `{_id, roles}`) exists, replaces those permissions' roles, all in one
    /// statement. Returns the verdict and, when applied, every permission.
    static let update = PreparedStatement(
        name: "update_permissions",
        sql: """
            WITH \(SQLFragment.callerAndGrants),
            input AS (
                SELECT x._id AS id, coalesce(x.roles, '{}') AS roles FROM jsonb_to_recordset($3::jsonb) AS x(_id text, roles text[])
            ),
            check_result AS (
                SELECT CASE
                    WHEN NOT EXISTS (SELECT 1 FROM caller) THEN \(Refusal.unauthenticated.literal)
                    WHEN NOT EXISTS (SELECT 1 FROM caller c JOIN permissions p ON p.id = 'access-permissions' AND p.roles && c.roles)
                        THEN \(Refusal.forbidden.literal)
                    WHEN EXISTS (SELECT 1 FROM input WHERE NOT EXISTS (SELECT 1 FROM permissions p WHERE p.id = input.id))
                      OR (SELECT count(DISTINCT id) FROM input) <> (SELECT count(*) FROM input)
                        THEN \(Refusal.unknownPermission.literal)
                    WHEN EXISTS (SELECT 1 FROM input, unnest(input.roles) AS r(role) WHERE NOT EXISTS (SELECT 1 FROM roles WHERE roles.id = r.role))
                        THEN \(Refusal.unknownRole.literal)
                    ELSE \(Verdict.okLiteral) END AS outcome
            ),
            updated AS (
                UPDATE permissions p SET roles = input.roles, updated_at = now()
                FROM input, check_result
                WHERE check_result.outcome = \(Verdict.okLiteral) AND p.id = input.id
                RETURNING p.id, p.roles, p.updated_at
            )
            SELECT
                check_result.outcome,
                CASE WHEN check_result.outcome = \(Verdict.okLiteral) THEN (
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

    /// A permission row aliased `p` as Rocket.Chat's permission document `{_id, roles, _updatedAt}`.
    private static let permissionJSON = """
        json_build_object('_id', p.id, 'roles', to_json(p.roles), '_updatedAt', \(SQLFragment.isoDate("p.updated_at")))
        """
}
