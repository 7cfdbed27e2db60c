-- The benchmark's data set, set-based (psql variables: integrations, history_integrations, history_per_integration).
-- Users bench1..bench100 with login tokens 'bench-token-<n>': 1–10 admins, 11–55 with the "own" integration
-- permissions only, the rest plain users. Integrations benchint000000001… of both types (~1 KB each); the first
-- history_integrations outgoing ones get history_per_integration records each, shaped like the API page's example.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO roles (id, description) VALUES ('bench-own', 'benchmark: own integrations only') ON CONFLICT DO NOTHING;
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
FROM generate_series(1, :integrations) AS n
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
FROM generate_series(1, :history_integrations * 2, 2) AS i, generate_series(1, :history_per_integration) AS r
ON CONFLICT DO NOTHING;
COMMIT;
VACUUM (ANALYZE) integrations, integration_history, users, login_tokens;
