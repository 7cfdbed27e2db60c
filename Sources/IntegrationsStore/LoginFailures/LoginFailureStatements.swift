import LibPQ

/// The SQL of ``LoginFailureRepository``: failed-login counts, shared by every worker.
enum LoginFailureStatements {
    static let all: [PreparedStatement] = [loginBlock, recordFailedLogin, forgetFailedLogins]

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
        isIdempotent: true,
        isReadOnly: true
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
}
