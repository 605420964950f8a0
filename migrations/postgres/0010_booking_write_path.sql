-- Who made each booking; its first history entry and the claim of its
-- code are written by the database together with the row: a booking is
-- one round trip instead of three.
ALTER TABLE bookings ADD COLUMN created_by TEXT;

-- The code's row is written by the first booking that carries it (the
-- other bookings of a "2 courts" request find it claimed). The insert
-- itself refuses a code claimed by an earlier request, and the booking
-- service draws another; two requests racing with the same fresh code
-- meet on the primary key (booking_codes_pkey), and the loser draws again.
CREATE FUNCTION bookings_created() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO booking_events (tenant_id, booking_id, from_status, to_status, actor, reason, at)
    VALUES (NEW.tenant_id, NEW.id, NULL, NEW.status, COALESCE(NEW.created_by, 'system'), NULL,
            NEW.created_at);
    IF NEW.code IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM booking_codes WHERE tenant_id = NEW.tenant_id AND code = NEW.code
    ) THEN
        INSERT INTO booking_codes (tenant_id, code, created_at)
        VALUES (NEW.tenant_id, NEW.code, NEW.created_at);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER bookings_created AFTER INSERT ON bookings
    FOR EACH ROW EXECUTE FUNCTION bookings_created();
