import IntegrationsCore
import LibPQ

/// The SQL of ``DeliveryRepository``: the delivery engine's claim, attempt start, attempt end, lease renewal and
/// release, replay, cleanup and statistics. Every write after the claim is fenced by the lease token, in the
/// `WHERE` of the write itself (a row whose lease another worker took has another token, also when PostgreSQL
/// re-checks a row that changed under the statement).
///
/// The batched statements take parallel arrays and reach every row through its primary key (`id = ANY (…)`,
/// the matching element by `array_position`) rather than by joining `unnest(…)`.
enum DeliveryStatements {
    static let all: [PreparedStatement] = [claim, begin, complete, completeAndDisable, renew, release, replay, purgeEvents, statistics, notify]

    /// The delivery engine's statements, prepared by its own pool.
    static let engine: [PreparedStatement] = [claim, begin, complete, completeAndDisable, renew, release, notify]

    /// How the engine's pool plans its statements: once per connection (a generic plan), and only as keyed
    /// lookups and nested loops. The queue's tables grow from nothing to many thousand rows within a second and
    /// shrink as fast, far quicker than their statistics follow; a plan chosen while they were small (a sequential
    /// scan of a table "of one page", a hash join over it) then runs against the large table for as long as the
    /// connection lives: one burst of 40,000 deliveries made every claim a 19 ms scan. Every statement here has an
    /// index for each table it reads, so forbidding the other plans costs nothing when the tables are small.
    static let sessionParameters: [SessionParameter] = [
        SessionParameter("plan_cache_mode", "force_generic_plan"),
        SessionParameter("enable_seqscan", "off"),
        SessionParameter("enable_hashjoin", "off"),
        SessionParameter("enable_mergejoin", "off"),
        SessionParameter("enable_material", "off"),
    ]

    /// Claims up to `$1` due deliveries for `$3` under a lease of `$2` seconds (Convoy's and River's claim: a
    /// materialized CTE with `FOR UPDATE SKIP LOCKED`, so concurrent workers never wait on each other; the rows it
    /// locked are updated by their `ctid`). A lease is the delivery's due time pushed forward: a delivery whose
    /// worker died is due again when it expires, with its `tries` unchanged. Returns each delivery with its event
    /// and its integration's current document (NULL when removed), and whether an earlier attempt of it was
    /// abandoned in flight.
    static let claim = PreparedStatement(
        name: "claim_deliveries",
        sql: """
            WITH due AS MATERIALIZED (
                SELECT ctid FROM outgoing_deliveries
                WHERE due_at <= now()
                ORDER BY due_at
                LIMIT $1::int
                FOR UPDATE SKIP LOCKED
            ),
            claimed AS (
                UPDATE outgoing_deliveries d
                SET due_at = now() + make_interval(secs => $2::double precision),
                    lease_token = gen_random_uuid()::text, lease_owner = $3::text
                WHERE d.ctid = ANY (ARRAY(SELECT ctid FROM due))
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

    /// The position of delivery `d` in the batch's arrays.
    private static let position = "array_position($1::text[], d.id)"

    /// Starts attempts: for each delivery `$1[i]` still leased with token `$2[i]`, records history record
    /// `$4[i]` (with id `$3[i]`: a document at `pre-http-call` or at a step that ends the delivery, to which the
    /// integration's current document is added as `integration`; NULL for none) as the attempt in flight; `$5[i]`
    /// true ends the delivery with it (no call to make). Returns the ids of the deliveries whose lease held.
    static let begin = PreparedStatement(
        name: "begin_delivery_attempts",
        sql: """
            WITH started AS (
                UPDATE outgoing_deliveries d SET history_id = ($3::text[])[\(position)]
                WHERE d.id = ANY ($1::text[]) AND d.lease_token = ($2::text[])[\(position)] AND NOT ($5::boolean[])[\(position)]
                RETURNING d.id, d.integration_id, \(position) AS position
            ),
            ended AS (
                DELETE FROM outgoing_deliveries d
                WHERE d.id = ANY ($1::text[]) AND d.lease_token = ($2::text[])[\(position)] AND ($5::boolean[])[\(position)]
                RETURNING d.id, d.integration_id, \(position) AS position
            ),
            held AS (SELECT * FROM started UNION ALL SELECT * FROM ended),
            recorded AS (
                -- Rocket.Chat's snapshot of the integration, copied from its row (no text round trip).
                INSERT INTO integration_history (doc)
                SELECT ($4::text[])[h.position]::jsonb || jsonb_build_object('integration', coalesce(
                    (SELECT i.doc FROM integrations i WHERE i.id = h.integration_id), jsonb_build_object('_id', h.integration_id)
                ))
                FROM held h WHERE ($4::text[])[h.position] IS NOT NULL
                RETURNING 1
            )
            SELECT id FROM held
            """,
        isIdempotent: false
    )

    /// Ends attempts, in one statement: for each delivery `$1[i]` still leased with token `$2[i]`, merges
    /// `$4[i]` (the fields the attempt's end sets, `step` among them) into its record `$3[i]`, then by `$5[i]`:
    /// `finish` (or `disable`) deletes the delivery, `retry` makes it due again in `$6[i]` seconds with one more try.
    /// An attempt whose lease was lost changes nothing. Returns the lease tokens that held.
    static let complete = PreparedStatement(name: "complete_delivery_attempts", sql: completeSQL(disabling: false), isIdempotent: false)

    /// ``complete`` that also disables the integrations of the attempts whose action is `disable` (Rocket.Chat's
    /// 410), in the same transaction. A statement of its own: an `UPDATE` of `integrations`, even of no row, opens
    /// all of that table's indexes, and almost no batch disables anything.
    static let completeAndDisable = PreparedStatement(
        name: "complete_delivery_attempts_disabling",
        sql: completeSQL(disabling: true),
        isIdempotent: false
    )

    private static func completeSQL(disabling: Bool) -> String {
        let disabled = """
            ,
            disabled AS (
                UPDATE integrations i
                SET doc = i.doc || jsonb_build_object('enabled', false, '_updatedAt', \(SQLFragment.isoDate("now()")))
                WHERE i.id = ANY (ARRAY(SELECT integration_id FROM held WHERE ($5::text[])[position] = 'disable'))
                RETURNING 1
            )
            """
        return """
            WITH finished AS (
                DELETE FROM outgoing_deliveries d
                WHERE d.id = ANY ($1::text[]) AND d.lease_token = ($2::text[])[\(position)] AND ($5::text[])[\(position)] <> 'retry'
                RETURNING d.integration_id, d.lease_token, \(position) AS position
            ),
            retried AS (
                UPDATE outgoing_deliveries d
                SET tries = d.tries + 1, due_at = now() + make_interval(secs => ($6::double precision[])[\(position)]),
                    lease_token = NULL, lease_owner = NULL, history_id = NULL
                WHERE d.id = ANY ($1::text[]) AND d.lease_token = ($2::text[])[\(position)] AND ($5::text[])[\(position)] = 'retry'
                RETURNING d.integration_id, ($2::text[])[\(position)] AS lease_token, \(position) AS position
            ),
            held AS (SELECT * FROM finished UNION ALL SELECT * FROM retried),
            recorded AS (
                UPDATE integration_history h SET doc = h.doc || ($4::text[])[array_position($3::text[], h.id)]::jsonb
                WHERE h.id = ANY (ARRAY(SELECT ($3::text[])[position] FROM held))
                RETURNING 1
            )\(disabling ? disabled : "")
            SELECT lease_token FROM held
            """
    }

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
