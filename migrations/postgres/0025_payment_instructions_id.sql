-- The payment instructions in Indonesian, for customers the bot answers in
-- Indonesian (empty: they get the venue's one text, whatever its language).
ALTER TABLE tenants ADD COLUMN payment_instructions_id TEXT NOT NULL DEFAULT '';
