-- Staff management, outlet details, and what the settings page reads.

-- A password someone else chose (the CLI prints one) must be replaced by
-- its user at first sign-in: until then the dashboard shows only the
-- password form.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;

-- One-time links that let a new staff member create their own account.
-- Only the SHA-256 of the link's secret is kept: the link is shown once.
CREATE TABLE staff_invites (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'staff')),
    note        TEXT NOT NULL DEFAULT '',
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    used_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    revoked_at  INTEGER
);
CREATE INDEX staff_invites_tenant ON staff_invites (tenant_id, created_at);

-- What the bot tells a customer who asks where the venue is and how to
-- reach it.
ALTER TABLE outlets ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE outlets ADD COLUMN map_url TEXT NOT NULL DEFAULT '';

-- The settings page shows, per WhatsApp number, when a message last came
-- in and how the last send went.
CREATE INDEX messages_number ON messages (number_id, id);
CREATE INDEX outbox_number ON outbox (number_id, id);
