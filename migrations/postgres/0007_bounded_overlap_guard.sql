-- No booking lasts more than a day (the store's overlap queries bound their
-- index scans with it; SQLite's triggers do too). The exclusion constraint
-- needs no bound: its GiST index finds overlaps directly.
ALTER TABLE bookings ADD CONSTRAINT bookings_at_most_a_day CHECK (ends_at - starts_at <= 86400);
