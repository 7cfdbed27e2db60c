-- The permission that lets a user read and change the role grants of permissions
-- (Rocket.Chat's `access-permissions`, granted to admin).
INSERT INTO permissions (id, roles) VALUES ('access-permissions', '{admin}');
