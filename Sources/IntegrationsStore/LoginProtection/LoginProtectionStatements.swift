import LibPQ

/// The SQL of ``LoginProtectionRepository``: failed-login counts and rate-limit windows, shared by every worker.
enum LoginProtectionStatements {
    static let all: [PreparedStatement] = [loginBlock, recordFailedLogin, forgetFailedLogins, countRateLimitedRequest]

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
}
