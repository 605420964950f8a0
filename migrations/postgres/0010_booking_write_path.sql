-- Who made each booking, and its first history entry written by the
-- database together with the row: a booking is one round trip instead of
-- two. (Codes are claimed by their own statement here: another transaction
-- may commit the same code between an insert's check and its trigger. On
-- SQLite, where writers take turns, the trigger claims them.)
ALTER TABLE bookings ADD COLUMN created_by TEXT;

CREATE FUNCTION bookings_created() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO booking_events (tenant_id, booking_id, from_status, to_status, actor, reason, at)
    VALUES (NEW.tenant_id, NEW.id, NULL, NEW.status, COALESCE(NEW.created_by, 'system'), NULL,
            NEW.created_at);
    RETURN NULL;
END
$$;

CREATE TRIGGER bookings_created AFTER INSERT ON bookings
    FOR EACH ROW EXECUTE FUNCTION bookings_created();
