-- Who made each booking; its first history entry and the claim of its
-- code are written by the database together with the row. A booking is
-- then one statement instead of three: on SQLite every statement is a
-- hand-off to the driver's thread and back, which cost more than the work.
ALTER TABLE bookings ADD COLUMN created_by TEXT;

-- The code's row is written by the first booking that carries it (the
-- other bookings of a "2 courts" request find it claimed). The insert
-- itself refuses a code claimed by an earlier request, and the booking
-- service draws another. Safe only because SQLite writers take turns:
-- PostgreSQL claims codes with their own statement (its 0010).
CREATE TRIGGER bookings_created AFTER INSERT ON bookings
BEGIN
    INSERT INTO booking_events (tenant_id, booking_id, from_status, to_status, actor, reason, at)
    VALUES (NEW.tenant_id, NEW.id, NULL, NEW.status, COALESCE(NEW.created_by, 'system'), NULL,
            NEW.created_at);
    INSERT INTO booking_codes (tenant_id, code, created_at)
    SELECT NEW.tenant_id, NEW.code, NEW.created_at
    WHERE NEW.code IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM booking_codes WHERE tenant_id = NEW.tenant_id AND code = NEW.code);
END;
