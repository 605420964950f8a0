-- No booking lasts more than a day, and the overlap triggers use that to
-- look at one day of a resource's bookings instead of its whole history
-- (on a court with a year of bookings, the unbounded scan was most of the
-- cost of every insert).

CREATE TRIGGER bookings_at_most_a_day_on_insert
BEFORE INSERT ON bookings
WHEN NEW.ends_at - NEW.starts_at > 86400
BEGIN
    SELECT RAISE(ABORT, 'bookings_at_most_a_day');
END;

CREATE TRIGGER bookings_at_most_a_day_on_update
BEFORE UPDATE OF starts_at, ends_at ON bookings
WHEN NEW.ends_at - NEW.starts_at > 86400
BEGIN
    SELECT RAISE(ABORT, 'bookings_at_most_a_day');
END;

DROP TRIGGER bookings_no_overlap_on_insert;
CREATE TRIGGER bookings_no_overlap_on_insert
BEFORE INSERT ON bookings
WHEN NEW.status IN ('pending', 'confirmed', 'checked_in')
BEGIN
    SELECT RAISE(ABORT, 'bookings_no_overlap')
    WHERE EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.resource_id = NEW.resource_id
          AND b.starts_at > NEW.starts_at - 86400
          AND b.starts_at < NEW.ends_at
          AND NEW.starts_at < b.ends_at
          AND b.status IN ('pending', 'confirmed', 'checked_in')
    );
END;

DROP TRIGGER bookings_no_overlap_on_update;
CREATE TRIGGER bookings_no_overlap_on_update
BEFORE UPDATE OF resource_id, starts_at, ends_at, status ON bookings
WHEN NEW.status IN ('pending', 'confirmed', 'checked_in')
BEGIN
    SELECT RAISE(ABORT, 'bookings_no_overlap')
    WHERE EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.resource_id = NEW.resource_id
          AND b.id <> NEW.id
          AND b.starts_at > NEW.starts_at - 86400
          AND b.starts_at < NEW.ends_at
          AND NEW.starts_at < b.ends_at
          AND b.status IN ('pending', 'confirmed', 'checked_in')
    );
END;
