/// Pieces of SQL text that several use cases' statements are built from. Every piece is constant text: values
/// only ever reach PostgreSQL as bound parameters.
enum SQLFragment {
    /// The CTE every authenticated statement starts with: `caller`, the user whose id is `$1` and token hash `$2`
    /// (no row when they do not match).
    static let caller = """
        caller AS (
            SELECT u.id, u.roles
            FROM login_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.hashed_token = $2 AND t.user_id = $1 AND u.active
        )
        """

    /// ``caller`` and `grants` (one row: the caller's four integration permissions).
    static let callerAndGrants = """
        \(caller),
        grants AS (
            SELECT
                coalesce(bool_or(p.id = 'manage-incoming-integrations'), false) AS all_incoming,
                coalesce(bool_or(p.id = 'manage-own-incoming-integrations'), false) AS own_incoming,
                coalesce(bool_or(p.id = 'manage-outgoing-integrations'), false) AS all_outgoing,
                coalesce(bool_or(p.id = 'manage-own-outgoing-integrations'), false) AS own_outgoing
            FROM caller c JOIN permissions p ON p.roles && c.roles
        )
        """

    /// Whether a role array expression holds a permission (Rocket.Chat's `hasPermission`: one of the roles is granted
    /// it). The permission row is aliased `held`, which the expression must not use.
    static func holds(_ permission: String, roles: String) -> String {
        "EXISTS (SELECT 1 FROM permissions held WHERE held.id = '\(permission)' AND held.roles && \(roles))"
    }

    /// A setting's value (jsonb) by its id, or `fallback` (a jsonb literal, Rocket.Chat's default) when it has no row.
    static func setting(_ id: String, default fallback: String) -> String {
        "coalesce((SELECT s.value FROM settings s WHERE s.id = '\(id)'), '\(fallback)'::jsonb)"
    }

    /// JavaScript's truthiness of a jsonb expression: `false`, `null`, `0` and `""` are false, all else true.
    static func isTruthy(_ json: String) -> String {
        """
        CASE jsonb_typeof(\(json)) WHEN 'boolean' THEN (\(json))::boolean WHEN 'null' THEN false
            WHEN 'number' THEN (\(json))::numeric <> 0 WHEN 'string' THEN (\(json)) #>> '{}' <> '' ELSE true END
        """
    }

    /// A `timestamptz` expression as Rocket.Chat's date text, `2019-11-29T14:15:27.518Z`.
    static func isoDate(_ expression: String) -> String {
        "to_char(\(expression) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    }

    /// The columns after the verdict of a paged listing: the total (CTE `visible`), the page size and the
    /// page as one JSON array text in order (CTE `page` with `doc` and `position`). ``PageOfDocuments`` reads them.
    static let pageColumns = """
        (SELECT count(*) FROM visible),
                        (SELECT count(*) FROM page),
                        (SELECT '[' || coalesce(string_agg(doc::text, ',' ORDER BY position), '') || ']' FROM page)
        """

    /// `ORDER BY` terms for up to three sort keys passed as parameters: a document path (`text[]`) and a
    /// direction (`1`, `-1`, or `0`/`NULL` for an unused slot), starting at parameter `$first`. The SQL text is
    /// fixed; only the bound values change, so one prepared statement serves every whitelisted sort.
    static func sortTerms(firstParameter first: Int) -> String {
        (0..<3).map { slot in
            let path = "$\(first + 2 * slot)::text[]"
            let direction = "$\(first + 2 * slot + 1)::int"
            return "CASE WHEN \(direction) = 1 THEN doc #> \(path) END ASC, CASE WHEN \(direction) = -1 THEN doc #> \(path) END DESC"
        }.joined(separator: ", ")
    }

    /// The CTE `page` of a listing: the rows of CTE `visible` (with `doc` and the `tieBreaker` column) numbered
    /// in the sort of the parameters from `$firstSortParameter` (``sortTerms(firstParameter:)``), then by
    /// `tieBreaker`, from offset `$offsetParameter`, at most `$(offsetParameter + 1)` of them (all when NULL).
    static func page(sortFrom firstSortParameter: Int, thenBy tieBreaker: String, offsetParameter: Int) -> String {
        """
        page AS (
                SELECT doc, row_number() OVER (ORDER BY \(sortTerms(firstParameter: firstSortParameter)), \(tieBreaker)) AS position
                FROM visible
                ORDER BY position
                OFFSET $\(offsetParameter)::int LIMIT $\(offsetParameter + 1)::int
            )
        """
    }

    /// Rocket.Chat's user document (`users.info`, and the `user` of outgoing webhook payloads) for the users row
    /// aliased `alias`, as `json`; `emails` only when the SQL boolean `withEmails` holds. Never `services`.
    static func userDocument(_ alias: String, withEmails: String) -> String {
        """
        json_strip_nulls(json_build_object(
                '_id', \(alias).id, 'createdAt', \(isoDate("\(alias).created_at")), 'username', \(alias).username,
                'emails', CASE WHEN \(withEmails) AND \(alias).email IS NOT NULL
                               THEN json_build_array(json_build_object('address', \(alias).email, 'verified', \(alias).email_verified)) END,
                'type', \(alias).type, 'status', 'offline', 'active', \(alias).active, 'roles', to_json(\(alias).roles), 'name', \(alias).name,
                'utcOffset', 0, '_updatedAt', \(isoDate("\(alias).updated_at"))
            ))
        """
    }

    /// Rocket.Chat's room document for the rooms row aliased `alias`, as `json`, with `usersCount` given as an
    /// expression (the statements that change membership count before their own change).
    static func roomDocument(_ alias: String, usersCount: String) -> String {
        """
        json_build_object(
            '_id', \(alias).id, 'name', \(alias).name, 'fname', \(alias).name, 't', \(alias).type, 'msgs', 0, 'usersCount', \(usersCount),
            'u', json_build_object('_id', \(alias).creator_id, 'username', \(alias).creator_username), 'customFields', '{}'::json,
            'ts', \(isoDate("\(alias).created_at")), 'ro', \(alias).read_only, 'default', \(alias).is_default, 'sysMes', true,
            '_updatedAt', \(isoDate("\(alias).updated_at"))
        )
        """
    }
}
