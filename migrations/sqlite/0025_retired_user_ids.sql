-- A removed user's id is never handed to someone else. History names its
-- actor "staff:<id>" (booking_events, payment_events); SQLite gives a new
-- row the highest id + 1, so removing the newest member and inviting
-- another gave the newcomer the removed member's id, and the removed
-- member's past became theirs. AUTOINCREMENT would need the users table
-- rebuilt, which SQLite cannot do inside the transaction each migration
-- runs in without cascading to sessions and conversations; instead every
-- id that leaves is kept here and a new user's id is chosen above both
-- (see the store's `accounts::insert_user_sql`). PostgreSQL's identity column
-- never reused ids.
CREATE TABLE retired_user_ids (
    id INTEGER PRIMARY KEY
);

CREATE TRIGGER users_retire_their_ids AFTER DELETE ON users
BEGIN
    INSERT OR IGNORE INTO retired_user_ids (id) VALUES (old.id);
END;

-- Members removed before this migration: their ids survive in history.
INSERT OR IGNORE INTO retired_user_ids (id)
SELECT CAST(substr(actor, 7) AS INTEGER) FROM booking_events
WHERE actor LIKE 'staff:%'
  AND CAST(substr(actor, 7) AS INTEGER) NOT IN (SELECT id FROM users);

INSERT OR IGNORE INTO retired_user_ids (id)
SELECT CAST(substr(actor, 7) AS INTEGER) FROM payment_events
WHERE actor LIKE 'staff:%'
  AND CAST(substr(actor, 7) AS INTEGER) NOT IN (SELECT id FROM users);
