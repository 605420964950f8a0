-- The booking service: short booking codes a customer can read out, API keys
-- that carry a policy, a per-resource cutoff for customer changes, and
-- idempotency keys scoped to an endpoint with a hash of the request.

-- One row per code handed out: unique per tenant, shared by the bookings of
-- one request ("2 lapangan futsal"). Bookings made before codes existed get
-- theirs from the store right after migrating.
CREATE TABLE booking_codes (
    tenant_id   INTEGER NOT NULL,
    code        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, code)
);
ALTER TABLE bookings ADD COLUMN code TEXT;
CREATE INDEX bookings_tenant_code ON bookings (tenant_id, code);

-- `customer` (every rule) or `staff` (walk-ins: lead time waived).
ALTER TABLE api_keys ADD COLUMN policy TEXT NOT NULL DEFAULT 'customer'
    CHECK (policy IN ('customer', 'staff'));

-- Customers may cancel or move a booking until this many minutes before it
-- starts (0: until it starts); staff always can.
ALTER TABLE resources ADD COLUMN change_cutoff_minutes INTEGER NOT NULL DEFAULT 0;

-- Replaces idempotency_keys: a key is per tenant and per endpoint, remembers
-- a hash of the request it came with, and what that request created.
DROP TABLE idempotency_keys;
CREATE TABLE idempotency_keys (
    tenant_id     INTEGER NOT NULL,
    endpoint      TEXT NOT NULL,
    key           TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    code          TEXT,
    series_id     INTEGER,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, endpoint, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- One bot turn at a time per conversation: a turn claims the conversation
-- (a lease, so a crashed worker's claim lapses) and commits its replies and
-- new state only if the version it read is still current.
ALTER TABLE conversations ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN turn_token TEXT;
ALTER TABLE conversations ADD COLUMN turn_until INTEGER;
