-- Listing order: Rocket.Chat's integrations.list has no meaningful default sort (its `ts` field does not
-- exist on integrations), so MongoDB answers in insertion (natural) order. `seq` records that order.
ALTER TABLE integrations
    ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;

CREATE UNIQUE INDEX integrations_seq_idx ON integrations (seq);
