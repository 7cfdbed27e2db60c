-- What channels.create / groups.create and the users endpoints need: room owners and flags, and
-- Rocket.Chat's permissions for creating rooms, users and personal access tokens (with its default roles).
ALTER TABLE rooms
    ADD COLUMN creator_id       text,
    ADD COLUMN creator_username text,
    ADD COLUMN read_only        boolean NOT NULL DEFAULT false,
    ADD COLUMN updated_at       timestamptz NOT NULL DEFAULT now();

INSERT INTO permissions (id, roles) VALUES
    ('create-c', '{admin,user,bot}'),
    ('create-p', '{admin,user,bot}'),
    ('create-user', '{admin}'),
    ('delete-user', '{admin}'),
    ('view-full-other-user-info', '{admin}'),
    ('create-personal-access-tokens', '{admin,user}')
ON CONFLICT (id) DO NOTHING;

-- Settings that change endpoint behaviour (Rocket.Chat's settings, by their ids).
CREATE TABLE settings (
    id         text PRIMARY KEY,
    value      jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Self-registration through users.register is off unless an administrator turns it on.
INSERT INTO settings (id, value) VALUES ('Accounts_RegistrationForm', '"Disabled"');
