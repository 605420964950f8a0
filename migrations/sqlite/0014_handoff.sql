-- Human handoff: a conversation is answered by a person from `handoff_at`
-- (the customer asked for one, the bot could not use two turns in a row,
-- or staff took it over) until staff hand it back or, after the tenant's
-- quiet period without a staff reply, it returns to the bot by itself.
ALTER TABLE conversations ADD COLUMN handoff_at INTEGER;
-- `asked`, `unclear` or `staff`.
ALTER TABLE conversations ADD COLUMN handoff_reason TEXT;
-- The staff member who took it over or replied last, if one did.
ALTER TABLE conversations ADD COLUMN handler_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE conversations ADD COLUMN last_staff_at INTEGER;
-- Turns in a row the bot could not use (no intent, no date, time or
-- resource); the second one hands the conversation to a person.
ALTER TABLE conversations ADD COLUMN unclear_turns INTEGER NOT NULL DEFAULT 0;
CREATE INDEX conversations_handoff ON conversations (tenant_id, handoff_at);

-- Who wrote an outbound message: a staff member, or the bot (NULL).
ALTER TABLE messages ADD COLUMN author_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL;

-- How long a handed-off conversation stays with people after the last
-- staff reply before the bot answers again (12 hours unless set).
ALTER TABLE tenants ADD COLUMN handoff_quiet_minutes INTEGER NOT NULL DEFAULT 720;
