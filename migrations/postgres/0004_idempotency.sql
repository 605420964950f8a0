-- A create with an Idempotency-Key that was already used returns the first
-- result and creates nothing.
CREATE TABLE idempotency_keys (
    tenant_id   BIGINT NOT NULL,
    key         TEXT NOT NULL,
    booking_id  BIGINT NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
