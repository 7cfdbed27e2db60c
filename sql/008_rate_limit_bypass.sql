-- Rocket.Chat's permission to skip the REST rate limiter, with its default roles.
INSERT INTO permissions (id, roles) VALUES ('api-bypass-rate-limit', '{admin,bot,app}')
ON CONFLICT (id) DO NOTHING;
