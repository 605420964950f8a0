-- A hold is a pending booking with an expiry: it claims the slot (the
-- exclusion constraint counts pending bookings) until it is confirmed, or
-- until it expires and the next write on that resource releases it.
ALTER TABLE bookings ADD COLUMN hold_expires_at BIGINT;
CREATE INDEX bookings_hold_expiry ON bookings (hold_expires_at) WHERE hold_expires_at IS NOT NULL;
