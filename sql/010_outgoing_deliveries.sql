-- Outgoing webhooks: which integrations an event triggers, and the durable queue of their deliveries.
--
-- An event (a message, a join, a new user …) is written in the same statement as the deliveries it triggers
-- (a transactional outbox): `outgoing_events` holds what Rocket.Chat would have in memory when it maps the
-- event to a payload (the room, the user, the message, as Rocket.Chat documents), once per event;
-- `outgoing_deliveries` holds one row per (event, integration, URL), Rocket.Chat's unit of "one attempt per
-- URL" and of its retries. A delivery row lives until its last attempt ends; history records are the trace.

-- The channel buckets an outgoing integration listens on (Rocket.Chat's in-memory trigger map): `__any` for
-- the events that ignore channels, `all_public_channels` for an empty channel list, else the list itself.
CREATE FUNCTION outgoing_trigger_buckets(doc jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN doc ->> 'type' IS DISTINCT FROM 'webhook-outgoing' THEN '{}'::text[]
        WHEN doc ->> 'event' IN ('roomArchived', 'roomCreated', 'userCreated') THEN '{__any}'::text[]
        WHEN jsonb_typeof(doc -> 'channel') <> 'array' OR jsonb_array_length(doc -> 'channel') = 0
            THEN '{all_public_channels}'::text[]
        ELSE ARRAY(SELECT jsonb_array_elements_text(doc -> 'channel'))
    END
$$;

ALTER TABLE integrations
    ADD COLUMN event           text    GENERATED ALWAYS AS (doc ->> 'event') STORED,
    -- Rocket.Chat fires only `enabled === true`.
    ADD COLUMN enabled         boolean GENERATED ALWAYS AS (coalesce(doc -> 'enabled' = 'true'::jsonb, false)) STORED,
    ADD COLUMN trigger_buckets text[]  GENERATED ALWAYS AS (outgoing_trigger_buckets(doc)) STORED;

CREATE INDEX integrations_outgoing_triggers_idx ON integrations USING gin (trigger_buckets)
    WHERE type = 'webhook-outgoing' AND enabled;

CREATE TABLE outgoing_events (
    id         text PRIMARY KEY,
    event      text NOT NULL,
    -- {timestamp, room?, user?, owner?, message?}: the documents the payload is mapped from.
    context    jsonb NOT NULL CHECK (jsonb_typeof(context) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX outgoing_events_created_at_idx ON outgoing_events (created_at);

CREATE TABLE outgoing_deliveries (
    -- The Standard Webhooks `webhook-id`: the same on every retry of this delivery.
    id             text PRIMARY KEY,
    event_id       text NOT NULL REFERENCES outgoing_events (id) ON DELETE CASCADE,
    -- No foreign key: a removed or disabled integration is found at the claim, and the delivery dropped.
    integration_id text NOT NULL,
    url            text NOT NULL,
    trigger_word   text,
    -- Rocket.Chat's `tries`: attempts made before the next one (0 for the first call).
    tries          integer NOT NULL DEFAULT 0,
    -- When the next attempt may start; while an attempt runs, when its lease expires (then another worker
    -- takes the delivery over, without counting a try).
    due_at         timestamptz NOT NULL DEFAULT now(),
    -- The fence of the attempt in flight: a result is written only with the token of the current lease.
    lease_token    text,
    lease_owner    text,
    -- The history record of the attempt in flight.
    history_id     text,
    created_at     timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05);

CREATE INDEX outgoing_deliveries_due_idx ON outgoing_deliveries (due_at);
-- For the cleanup of events whose deliveries have all ended. (Every index costs two entries per delivery, at its
-- insert and at its claim: the queue has no other.)
CREATE INDEX outgoing_deliveries_event_idx ON outgoing_deliveries (event_id);

-- channels.archive: Rocket.Chat's permission, granted to admin and to a room's owner (a room role, see 009).
INSERT INTO permissions (id, roles) VALUES ('archive-room', '{admin,owner}')
ON CONFLICT (id) DO NOTHING;
