-- Room membership (Rocket.Chat's subscriptions), which integrations.create checks for callers without both
-- "manage" and "own" permissions; and Rocket.Chat's bot user `rocket.cat`, the usual "post as" user.
CREATE TABLE subscriptions (
    room_id    text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, user_id)
);

CREATE INDEX subscriptions_user_idx ON subscriptions (user_id);

INSERT INTO users (id, username, name, roles, type)
VALUES ('rocket.cat', 'rocket.cat', 'Rocket.Cat', '{bot}', 'bot')
ON CONFLICT DO NOTHING;

-- As in Rocket.Chat, every user is a member of the default rooms (GENERAL).
INSERT INTO subscriptions (room_id, user_id)
SELECT rooms.id, users.id FROM rooms, users WHERE rooms.is_default
ON CONFLICT DO NOTHING;
