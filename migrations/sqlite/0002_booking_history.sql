-- Every status change of a booking, with who made it, when and why.
CREATE TABLE booking_events (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL,
    booking_id   INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    actor        TEXT NOT NULL,
    reason       TEXT,
    at           INTEGER NOT NULL
);
CREATE INDEX booking_events_booking ON booking_events (booking_id, id);
