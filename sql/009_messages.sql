-- Messages, and what chat.postMessage and chat.update need around them: archived rooms, direct-message rooms,
-- room-scoped roles (the owner of a room), and Rocket.Chat's permissions and settings for posting and editing.

-- Posting into an archived room is refused (room_is_archived); channels.archive will set it.
ALTER TABLE rooms ADD COLUMN archived boolean NOT NULL DEFAULT false;

-- Direct-message rooms (type 'd') have no name: Rocket.Chat's direct rooms carry `usernames` and `uids` but no
-- `name`, and its look-ups by name (`#name`, `Rooms.findOneByIdOrName`) can therefore only ever find them by id. A
-- NULL name keeps that true here with no special case: `name = $1` never matches a direct room, and the unique name
-- index (which already leaves 'd' out) is untouched. Their id follows Rocket.Chat's rule: the two user ids, sorted
-- and concatenated; a direct message to oneself gets a random id. Their members are their subscriptions.
ALTER TABLE rooms ALTER COLUMN name DROP NOT NULL;
ALTER TABLE rooms ADD CONSTRAINT rooms_name_only_for_named_types CHECK ((name IS NULL) = (type = 'd'));

-- Rocket.Chat's room-scoped roles (owner, moderator) live on the subscription; a permission asked in a room is
-- held through the user's roles or these. The creator of a room is its owner.
ALTER TABLE subscriptions ADD COLUMN roles text[] NOT NULL DEFAULT '{}';
UPDATE subscriptions s SET roles = '{owner}'
FROM rooms r
WHERE r.id = s.room_id AND r.creator_id = s.user_id;

INSERT INTO roles (id, description) VALUES
    ('owner', 'Owner'),
    ('moderator', 'Moderator')
ON CONFLICT (id) DO NOTHING;

-- Rocket.Chat's message document, one column per field. A NULL column is a field the document does not have:
-- `alias`, `attachments`, `parseUrls` and `groupable` are always set by chat.postMessage (processWebhookMessage),
-- `emoji` or `avatar` only when given, `editedAt`/`editedBy` once edited. `u_name` is the author's name at the
-- time of posting, as Rocket.Chat stores it.
CREATE TABLE messages (
    id                 text PRIMARY KEY,
    rid                text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    msg                text NOT NULL,
    ts                 timestamptz NOT NULL,
    u_id               text NOT NULL,
    u_username         text NOT NULL,
    u_name             text,
    alias              text,
    emoji              text,
    avatar             text,
    attachments        jsonb CHECK (jsonb_typeof(attachments) = 'array'),
    bot                jsonb,
    tmid               text,
    parse_urls         boolean,
    groupable          boolean,
    custom_fields      jsonb CHECK (jsonb_typeof(custom_fields) = 'object'),
    edited_at          timestamptz,
    edited_by_id       text,
    edited_by_username text,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK ((edited_at IS NULL) = (edited_by_id IS NULL))
);

CREATE INDEX messages_rid_ts_idx ON messages (rid, ts);

-- The permissions chat.postMessage and chat.update ask, with Rocket.Chat's default roles (roles this service does
-- not have, such as app and guest, are kept as Rocket.Chat lists them).
INSERT INTO permissions (id, roles) VALUES
    ('view-c-room', '{admin,user,bot,app,anonymous}'),
    ('view-p-room', '{admin,user,anonymous,guest}'),
    ('view-d-room', '{admin,user,bot,app,guest}'),
    ('view-joined-room', '{guest,bot,app,anonymous}'),
    ('create-d', '{admin,user,bot,app}'),
    ('message-impersonate', '{bot,app}'),
    ('post-readonly', '{admin,owner,moderator}'),
    ('edit-message', '{admin,owner,moderator}'),
    ('bypass-time-limit-edit-and-delete', '{bot,app}')
ON CONFLICT (id) DO NOTHING;

-- The settings they read, with Rocket.Chat's defaults.
INSERT INTO settings (id, value) VALUES
    ('Message_MaxAllowedSize', '5000'),
    ('Message_AllowEditing', 'true'),
    ('Message_AllowEditing_BlockEditInMinutes', '0'),
    ('Message_AllowDirectMessagesToYourself', 'true')
ON CONFLICT (id) DO NOTHING;
