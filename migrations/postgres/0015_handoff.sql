-- Human handoff (see migrations/sqlite/0014_handoff.sql for what each
-- part is for).
ALTER TABLE conversations ADD COLUMN handoff_at BIGINT;
ALTER TABLE conversations ADD COLUMN handoff_reason TEXT;
ALTER TABLE conversations ADD COLUMN handler_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE conversations ADD COLUMN last_staff_at BIGINT;
ALTER TABLE conversations ADD COLUMN unclear_turns BIGINT NOT NULL DEFAULT 0;
CREATE INDEX conversations_handoff ON conversations (tenant_id, handoff_at);

ALTER TABLE messages ADD COLUMN author_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL;

ALTER TABLE tenants ADD COLUMN handoff_quiet_minutes BIGINT NOT NULL DEFAULT 720;
