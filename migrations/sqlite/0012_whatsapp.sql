-- The WhatsApp Cloud API channel.

-- A business number bound to one tenant. Meta routes every webhook by
-- phone_number_id, so it is unique across the install: one number belongs
-- to one tenant. The access token is sealed (see the whatsapp crate's
-- seal module); only its last characters are kept in the clear.
CREATE TABLE whatsapp_numbers (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    phone_number_id  TEXT NOT NULL UNIQUE,
    waba_id          TEXT,
    display_phone    TEXT,
    token_sealed     TEXT NOT NULL,
    token_hint       TEXT NOT NULL,
    -- Set when Meta refused the number itself (token, restriction, lock):
    -- every send of it waits until staff reconnect it.
    paused_reason    TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (tenant_id, id)
);

-- The name a customer's WhatsApp profile shows (contacts[].profile.name),
-- apart from the name staff or a booking gave.
ALTER TABLE customers ADD COLUMN whatsapp_name TEXT;

-- What an inbound WhatsApp message was (text, image, button_reply…), what
-- Meta sent (its JSON), Meta's time of it (orders the conversation and
-- starts the 24-hour window), the number it came through, and whether the
-- customer deleted it.
ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'text';
ALTER TABLE messages ADD COLUMN payload TEXT;
ALTER TABLE messages ADD COLUMN sent_at INTEGER;
ALTER TABLE messages ADD COLUMN number_id INTEGER REFERENCES whatsapp_numbers (id);
ALTER TABLE messages ADD COLUMN deleted_at INTEGER;

-- Inbound WhatsApp messages as the webhook received them, before the
-- worker admits them into a conversation: one INSERT per delivery (all its
-- messages in one statement), unique on the tenant and Meta's message id,
-- so the webhook answers Meta after a single durable write. The worker
-- claims the oldest message of a customer whose earlier ones are done, for
-- a lease; admits it (customer, conversation, the messages row, once: a
-- message seen before is dropped here), and the transaction that records
-- the bot's turn deletes the row.
CREATE TABLE inbound_queue (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    number_id        INTEGER NOT NULL REFERENCES whatsapp_numbers (id) ON DELETE CASCADE,
    external_id      TEXT NOT NULL,
    phone            TEXT NOT NULL,
    profile_name     TEXT,
    sent_at          INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    body             TEXT NOT NULL,
    payload          TEXT NOT NULL,
    -- 1 when the bot takes a turn on it (not for reactions, revokes…).
    answer           INTEGER NOT NULL,
    -- What else it does once admitted: `revoke:<wamid>` or `number:<+phone>`.
    effect           TEXT,
    -- Set once admitted into the conversation.
    message_id       INTEGER REFERENCES messages (id) ON DELETE CASCADE,
    received_at      INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    not_before       INTEGER NOT NULL DEFAULT 0,
    claimed_until    INTEGER,
    -- The claim's token: only its holder may finish, retry or drop the row.
    claimed_by       TEXT,
    last_error       TEXT,
    UNIQUE (tenant_id, external_id)
);
CREATE INDEX inbound_queue_order ON inbound_queue (tenant_id, phone, sent_at, id);

-- Delivery statuses of our messages as Meta reported them (sent, delivered,
-- read, failed with its errors). Kept as they arrive, also when a status
-- comes before the send that it is about was recorded; the sender applies
-- them to its messages, never moving a message's state backwards.
CREATE TABLE message_statuses (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    wamid            TEXT NOT NULL,
    callback_data    TEXT,
    state            TEXT NOT NULL CHECK (state IN ('sent', 'delivered', 'read', 'failed')),
    at               INTEGER NOT NULL,
    errors           TEXT,
    received_at      INTEGER NOT NULL,
    UNIQUE (tenant_id, wamid, state)
);
CREATE INDEX message_statuses_wamid ON message_statuses (wamid);
CREATE INDEX message_statuses_callback ON message_statuses (callback_data);

-- Replies waiting to be sent through the Graph API: written in the
-- transaction that records the bot's turn (or a staff reply), so a reply
-- exists exactly when the state change that produced it does. The message
-- row holds what is said; this row, where its sending is.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL,
    conversation_id  INTEGER NOT NULL,
    message_id       INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    number_id        INTEGER NOT NULL REFERENCES whatsapp_numbers (id) ON DELETE CASCADE,
    recipient        TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'read', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    claimed_until    INTEGER,
    wamid            TEXT,
    error_code       INTEGER,
    error_title      TEXT,
    created_at       INTEGER NOT NULL,
    posted_at        INTEGER
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_conversation ON outbox (conversation_id, id);
CREATE INDEX outbox_wamid ON outbox (wamid);
