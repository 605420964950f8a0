-- Files customers send (a transfer receipt, a photo of the court, a voice
-- note): Meta keeps each behind its media id for a while only, so a job
-- downloads it (up to 16 MB) into this table for staff to open later. One
-- row per inbound media message, made when the message is admitted.
CREATE TABLE whatsapp_media (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    message_id       INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    number_id        INTEGER NOT NULL REFERENCES whatsapp_numbers (id) ON DELETE CASCADE,
    media_id         TEXT NOT NULL,
    mime_type        TEXT,
    state            TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'done', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    claimed_until    INTEGER,
    size             INTEGER,
    sha256           TEXT,
    content          BLOB,
    error            TEXT,
    created_at       INTEGER NOT NULL,
    UNIQUE (message_id)
);
CREATE INDEX whatsapp_media_due ON whatsapp_media (state, next_attempt_at);
