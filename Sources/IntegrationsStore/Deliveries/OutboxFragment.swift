import IntegrationsCore

/// The SQL that an event's own statement appends to write the outgoing-webhook deliveries the event triggers,
/// in the same statement and so the same transaction as the event (a transactional outbox): when the request
/// is answered, the deliveries exist; when its write fails, neither does.
///
/// Matching is Rocket.Chat's (its trigger map, `triggerHandler.executeTriggers`): integrations of type
/// `webhook-outgoing` with `enabled === true` and this `event`, whose channel buckets (the generated column
/// `trigger_buckets`, see `sql/010_outgoing_deliveries.sql`) meet the event's; one delivery per URL in `urls`.
enum OutboxFragment {
    /// Three CTEs: `outgoing_matches` (integration and URL pairs), `outgoing_event` (the event row, only when
    /// something matched) and `outgoing` (one row per delivery inserted; the statement reports its count).
    ///
    /// - Parameters:
    ///   - event: the event's name.
    ///   - eventId: an SQL expression for the event's id (a parameter).
    ///   - source: a `FROM` list of one row (or none, when the event did not happen) that the other expressions read.
    ///   - buckets: a `text[]` expression of the event's channel buckets (``roomBuckets(_:senderUsername:)``);
    ///     `__any` is always added.
    ///   - context: a `jsonb` expression of the event's documents (``OutgoingPayload`` reads them).
    ///   - condition: whether the event happened at all (an SQL condition over `source`).
    ///   - forIntegration: a further condition on each integration (aliased `i`) and `source`.
    ///   - triggerWordFor: for events with trigger words, the message text expression: only integrations whose
    ///     `triggerWords` are empty or match it (Rocket.Chat's first match: a prefix, or anywhere with
    ///     `triggerWordAnywhere`) are kept, with the word that matched.
    static func enqueue(
        event: OutgoingEvent,
        eventId: String,
        source: String,
        buckets: String,
        context: String,
        where condition: String = "true",
        forIntegration integrationCondition: String = "true",
        triggerWordFor text: String? = nil
    ) -> String {
        let triggerWord = text == nil ? "NULL::text" : "word.value"
        let triggerFilter =
            text == nil
            ? ""
            : """
            AND (jsonb_typeof(i.doc -> 'triggerWords') IS DISTINCT FROM 'array'
                             OR jsonb_array_length(i.doc -> 'triggerWords') = 0 OR word.value IS NOT NULL)
            """
        let wordJoin =
            text.map { text in
                """
                LEFT JOIN LATERAL (
                            SELECT w.value FROM jsonb_array_elements_text(
                                CASE WHEN jsonb_typeof(i.doc -> 'triggerWords') = 'array' THEN i.doc -> 'triggerWords' ELSE '[]' END
                            ) WITH ORDINALITY AS w(value, position)
                            WHERE CASE WHEN i.doc -> 'triggerWordAnywhere' = 'true' THEN strpos(\(text), w.value) > 0
                                       ELSE starts_with(\(text), w.value) END
                            ORDER BY w.position LIMIT 1
                        ) AS word ON true
                """
            } ?? ""
        return """
            outgoing_matches AS (
                SELECT i.id AS integration_id, url.value AS url, \(triggerWord) AS trigger_word
                FROM \(source)
                CROSS JOIN integrations i
                CROSS JOIN LATERAL jsonb_array_elements_text(
                    CASE WHEN jsonb_typeof(i.doc -> 'urls') = 'array' THEN i.doc -> 'urls' ELSE '[]' END
                ) AS url(value)
                \(wordJoin)
                WHERE i.type = 'webhook-outgoing' AND i.enabled AND i.event = '\(event.rawValue)'
                    AND i.trigger_buckets && (\(buckets) || '{__any}'::text[]) AND url.value <> '' AND (\(condition))
                    AND (\(integrationCondition))
                    \(triggerFilter)
            ),
            outgoing_event AS (
                INSERT INTO outgoing_events (id, event, context)
                SELECT \(eventId), '\(event.rawValue)', \(context)
                FROM \(source)
                WHERE EXISTS (SELECT 1 FROM outgoing_matches) AND (\(condition))
                RETURNING id
            ),
            outgoing AS (
                INSERT INTO outgoing_deliveries (id, event_id, integration_id, url, trigger_word)
                SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), e.id, m.integration_id, m.url, m.trigger_word
                FROM outgoing_event e CROSS JOIN outgoing_matches m
                RETURNING 1
            )
            """
    }

    /// The number of deliveries the statement enqueued, as a result column.
    static let enqueuedCount = "(SELECT count(*) FROM outgoing)"

    /// The channel buckets of the rooms row aliased `room` (Rocket.Chat's `getTriggersToExecute`): for a direct
    /// message `all_direct_messages`, `@<id>` of every member and `@<username>` of every member but the sender;
    /// for a public channel `all_public_channels`, `#<id>`, `#<name>`; for anything else `all_private_groups`,
    /// `#<id>`, `#<name>`.
    /// `extraMembers` (a query of user ids) adds members the statement itself subscribes.
    static func roomBuckets(_ room: String, senderUsername: String, extraMembers: String? = nil) -> String {
        let members = "SELECT s.user_id FROM subscriptions s WHERE s.room_id = \(room).id" + (extraMembers.map { " UNION \($0)" } ?? "")
        return """
                CASE \(room).type
                        WHEN 'd' THEN ARRAY['all_direct_messages'] || ARRAY(
                            SELECT bucket FROM users member,
                                LATERAL (VALUES ('@' || member.id), (CASE WHEN member.username IS DISTINCT FROM \(senderUsername) THEN '@' || member.username END)) AS b(bucket)
                            WHERE member.id IN (\(members)) AND bucket IS NOT NULL
                        )
                        WHEN 'c' THEN ARRAY['all_public_channels', '#' || \(room).id, '#' || \(room).name]
                        ELSE ARRAY['all_private_groups', '#' || \(room).id, '#' || \(room).name]
                    END
            """
    }
}
