import LibPQ

extension LoadDataSet {
    /// Writes the data set into a migrated database with set-based SQL (no per-row round trips): a million
    /// integrations and five million history records take minutes, not hours. Rows that exist are kept, so
    /// seeding twice changes nothing; a larger set can be seeded over a smaller one.
    public func seed(_ pool: ConnectionPool) async throws {
        let settings: [(String, Int)] = [
            ("loadtest.integrations", integrations),
            ("loadtest.history_integrations", historyIntegrations),
            ("loadtest.history_per_integration", historyPerIntegration),
        ]
        try await pool.withSession { session in
            for (name, value) in settings {
                _ = try session.execute(sql: "SELECT set_config($1, $2, false)", [name, String(value)])
            }
            try session.executeScript(Self.seedSQL)
            // VACUUM cannot run in a transaction or a multi-statement string: its own call.
            try session.executeScript("VACUUM (ANALYZE) integrations, integration_history, users, login_tokens")
        }
    }

    /// The seed, reading its sizes from the session settings `loadtest.*`.
    static let seedSQL = """
        BEGIN;
        INSERT INTO roles (id, description) VALUES ('bench-own', 'load test: own integrations only') ON CONFLICT DO NOTHING;
        UPDATE permissions SET roles = array_append(roles, 'bench-own')
        WHERE id IN ('manage-own-incoming-integrations', 'manage-own-outgoing-integrations') AND NOT 'bench-own' = ANY (roles);

        INSERT INTO users (id, username, email, name, roles)
        SELECT 'benchuser' || lpad(n::text, 8, '0'), 'bench' || n, 'bench' || n || '@example.com', 'Bench ' || n,
               CASE WHEN n <= 10 THEN '{admin}'::text[] WHEN n <= 55 THEN '{user,bench-own}'::text[] ELSE '{user}'::text[] END
        FROM generate_series(1, 100) AS n
        ON CONFLICT DO NOTHING;

        INSERT INTO login_tokens (hashed_token, user_id)
        SELECT encode(sha256(convert_to('bench-token-' || n, 'UTF8')), 'base64'), 'benchuser' || lpad(n::text, 8, '0')
        FROM generate_series(1, 100) AS n
        ON CONFLICT DO NOTHING;

        INSERT INTO integrations (doc)
        SELECT jsonb_build_object(
            '_id', 'benchint' || lpad(n::text, 9, '0'),
            'type', CASE WHEN n % 2 = 1 THEN 'webhook-outgoing' ELSE 'webhook-incoming' END,
            'name', 'Benchmark integration ' || n,
            'enabled', true,
            'username', 'rocket.cat',
            'channel', jsonb_build_array('#general'),
            'event', 'sendMessage',
            'urls', jsonb_build_array('https://hooks.example.com/bench/' || n),
            'triggerWords', jsonb_build_array('deploy', 'status'),
            'alias', 'Bench bot', 'avatar', 'https://example.com/avatar.png', 'emoji', ':robot:',
            'token', md5('token' || n) || md5('more' || n),
            'retryFailedCalls', true, 'retryCount', 6, 'retryDelay', 'powers-of-ten',
            'impersonateUser', false, 'runOnEdits', false,
            'scriptEnabled', true,
            'script', 'class Script { prepare_outgoing_request({ request }) { return { url: request.url, headers: request.headers, ' ||
                      'method: "POST", data: { text: request.data.text, integration: ' || n || ' } }; } process_outgoing_response({ response }) ' ||
                      '{ return { content: { text: "done " + response.status_code } }; } }',
            '_createdAt', '2024-01-10T14:12:52.201Z',
            '_createdBy', jsonb_build_object('_id', 'benchuser' || lpad((11 + n % 90)::text, 8, '0'), 'username', 'bench' || (11 + n % 90)),
            '_updatedAt', '2024-01-10T14:12:52.203Z'
        )
        FROM generate_series(1, current_setting('loadtest.integrations')::int) AS n
        ON CONFLICT DO NOTHING;

        INSERT INTO integration_history (doc)
        SELECT jsonb_build_object(
            '_id', 'benchhist' || lpad(i::text, 9, '0') || '-' || r,
            'type', 'outgoing-webhook',
            'step', 'after-process-http-status-success',
            'integration', jsonb_build_object('_id', 'benchint' || lpad(i::text, 9, '0'), 'name', 'Benchmark integration ' || i),
            'event', 'sendMessage',
            '_createdAt', '2019-11-29T14:15:27.518Z',
            '_updatedAt', to_char(timestamp '2019-11-29 14:15:27.518' + r * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'data', jsonb_build_object('token', 'abc', 'channel_id', 'GENERAL', 'channel_name', 'general', 'user_name', 'bench1',
                                       'text', 'deploy status ' || r, 'bot', false, 'timestamp', '2019-11-29T14:15:27.475Z'),
            'triggerWord', 'deploy',
            'ranPrepareScript', true,
            'prepareSentMessage', jsonb_build_array(jsonb_build_object('channel', '#general', 'message', jsonb_build_object('msg', 'deploying'))),
            'processSentMessage', jsonb_build_array(jsonb_build_object('channel', '#general', 'message', jsonb_build_object('msg', 'deployed'))),
            'url', 'https://hooks.example.com/bench/' || i,
            'httpCallData', jsonb_build_object('method', 'POST', 'headers', jsonb_build_object('content-type', 'application/json'),
                                               'data', jsonb_build_object('text', 'deploy status ' || r, 'attempt', r, 'amount', 1.50)),
            'httpResult', '{"ok":true,"id":' || r || '}',
            'finished', true
        )
        FROM generate_series(1, least(current_setting('loadtest.history_integrations')::int * 2 - 1,
                                      current_setting('loadtest.integrations')::int), 2) AS i,
             generate_series(1, current_setting('loadtest.history_per_integration')::int) AS r
        ON CONFLICT DO NOTHING;
        COMMIT;
        """
}
