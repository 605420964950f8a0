-- What a customer has paid for a booking, as the front desk records it.
-- The booking keeps its current payment (read by every list and the
-- calendar without a join); payment_events keeps each change, who made it
-- and when, so a correction never erases what was recorded before.
ALTER TABLE bookings ADD COLUMN payment_state TEXT NOT NULL DEFAULT 'unpaid'
    CHECK (payment_state IN ('unpaid', 'deposit', 'paid'));
ALTER TABLE bookings ADD COLUMN paid_minor INTEGER NOT NULL DEFAULT 0 CHECK (paid_minor >= 0);
ALTER TABLE bookings ADD COLUMN payment_method TEXT
    CHECK (payment_method IN ('cash', 'transfer', 'qris'));

CREATE TABLE payment_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    booking_id   INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    state        TEXT NOT NULL CHECK (state IN ('unpaid', 'deposit', 'paid')),
    amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
    method       TEXT CHECK (method IN ('cash', 'transfer', 'qris')),
    note         TEXT NOT NULL DEFAULT '',
    actor        TEXT NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX payment_events_booking ON payment_events (tenant_id, booking_id, id);

-- What the bot's booking confirmation tells the customer about paying
-- ("Transfer to BCA 123… and send the receipt here").
ALTER TABLE tenants ADD COLUMN payment_instructions TEXT NOT NULL DEFAULT '';
