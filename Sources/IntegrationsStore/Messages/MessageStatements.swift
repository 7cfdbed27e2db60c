import IntegrationsCore
import LibPQ

/// The SQL of ``MessageRepository``: `chat.postMessage` and `chat.update`, one statement each.
enum MessageStatements {
    static let all: [PreparedStatement] = [post, postAsUser, postAsUserId, edit]

    /// `chat.postMessage` to one destination, in one statement: authenticates (`$1`, `$2`), checks the text's and
    /// the longest attachment text's lengths (`$10`, `$11`, UTF-16 units, NULL when empty) against
    /// `Message_MaxAllowedSize`, resolves the destination as Rocket.Chat's `getRoomByNameOrIdWithOptionToJoin`
    /// (mode `$4`: `room` by id or name `$5`; `direct` with the user of id or, unless `$7`, username `$6`, else the
    /// room of id `$6`; `room-or-direct` the first, then the second by id only; `$8`: the room must be a direct
    /// message; NULL: no destination), applies `validateRoomMessagePermissions` and `validateMessage` (`$22` the
    /// message impersonates, `$23`/`$24` it fails a check of the request type before/after the impersonation
    /// permission), then creates the missing direct message (id: the two user ids sorted and concatenated, `$9`
    /// for one to oneself) with both subscriptions, joins a public room the poster is not in, and inserts message
    /// `$3` (`$12` msg, `$13` alias, `$14` emoji, `$15` avatar, `$16` attachments, `$17` parseUrls, `$18`
    /// groupable, `$19` tmid, `$20` customFields, `$21` bot). Returns the verdict, the message document and the
    /// time of the answer in epoch milliseconds (Rocket.Chat's `ts: Date.now()`).
    ///
    /// The CTE `target` is the destination's room row (`id`, `name`, `type`, `read_only`, `archived`, also for a
    /// direct message this statement creates) and `inserted` the message row as written (`RETURNING *`), so that
    /// one more CTE can read both and write, in this same statement, what the message triggers.
    static let post = post(
        name: "post_message",
        poster: """
            \(SQLFragment.caller),
            poster AS (
                SELECT u.id, u.username, u.name, u.type, u.roles FROM caller c JOIN users u ON u.id = c.id
            )
            """
    )

    /// ``post`` as the active user whose username is `$1` (ignoring case), without a token (`$2` must be NULL):
    /// how an outgoing integration posts the message of a webhook's reply as its "post as" user.
    static let postAsUser = post(
        name: "post_message_as_user",
        poster: """
            poster AS (
                SELECT u.id, u.username, u.name, u.type, u.roles FROM users u
                WHERE lower(u.username) = lower($1::text) AND u.active AND $2::text IS NULL
            )
            """
    )

    /// ``post`` as the user whose id is `$1`, without a token (`$2` must be NULL): how an incoming webhook posts
    /// as its integration's `userId` (Rocket.Chat looks the user up by id and checks nothing more).
    static let postAsUserId = post(
        name: "post_message_as_user_id",
        poster: """
            poster AS (
                SELECT u.id, u.username, u.name, u.type, u.roles FROM users u WHERE u.id = $1::text AND $2::text IS NULL
            )
            """
    )

    private static func post(name: String, poster: String) -> PreparedStatement {
        PreparedStatement(
            name: name,
            sql: """
                WITH \(poster),
                room_match AS (
                    SELECT r.* FROM rooms r
                    WHERE $4::text IN ('room', 'room-or-direct') AND (r.id = $5::text OR r.name = $5::text)
                    ORDER BY r.id = $5::text DESC
                    LIMIT 1
                ),
                wants_direct AS (
                    SELECT $4::text = 'direct' OR ($4::text = 'room-or-direct' AND NOT EXISTS (SELECT 1 FROM room_match)) AS yes
                ),
                peer AS (
                    SELECT u.id FROM users u, wants_direct w
                    WHERE w.yes AND (u.id = $6::text OR (NOT $7::boolean AND u.username = $6::text))
                    ORDER BY u.id = $6::text DESC
                    LIMIT 1
                ),
                peer_room AS (
                    SELECT r.* FROM poster p, peer q, subscriptions s JOIN rooms r ON r.id = s.room_id AND r.type = 'd'
                    WHERE s.user_id = p.id
                      AND EXISTS (SELECT 1 FROM subscriptions o WHERE o.room_id = r.id AND o.user_id = q.id)
                      AND NOT EXISTS (SELECT 1 FROM subscriptions o WHERE o.room_id = r.id AND o.user_id <> p.id AND o.user_id <> q.id)
                    ORDER BY r.created_at, r.id
                    LIMIT 1
                ),
                room_by_user_key AS (
                    SELECT r.* FROM rooms r, wants_direct w
                    WHERE w.yes AND NOT EXISTS (SELECT 1 FROM peer) AND r.id = $6::text
                ),
                dm_plan AS (
                    SELECT
                        CASE WHEN q.id = p.id THEN $9::text
                             ELSE least(p.id COLLATE "C", q.id COLLATE "C") || greatest(p.id COLLATE "C", q.id COLLATE "C") END AS id,
                        p.id AS poster_id,
                        q.id AS peer_id
                    FROM poster p, peer q
                    WHERE NOT EXISTS (SELECT 1 FROM peer_room)
                ),
                target AS (
                    SELECT id, name, type, read_only, archived, $4::text = 'room' AND $8::boolean AS must_be_direct,
                           false AS planned, false AS created
                    FROM room_match
                    UNION ALL
                    SELECT id, name, type, read_only, archived, false, false, false FROM peer_room
                    UNION ALL
                    SELECT id, name, type, read_only, archived, $8::boolean, false, false FROM room_by_user_key
                    UNION ALL
                    SELECT d.id, r.name, coalesce(r.type, 'd'), coalesce(r.read_only, false), coalesce(r.archived, false), false,
                           true, r.id IS NULL
                    FROM dm_plan d LEFT JOIN rooms r ON r.id = d.id
                ),
                membership AS (
                    SELECT s.roles FROM target t, poster p, subscriptions s WHERE s.room_id = t.id AND s.user_id = p.id
                ),
                standing AS (
                    SELECT
                        p.roles || coalesce((SELECT roles FROM membership), '{}') AS room_roles,
                        \(canAccess(user: "p", room: "t", subscribed: "EXISTS (SELECT 1 FROM membership) OR t.planned")) AS can_access
                    FROM poster p, target t
                ),
                verdict AS (
                    SELECT CASE
                        WHEN p.id IS NULL THEN \(Refusal.unauthenticated.literal)
                        WHEN $10::int > \(maxAllowedSize) OR $11::int > \(maxAllowedSize) THEN \(Refusal.messageTooLong.literal)
                        WHEN $4::text IS NULL THEN \(Refusal.noDestination.literal)
                        WHEN t.id IS NULL OR (t.must_be_direct AND t.type <> 'd') THEN \(Refusal.invalidChannel.literal)
                        WHEN t.planned AND d.poster_id = d.peer_id
                             AND \(SQLFragment.setting("Message_AllowDirectMessagesToYourself", default: "true")) = 'false'::jsonb
                        THEN \(Refusal.invalidUser.literal)
                        WHEN t.planned AND NOT \(SQLFragment.holds("create-d", roles: "p.roles")) THEN \(Refusal.directMessageNotAllowed.literal)
                        WHEN t.type = 'c' AND NOT st.can_access THEN \(Refusal.joinNotAllowed.literal)
                        WHEN t.archived THEN \(Refusal.roomArchived.literal)
                        WHEN p.type <> 'app' AND NOT st.can_access THEN \(Refusal.notAllowed.literal)
                        WHEN t.read_only AND NOT \(SQLFragment.holds("post-readonly", roles: "st.room_roles")) THEN \(Refusal.roomReadOnly.literal)
                        WHEN $23::boolean THEN \(Refusal.invalidMessage.literal)
                        WHEN $22::boolean AND NOT \(SQLFragment.holds("message-impersonate", roles: "st.room_roles"))
                        THEN \(Refusal.impersonationNotAllowed.literal)
                        WHEN $24::boolean THEN \(Refusal.invalidMessage.literal)
                        ELSE \(Verdict.okLiteral) END AS outcome
                    FROM (SELECT 1) AS one
                    LEFT JOIN poster p ON true
                    LEFT JOIN target t ON true
                    LEFT JOIN standing st ON true
                    LEFT JOIN dm_plan d ON true
                ),
                created_room AS (
                    INSERT INTO rooms (id, name, type)
                    SELECT t.id, NULL, 'd' FROM target t, verdict v
                    WHERE v.outcome = \(Verdict.okLiteral) AND t.created
                    ON CONFLICT (id) DO NOTHING
                    RETURNING id
                ),
                created_members AS (
                    INSERT INTO subscriptions (room_id, user_id)
                    SELECT DISTINCT d.id, m.user_id FROM dm_plan d, verdict v, LATERAL (VALUES (d.poster_id), (d.peer_id)) AS m (user_id)
                    WHERE v.outcome = \(Verdict.okLiteral)
                    ON CONFLICT DO NOTHING
                    RETURNING user_id
                ),
                joined AS (
                    INSERT INTO subscriptions (room_id, user_id)
                    SELECT t.id, p.id FROM target t, poster p, verdict v
                    WHERE v.outcome = \(Verdict.okLiteral) AND t.type = 'c' AND NOT EXISTS (SELECT 1 FROM membership)
                    ON CONFLICT DO NOTHING
                    RETURNING user_id
                ),
                inserted AS (
                    INSERT INTO messages (
                        id, rid, msg, ts, u_id, u_username, u_name, alias, emoji, avatar, attachments, bot, tmid, parse_urls,
                        groupable, custom_fields, updated_at
                    )
                    SELECT $3::text, t.id, $12::text, now(), p.id, p.username, p.name, $13::text, $14::text, $15::text, $16::jsonb,
                           $21::jsonb, $19::text, $17::boolean, $18::boolean, $20::jsonb, now()
                    FROM target t, poster p, verdict v
                    WHERE v.outcome = \(Verdict.okLiteral)
                    RETURNING *
                ),
                \(sendMessageEvent(message: "inserted", eventId: "$25::text", hops: "$26::int", extraMembers: "SELECT poster_id FROM dm_plan UNION SELECT peer_id FROM dm_plan"))
                SELECT
                    v.outcome,
                    (SELECT \(messageJSON("m")) FROM inserted m),
                    floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint::text,
                    \(OutboxFragment.enqueuedCount)
                FROM verdict v
                """,
            isIdempotent: false
        )
    }

    /// `chat.update` in one statement: authenticates (`$1`, `$2`), finds message `$4` and checks that it is in room
    /// `$3`; an edit that changes nothing (text `$5` the same, no preview URLs `$7`, no custom fields `$8`) is done
    /// at once, as Rocket.Chat's `executeUpdateMessage` returns early; otherwise its rules in order (`edit-message`
    /// or the caller's own message with `Message_AllowEditing`, `Message_AllowEditing_BlockEditInMinutes` unless
    /// `bypass-time-limit-edit-and-delete`, `canSendMessage`, a blank text `$6` only with attachments, `$9` custom
    /// fields refused), then sets the text (or the first attachment's `description`, when it has one), `editedAt`,
    /// `editedBy` and `_updatedAt`. Returns the verdict and the message document, edited or not.
    ///
    /// The CTE `target` is the message's room row, `original` the message before and `edited` the message row as
    /// the edit left it (`RETURNING *`, no row when nothing changed), so that one more CTE can read them.
    static let edit = PreparedStatement(
        name: "edit_message",
        sql: """
            WITH \(SQLFragment.caller),
            editor AS (
                SELECT u.id, u.username, u.type, u.roles FROM caller c JOIN users u ON u.id = c.id
            ),
            original AS (
                SELECT m.* FROM messages m WHERE m.id = $4::text
            ),
            target AS (
                SELECT r.* FROM rooms r JOIN original o ON r.id = o.rid
            ),
            membership AS (
                SELECT s.roles FROM target t, editor e, subscriptions s WHERE s.room_id = t.id AND s.user_id = e.id
            ),
            standing AS (
                SELECT
                    e.roles || coalesce((SELECT roles FROM membership), '{}') AS room_roles,
                    \(canAccess(user: "e", room: "t", subscribed: "EXISTS (SELECT 1 FROM membership)")) AS can_access
                FROM editor e, target t
            ),
            verdict AS (
                SELECT
                    CASE
                        WHEN e.id IS NULL THEN \(Refusal.unauthenticated.literal)
                        WHEN o.id IS NULL THEN \(Refusal.notFound.literal)
                        WHEN o.rid <> $3::text THEN \(Refusal.roomMismatch.literal)
                        WHEN \(unchanged) THEN \(Verdict.okLiteral)
                        WHEN NOT \(SQLFragment.holds("edit-message", roles: "st.room_roles"))
                             AND (NOT \(SQLFragment.isTruthy(SQLFragment.setting("Message_AllowEditing", default: "true"))) OR o.u_id <> e.id)
                        THEN \(Refusal.editNotAllowed.literal)
                        WHEN NOT \(SQLFragment.holds("bypass-time-limit-edit-and-delete", roles: "st.room_roles"))
                             AND jsonb_typeof(\(blockEditInMinutes)) = 'number' AND (\(blockEditInMinutes))::numeric <> 0
                             AND trunc(extract(epoch FROM now() - o.ts) / 60) >= (\(blockEditInMinutes))::numeric
                        THEN \(Refusal.editBlocked.literal)
                        WHEN t.archived THEN \(Refusal.roomArchived.literal)
                        WHEN e.type <> 'app' AND NOT st.can_access THEN \(Refusal.notAllowed.literal)
                        WHEN t.read_only AND NOT \(SQLFragment.holds("post-readonly", roles: "st.room_roles")) THEN \(Refusal.roomReadOnly.literal)
                        WHEN $6::boolean AND coalesce(jsonb_array_length(o.attachments), 0) = 0 THEN \(Refusal.emptyMessage.literal)
                        WHEN $9::boolean THEN \(Refusal.invalidMessage.literal)
                        ELSE \(Verdict.okLiteral)
                    END AS outcome,
                    coalesce(\(unchanged), false) AS unchanged
                FROM (SELECT 1) AS one
                LEFT JOIN editor e ON true
                LEFT JOIN original o ON true
                LEFT JOIN target t ON true
                LEFT JOIN standing st ON true
            ),
            edited AS (
                UPDATE messages m SET
                    msg = CASE WHEN \(describesFile("m")) THEN m.msg ELSE $5::text END,
                    attachments = CASE WHEN \(describesFile("m")) THEN jsonb_set(m.attachments, '{0,description}', to_jsonb($5::text))
                                       ELSE m.attachments END,
                    custom_fields = coalesce($8::jsonb, m.custom_fields),
                    edited_at = now(),
                    edited_by_id = e.id,
                    edited_by_username = e.username,
                    updated_at = now()
                FROM verdict v, editor e
                WHERE m.id = $4::text AND v.outcome = \(Verdict.okLiteral) AND NOT v.unchanged
                RETURNING m.*
            ),
            \(sendMessageEvent(message: "edited", eventId: "$10::text", hops: "0", onlyIntegrations: "i.doc -> 'runOnEdits' = 'true'"))
            SELECT
                v.outcome,
                CASE WHEN v.outcome = \(Verdict.okLiteral) THEN (
                    SELECT \(messageJSON("m"))
                    FROM (SELECT * FROM edited UNION ALL SELECT * FROM original WHERE NOT EXISTS (SELECT 1 FROM edited)) m
                ) END,
                \(OutboxFragment.enqueuedCount)
            FROM verdict v
            """,
        isIdempotent: false
    )

    /// `Message_MaxAllowedSize` (default 5000) as a number; NULL when it is not one, which no length exceeds.
    private static let maxAllowedSize = """
        (CASE WHEN jsonb_typeof(\(SQLFragment.setting("Message_MaxAllowedSize", default: "5000"))) = 'number'
              THEN (\(SQLFragment.setting("Message_MaxAllowedSize", default: "5000")))::numeric END)
        """

    private static let blockEditInMinutes = SQLFragment.setting("Message_AllowEditing_BlockEditInMinutes", default: "0")

    /// `executeUpdateMessage`'s early return, for the message row `o`: the text it shows (its first attachment's
    /// `description` when not null, else `msg`) is already `$5`, and neither preview URLs nor custom fields came.
    private static let unchanged = """
        (coalesce(nullif(o.attachments -> 0 -> 'description', 'null'::jsonb), to_jsonb(o.msg)) = to_jsonb($5::text)
         AND NOT $7::boolean AND $8::jsonb IS NULL)
        """

    /// Whether the message row `alias` is a file message whose text is its first attachment's `description`.
    private static func describesFile(_ alias: String) -> String {
        "(jsonb_typeof(\(alias).attachments -> 0) = 'object' AND \(alias).attachments -> 0 ? 'description')"
    }

    /// Rocket.Chat's `canAccessRoom` for the user row `user` (with `roles`) and the room row `room`: a public room
    /// with `view-c-room`, or a room the user is subscribed to (`subscribed`, an SQL condition) with
    /// `view-joined-room` or `view-<type>-room`.
    private static func canAccess(user: String, room: String, subscribed: String) -> String {
        """
        ((\(room).type = 'c' AND \(SQLFragment.holds("view-c-room", roles: "\(user).roles")))
         OR ((\(subscribed))
             AND (\(SQLFragment.holds("view-joined-room", roles: "\(user).roles"))
                  OR EXISTS (SELECT 1 FROM permissions x WHERE x.id = 'view-' || \(room).type || '-room' AND x.roles && \(user).roles))))
        """
    }

    /// The message row `alias` as Rocket.Chat's message document (JSON text), its fields in a fixed order, a NULL
    /// column left out: `{_id, rid, msg, ts, u, alias?, emoji?, avatar?, attachments?, bot?, tmid?, parseUrls?,
    /// groupable?, customFields?, editedAt?, editedBy?, _updatedAt}`.
    /// The most webhook replies in a chain: a message posted from a reply to a message that was itself posted from a
    /// reply … triggers nothing once it is this many replies deep, so two integrations answering each other stop.
    static let maximumReplyHops = 3

    /// The outbox CTEs of the `sendMessage` event of the message row in CTE `message` (its room is CTE `target`):
    /// Rocket.Chat's trigger words on its text, `runOnEdits` through `onlyIntegrations` for edits, and this
    /// service's loop rules: a message an integration posted (`bot.i`) never triggers that integration, and a
    /// message `hops` replies deep (``maximumReplyHops``) triggers none. `extraMembers` adds the members of a
    /// direct-message room this statement creates (its subscriptions are not visible to it yet).
    private static func sendMessageEvent(
        message: String,
        eventId: String,
        hops: String,
        extraMembers: String? = nil,
        onlyIntegrations: String = "true"
    ) -> String {
        OutboxFragment.enqueue(
            event: .sendMessage,
            eventId: eventId,
            source: "\(message) m JOIN target r ON r.id = m.rid",
            buckets: OutboxFragment.roomBuckets("r", senderUsername: "m.u_username", extraMembers: extraMembers),
            context: """
                jsonb_build_object('room', jsonb_strip_nulls(jsonb_build_object('_id', r.id, 'name', r.name, 't', r.type)),
                    'message', (\(messageJSON("m")))::jsonb, 'hops', \(hops))
                """,
            where: "\(hops) < \(maximumReplyHops)",
            forIntegration: "(m.bot ->> 'i') IS DISTINCT FROM i.id AND \(onlyIntegrations)",
            triggerWordFor: "m.msg"
        )
    }

    static func messageJSON(_ alias: String) -> String {
        """
        (SELECT json_object_agg(f.key, f.value ORDER BY f.position)::text FROM (VALUES
            (1, '_id', to_json(\(alias).id)),
            (2, 'rid', to_json(\(alias).rid)),
            (3, 'msg', to_json(\(alias).msg)),
            (4, 'ts', to_json(\(SQLFragment.isoDate("\(alias).ts")))),
            (5, 'u', json_strip_nulls(json_build_object('_id', \(alias).u_id, 'username', \(alias).u_username, 'name', \(alias).u_name))),
            (6, 'alias', to_json(\(alias).alias)),
            (7, 'emoji', to_json(\(alias).emoji)),
            (8, 'avatar', to_json(\(alias).avatar)),
            (9, 'attachments', \(alias).attachments::json),
            (10, 'bot', \(alias).bot::json),
            (11, 'tmid', to_json(\(alias).tmid)),
            (12, 'parseUrls', to_json(\(alias).parse_urls)),
            (13, 'groupable', to_json(\(alias).groupable)),
            (14, 'customFields', \(alias).custom_fields::json),
            (15, 'editedAt', to_json(\(SQLFragment.isoDate("\(alias).edited_at")))),
            (16, 'editedBy', CASE WHEN \(alias).edited_by_id IS NOT NULL
                                  THEN json_build_object('_id', \(alias).edited_by_id, 'username', \(alias).edited_by_username) END),
            (17, '_updatedAt', to_json(\(SQLFragment.isoDate("\(alias).updated_at"))))
        ) AS f (position, key, value) WHERE f.value IS NOT NULL)
        """
    }
}
