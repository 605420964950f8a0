-- Messages from customers Meta names only by their business-scoped user
-- id, without a phone number (usernames let people hide their number).
-- Customers are keyed by phone, so the bot cannot take these in yet; they
-- are kept here, once each, so none is lost and staff can see them.
CREATE TABLE whatsapp_user_messages (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    number_id    INTEGER NOT NULL REFERENCES whatsapp_numbers (id) ON DELETE CASCADE,
    external_id  TEXT NOT NULL,
    user_id      TEXT,
    profile_name TEXT,
    sent_at      INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    received_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, external_id)
);
