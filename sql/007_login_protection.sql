-- Rocket.Chat's login protections, shared by every worker process.

-- Failed logins since the last successful one, per client address and per user
-- (Block_Multiple_Failed_Logins_*): a key is blocked while it has at least the configured number of
-- failures and its last failure is more recent than the unblock time.
CREATE TABLE failed_logins (
    kind text NOT NULL CHECK (kind IN ('ip', 'user')),
    key text NOT NULL,
    failures integer NOT NULL,
    last_failed_at timestamptz NOT NULL,
    PRIMARY KEY (kind, key)
);
-- Counts untouched for a day are dropped when the next failure is recorded.
CREATE INDEX failed_logins_last_failed_at ON failed_logins (last_failed_at);

-- The REST API rate limiter's fixed windows (API_Enable_Rate_Limiter): requests per client address and
-- route. Unlogged: losing the counters in a crash only forgives some requests.
CREATE UNLOGGED TABLE rate_limit_windows (
    key text PRIMARY KEY,
    window_started_at timestamptz NOT NULL,
    requests integer NOT NULL
);
-- Windows older than a day are dropped when the next request is counted.
CREATE INDEX rate_limit_windows_started_at ON rate_limit_windows (window_started_at);
