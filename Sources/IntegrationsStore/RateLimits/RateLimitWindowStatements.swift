import LibPQ

/// The SQL of ``RateLimitWindowRepository``: the rate limiter's fixed windows, shared by every worker.
enum RateLimitWindowStatements {
    static let all: [PreparedStatement] = [countRequest]

    /// Counts one request of key `$1` in its fixed window of `$2` milliseconds; returns the requests in the
    /// window and the window's end in epoch milliseconds. Other keys' windows older than a day are dropped.
    static let countRequest = PreparedStatement(
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
