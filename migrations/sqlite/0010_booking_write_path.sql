-- Who made each booking, and its first history entry written by the
-- database together with the row. A booking is then one statement instead
-- of two: on SQLite every statement is a hand-off to the driver's thread
-- and back, which cost more than the work itself.
ALTER TABLE bookings ADD COLUMN created_by TEXT;

CREATE TRIGGER bookings_created_event AFTER INSERT ON bookings
BEGIN
    INSERT INTO booking_events (tenant_id, booking_id, from_status, to_status, actor, reason, at)
    VALUES (NEW.tenant_id, NEW.id, NULL, NEW.status, COALESCE(NEW.created_by, 'system'), NULL,
            NEW.created_at);
END;
