-- The first schema: users and their login tokens, roles and permission grants, rooms,
-- integrations and their history.
--
-- Documents that the API returns as they are (integrations, history records) are stored whole as
-- JSONB in `doc`; the columns queried on are generated from the document, so they can never
-- disagree with it. Dates inside documents are Rocket.Chat's ISO strings (2019-11-29T14:15:27.518Z),
-- which sort correctly as text.

CREATE TABLE roles (
    id          text PRIMARY KEY,
    description text NOT NULL DEFAULT '',
    protected   boolean NOT NULL DEFAULT true
);

INSERT INTO roles (id, description) VALUES
    ('admin', 'Administrator'),
    ('user', 'User'),
    ('bot', 'Bot');

-- Rocket.Chat's permission documents: {_id, roles[]}.
CREATE TABLE permissions (
    id         text PRIMARY KEY,
    roles      text[] NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO permissions (id, roles) VALUES
    ('manage-incoming-integrations', '{admin}'),
    ('manage-outgoing-integrations', '{admin}'),
    ('manage-own-incoming-integrations', '{admin}'),
    ('manage-own-outgoing-integrations', '{admin}');

CREATE TABLE users (
    id            text PRIMARY KEY,
    username      text NOT NULL,
    email         text,
    email_verified boolean NOT NULL DEFAULT false,
    name          text NOT NULL DEFAULT '',
    -- bcrypt of the SHA-256 hex digest of the password (Rocket.Chat's scheme); NULL: no password login.
    password_hash text,
    roles         text[] NOT NULL DEFAULT '{user}',
    type          text NOT NULL DEFAULT 'user',
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_roles_idx ON users USING gin (roles);

-- Login and personal access tokens, stored only as base64(SHA-256(token)).
CREATE TABLE login_tokens (
    hashed_token text PRIMARY KEY,
    user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type         text NOT NULL DEFAULT 'login' CHECK (type IN ('login', 'personalAccessToken')),
    name         text,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX login_tokens_user_idx ON login_tokens (user_id);

CREATE TABLE rooms (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    type       text NOT NULL CHECK (type IN ('c', 'p', 'd')),
    is_default boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX rooms_name_key ON rooms (name) WHERE type <> 'd';

INSERT INTO rooms (id, name, type, is_default) VALUES ('GENERAL', 'general', 'c', true);

CREATE TABLE integrations (
    doc        jsonb NOT NULL CHECK (jsonb_typeof(doc) = 'object'),
    id         text GENERATED ALWAYS AS (doc ->> '_id') STORED PRIMARY KEY,
    type       text GENERATED ALWAYS AS (doc ->> 'type') STORED NOT NULL
               CHECK (type IN ('webhook-incoming', 'webhook-outgoing')),
    name       text GENERATED ALWAYS AS (doc ->> 'name') STORED,
    created_by text GENERATED ALWAYS AS (doc -> '_createdBy' ->> '_id') STORED,
    updated_at text GENERATED ALWAYS AS (doc ->> '_updatedAt') STORED
);

CREATE INDEX integrations_type_idx ON integrations (type);
CREATE INDEX integrations_created_by_idx ON integrations (created_by);
CREATE INDEX integrations_updated_at_idx ON integrations (updated_at);

CREATE TABLE integration_history (
    doc            jsonb NOT NULL CHECK (jsonb_typeof(doc) = 'object'),
    id             text GENERATED ALWAYS AS (doc ->> '_id') STORED PRIMARY KEY,
    integration_id text GENERATED ALWAYS AS (doc -> 'integration' ->> '_id') STORED NOT NULL,
    created_by     text GENERATED ALWAYS AS (doc -> 'integration' -> '_createdBy' ->> '_id') STORED,
    updated_at     text GENERATED ALWAYS AS (doc ->> '_updatedAt') STORED
);

CREATE INDEX integration_history_integration_idx ON integration_history (integration_id, updated_at DESC);
CREATE INDEX integration_history_updated_at_idx ON integration_history (updated_at);
