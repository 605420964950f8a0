-- A create with an Idempotency-Key that was already used returns the first
-- result and creates nothing.
CREATE TABLE idempotency_keys (
    tenant_id   INTEGER NOT NULL,
    key         TEXT NOT NULL,
    booking_id  INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
