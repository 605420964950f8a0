-- Booking rules beyond opening hours: how late and how far ahead a resource
-- may be booked, blackouts (maintenance, public holidays), pricing rules and
-- recurring series.

ALTER TABLE resources ADD COLUMN lead_minutes INTEGER NOT NULL DEFAULT 0 CHECK (lead_minutes >= 0);
ALTER TABLE resources ADD COLUMN horizon_days INTEGER NOT NULL DEFAULT 90 CHECK (horizon_days BETWEEN 1 AND 730);

-- Closed time: the whole outlet when resource_id is NULL, else one resource.
CREATE TABLE blackouts (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    outlet_id    INTEGER NOT NULL,
    resource_id  INTEGER,
    starts_at    INTEGER NOT NULL,
    ends_at      INTEGER NOT NULL,
    reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    created_at   INTEGER NOT NULL,
    CHECK (ends_at > starts_at),
    FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX blackouts_outlet_time ON blackouts (outlet_id, ends_at);

-- A pricing rule of one resource, as the domain's PriceRule in JSON (when it
-- applies and how it changes the hourly rate); priority is kept as a column
-- so rules list in the order they win.
CREATE TABLE price_rules (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL,
    resource_id  INTEGER NOT NULL,
    priority     INTEGER NOT NULL,
    rule         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX price_rules_resource ON price_rules (resource_id);

-- A recurring booking: an RRULE from a first local start; its occurrences
-- are ordinary bookings that point back here.
CREATE TABLE booking_series (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL,
    resource_id   INTEGER NOT NULL,
    customer_id   INTEGER,
    rrule         TEXT NOT NULL,
    first_local   TEXT NOT NULL,
    minutes       INTEGER NOT NULL CHECK (minutes > 0),
    created_at    INTEGER NOT NULL,
    FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    UNIQUE (tenant_id, id)
);
ALTER TABLE bookings ADD COLUMN series_id INTEGER REFERENCES booking_series (id);
CREATE INDEX bookings_series ON bookings (series_id, starts_at) WHERE series_id IS NOT NULL;
