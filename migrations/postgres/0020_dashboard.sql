-- The staff dashboard's inbox and each user's interface language.

-- The newest message of the conversation a staff member has read: what is
-- newer from the customer counts as unread, for every staff member alike
-- (a front desk shares one inbox).
ALTER TABLE conversations ADD COLUMN staff_read_id BIGINT NOT NULL DEFAULT 0;

-- What staff know about a customer ("prefers court 2", "pays by QRIS").
ALTER TABLE customers ADD COLUMN notes TEXT NOT NULL DEFAULT '';

-- `en` or `id`; NULL until the user chooses.
ALTER TABLE users ADD COLUMN locale TEXT CHECK (locale IN ('en', 'id'));

-- A customer's bookings, for the inbox's customer panel.
CREATE INDEX bookings_customer ON bookings (tenant_id, customer_id, starts_at);
