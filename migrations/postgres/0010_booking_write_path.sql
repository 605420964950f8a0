-- Who made each booking, and its first history entry written by the
-- database together with the row: a booking is one round trip instead of
-- two.
ALTER TABLE bookings ADD COLUMN created_by TEXT;

CREATE FUNCTION bookings_created_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO booking_events (tenant_id, booking_id, from_status, to_status, actor, reason, at)
    VALUES (NEW.tenant_id, NEW.id, NULL, NEW.status, COALESCE(NEW.created_by, 'system'), NULL,
            NEW.created_at);
    RETURN NULL;
END
$$;

CREATE TRIGGER bookings_created_event AFTER INSERT ON bookings
    FOR EACH ROW EXECUTE FUNCTION bookings_created_event();
