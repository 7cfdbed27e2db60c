import IntegrationsCore
import LibPQ

/// The SQL of ``DeliveryRepository``: the delivery engine's claim, attempt start, attempt end, lease renewal and
/// release, replay, cleanup and statistics. Every write after the claim is fenced by the lease token.
///
/// The batched statements take parallel arrays and reach every row through its primary key (`id = ANY (…)`,
/// the matching element by `array_position`) rather than by joining `unnest(…)`: the tables grow and shrink
/// faster than their statistics follow, and a join planned on stale statistics became a hash join over a
/// sequential scan of the whole history, for every batch.
enum DeliveryStatements {
    static let all: [PreparedStatement] = [claim, begin, complete, renew, release, replay, purgeEvents, statistics, notify]

    /// Claims up to `$1` due deliveries for `$3` under a lease of `$2` seconds (Convoy's and River's claim: a
    /// materialized CTE with `FOR UPDATE SKIP LOCKED`, so concurrent workers never wait on each other). A lease
    /// is the delivery's due time pushed forward: a delivery whose worker died is due again when it expires,
    /// with its `tries` unchanged. Returns each delivery with its event and its integration's current document
    /// (NULL when removed), and whether an earlier attempt of it was abandoned in flight.
    static let claim = PreparedStatement(
        name: "claim_deliveries",
        sql: """
            WITH due AS MATERIALIZED (
                SELECT id FROM outgoing_deliveries
                WHERE due_at <= now()
                ORDER BY due_at
                LIMIT $1::int
                FOR UPDATE SKIP LOCKED
            ),
            claimed AS (
                UPDATE outgoing_deliveries d
                SET due_at = now() + make_interval(secs => $2::double precision),
                    lease_token = gen_random_uuid()::text, lease_owner = $3::text
                WHERE d.id = ANY (ARRAY(SELECT id FROM due))
                RETURNING d.id, d.event_id, d.integration_id, d.url, d.trigger_word, d.tries, d.lease_token, d.history_id
            )
            SELECT c.id, c.integration_id, c.url, c.trigger_word, c.tries, c.lease_token, c.history_id,
                   e.event, e.context::text, i.doc::text
            FROM claimed c
            CROSS JOIN LATERAL (SELECT event, context FROM outgoing_events WHERE id = c.event_id) e
            LEFT JOIN LATERAL (
                SELECT doc FROM integrations WHERE id = c.integration_id AND type = 'webhook-outgoing'
            ) i ON true
            """,
        isIdempotent: false
    )

    /// Starts attempts: for each delivery `$1[i]` still leased with token `$2[i]`, records history record
    /// `$3[i]` (a document at `pre-http-call` or at a step that ends the delivery, to which the integration's
    /// current document is added as `integration`; NULL for none) as the attempt in flight; `$4[i]` true ends the delivery with it (no call to make). Returns the ids of the deliveries
    /// whose lease held.
    static let begin = PreparedStatement(
        name: "begin_delivery_attempts",
        sql: """
            WITH fenced AS (
                SELECT d.id, d.integration_id, ($3::text[])[a.position] AS doc, ($4::boolean[])[a.position] AS ends
                FROM outgoing_deliveries d, LATERAL (SELECT array_position($1::text[], d.id) AS position) a
                WHERE d.id = ANY ($1::text[]) AND d.lease_token = ($2::text[])[a.position]
                FOR UPDATE OF d
            ),
            recorded AS (
                -- Rocket.Chat's snapshot of the integration, copied from its row (no text round trip).
                INSERT INTO integration_history (doc)
                SELECT f.doc::jsonb || jsonb_build_object('integration', coalesce(
                    (SELECT i.doc FROM integrations i WHERE i.id = f.integration_id), jsonb_build_object('_id', f.integration_id)
                ))
                FROM fenced f WHERE f.doc IS NOT NULL
                RETURNING id
            ),
            started AS (
                UPDATE outgoing_deliveries d
                SET history_id = (SELECT f.doc::jsonb ->> '_id' FROM fenced f WHERE f.id = d.id)
                WHERE d.id = ANY (ARRAY(SELECT id FROM fenced WHERE NOT ends))
                RETURNING d.id
            ),
            ended AS (
                DELETE FROM outgoing_deliveries d WHERE d.id = ANY (ARRAY(SELECT id FROM fenced WHERE ends)) RETURNING d.id
            )
            SELECT id FROM fenced
            """,
        isIdempotent: false
    )

    /// Ends attempts, in one statement: for each delivery `$1[i]` still leased with token `$2[i]`, merges
    /// `$4[i]` (the fields the attempt's end sets, `step` among them) into its record `$3[i]`, then by `$5[i]`:
    /// `finish` deletes the delivery, `retry` makes it due again in `$6[i]` seconds with one more try, `disable`
    /// deletes it and disables the integration (Rocket.Chat's 410). An attempt whose lease was lost changes
    /// nothing. Returns the lease tokens that held.
    static let complete = PreparedStatement(
        name: "complete_delivery_attempts",
        sql: """
            WITH fence AS (
                SELECT d.id, d.integration_id, d.lease_token, a.position, ($5::text[])[a.position] AS action
                FROM outgoing_deliveries d, LATERAL (SELECT array_position($1::text[], d.id) AS position) a
                WHERE d.id = ANY ($1::text[]) AND d.lease_token = ($2::text[])[a.position]
                FOR UPDATE OF d
            ),
            recorded AS (
                UPDATE integration_history h
                SET doc = h.doc || (SELECT ($4::text[])[f.position] FROM fence f WHERE ($3::text[])[f.position] = h.id)::jsonb
                WHERE h.id = ANY (ARRAY(SELECT ($3::text[])[position] FROM fence))
                RETURNING h.id
            ),
            finished AS (
                DELETE FROM outgoing_deliveries d WHERE d.id = ANY (ARRAY(SELECT id FROM fence WHERE action <> 'retry')) RETURNING d.id
            ),
            retried AS (
                UPDATE outgoing_deliveries d
                SET tries = d.tries + 1,
                    due_at = now() + make_interval(secs => (SELECT ($6::double precision[])[f.position] FROM fence f WHERE f.id = d.id)),
                    lease_token = NULL, lease_owner = NULL, history_id = NULL
                WHERE d.id = ANY (ARRAY(SELECT id FROM fence WHERE action = 'retry'))
                RETURNING d.id
            ),
            disabled AS (
                UPDATE integrations i
                SET doc = i.doc || jsonb_build_object('enabled', false, '_updatedAt', \(SQLFragment.isoDate("now()")))
                WHERE i.id = ANY (ARRAY(SELECT integration_id FROM fence WHERE action = 'disable'))
                RETURNING i.id
            )
            SELECT lease_token FROM fence
            """,
        isIdempotent: false
    )

    /// Extends the leases `$1[i]` / `$2[i]` still held to `$3` seconds from now (calls longer than a lease).
    static let renew = PreparedStatement(
        name: "renew_delivery_leases",
        sql: """
            UPDATE outgoing_deliveries d SET due_at = now() + make_interval(secs => $3::double precision)
            WHERE d.id = ANY ($1::text[]) AND d.lease_token = ($2::text[])[array_position($1::text[], d.id)]
            """,
        isIdempotent: true
    )

    /// Gives back the leases `$1[i]` / `$2[i]` of attempts that will not run (a worker stopping): due now, the
    /// started history record left at its last step.
    static let release = PreparedStatement(
        name: "release_delivery_leases",
        sql: """
            UPDATE outgoing_deliveries d SET due_at = now(), lease_token = NULL, lease_owner = NULL, history_id = NULL
            WHERE d.id = ANY ($1::text[]) AND d.lease_token = ($2::text[])[array_position($1::text[], d.id)]
            """,
        isIdempotent: true
    )

    /// `integrations.replayOutgoing` in one statement: authenticates (`$1`, `$2`); requires an outgoing
    /// permission; finds integration `$3` (the caller's own unless it holds `manage-outgoing-integrations`) and its
    /// history record `$4`; enqueues a new delivery of the record's payload (`data`) of its event to its `url`,
    /// due now (nothing when the record has no `url`, as in Rocket.Chat). Returns the verdict and the count.
    static let replay = PreparedStatement(
        name: "replay_delivery",
        sql: """
            WITH \(SQLFragment.callerAndGrants),
            found AS (
                SELECT i.id, i.type, i.created_by, h.doc AS history
                FROM integrations i
                LEFT JOIN integration_history h ON h.id = $4::text AND h.integration_id = i.id
                WHERE i.id = $3::text
            ),
            verdict AS (
                SELECT
                    f.history,
                    CASE
                        WHEN c.id IS NULL THEN \(Refusal.unauthenticated.literal)
                        WHEN NOT (g.all_outgoing OR g.own_outgoing) THEN \(Refusal.forbidden.literal)
                        WHEN f.id IS NULL THEN \(Refusal.invalidIntegration.literal)
                        WHEN NOT g.all_outgoing AND f.created_by IS DISTINCT FROM c.id THEN \(Refusal.invalidIntegration.literal)
                        WHEN f.history IS NULL THEN \(Refusal.invalidHistory.literal)
                        WHEN f.type <> 'webhook-outgoing' THEN \(Refusal.notOutgoing.literal)
                        WHEN jsonb_typeof(f.history -> 'data') IS DISTINCT FROM 'object' THEN \(Refusal.historyWithoutData.literal)
                        -- A record without a known event (an imported one) cannot say what to replay.
                        WHEN f.history ->> 'event' IS NULL
                             OR f.history ->> 'event' NOT IN (\(OutgoingEvent.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")))
                        THEN \(Refusal.historyWithoutData.literal)
                        ELSE \(Verdict.okLiteral)
                    END AS outcome
                FROM (SELECT 1) AS one
                LEFT JOIN caller c ON true
                LEFT JOIN grants g ON true
                LEFT JOIN found f ON true
            ),
            replayed AS (
                SELECT history FROM verdict
                WHERE outcome = \(Verdict.okLiteral) AND jsonb_typeof(history -> 'url') = 'string' AND history ->> 'url' <> ''
            ),
            outgoing_event AS (
                INSERT INTO outgoing_events (id, event, context)
                SELECT $5::text, history ->> 'event', jsonb_build_object('data', history -> 'data') FROM replayed
                RETURNING id
            ),
            outgoing AS (
                INSERT INTO outgoing_deliveries (id, event_id, integration_id, url)
                SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), e.id, $3::text, r.history ->> 'url'
                FROM outgoing_event e CROSS JOIN replayed r
                RETURNING 1
            )
            SELECT outcome, \(OutboxFragment.enqueuedCount) FROM verdict
            """,
        isIdempotent: false
    )

    /// Deletes up to `$1` events older than a minute whose deliveries have all ended.
    static let purgeEvents = PreparedStatement(
        name: "purge_delivered_events",
        sql: """
            WITH done AS (
                SELECT e.id FROM outgoing_events e
                WHERE e.created_at < now() - interval '1 minute'
                    AND NOT EXISTS (SELECT 1 FROM outgoing_deliveries d WHERE d.event_id = e.id)
                ORDER BY e.created_at
                LIMIT $1::int
            )
            DELETE FROM outgoing_events e USING done WHERE e.id = done.id
            """,
        isIdempotent: true
    )

    /// The queue at a glance: deliveries due and waiting, attempts in flight (leased), and the age in seconds of
    /// the oldest due delivery (0 when none).
    static let statistics = PreparedStatement(
        name: "delivery_statistics",
        sql: """
            SELECT count(*) FILTER (WHERE due_at <= now()),
                   count(*) FILTER (WHERE lease_token IS NOT NULL AND due_at > now()),
                   coalesce(extract(epoch FROM now() - min(due_at) FILTER (WHERE due_at <= now())), 0)::double precision
            FROM outgoing_deliveries
            """,
        isIdempotent: true,
        isReadOnly: true
    )

    /// `NOTIFY` on channel `$1` with an empty payload: wakes the engines that listen.
    static let notify = PreparedStatement(
        name: "notify_delivery_engines",
        sql: "SELECT pg_notify($1, '')",
        isIdempotent: true
    )
}
