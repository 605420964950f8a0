-- A booking whose resource and customer an earlier booking read (the
-- store's booking cache), proven and written by one statement in its own
-- transaction: one round trip instead of four (BEGIN, the resource's lock
-- with its proof, the insert, COMMIT). Each statement of a volatile
-- PL/pgSQL function takes a new snapshot under READ COMMITTED, so the
-- checks after the resource's lock see every booking committed while it
-- waited (a single SQL statement's NOT EXISTS would not).
--
-- Returns the new booking's id, 0 when the proof does not hold or
-- something is in the way (nothing written: the caller reads everything and
-- checks in full), or -1 when the booking code is taken (nothing written).
-- The statuses are the store's ACTIVE_STATUSES; the first history entry
-- comes from the bookings_created trigger, as for every insert.
CREATE FUNCTION book_proven(
    p_tenant BIGINT, p_resource BIGINT, p_customer BIGINT,
    p_starts BIGINT, p_ends BIGINT, p_status TEXT,
    p_price BIGINT, p_currency TEXT, p_source TEXT, p_created BIGINT,
    p_hold_expires BIGINT, p_series BIGINT, p_code TEXT, p_created_by TEXT,
    -- The write check's window: the range widened by the resource's buffer.
    p_widened_end BIGINT, p_widened_start BIGINT,
    p_outlet BIGINT,
    -- The proof: the resource's settings_version as read, and the customer's
    -- number and the name the request gave (if any).
    p_version BIGINT, p_phone TEXT, p_name TEXT
) RETURNS BIGINT LANGUAGE plpgsql
-- Every statement below is a keyed lookup or insert whose plan does not
-- depend on the values (the slot check reads the exclusion constraint's
-- index by resource and range); left to itself the planner re-planned
-- them for each call (see Store::begin_booking_write).
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_id BIGINT;
BEGIN
    PERFORM 1 FROM resources
     WHERE tenant_id = p_tenant AND id = p_resource AND active AND settings_version = p_version
     FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    IF (p_customer IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM customers WHERE tenant_id = p_tenant AND id = p_customer
               AND phone = p_phone AND (p_name IS NULL OR name = p_name)))
       OR EXISTS (
            -- As the exclusion constraint's index reads it: the resource and
            -- the range, whatever the plan.
            SELECT 1 FROM bookings WHERE resource_id = p_resource
               AND status IN ('pending', 'confirmed', 'checked_in')
               AND int8range(starts_at, ends_at) && int8range(p_widened_start, p_widened_end))
       OR EXISTS (
            SELECT 1 FROM blackouts WHERE outlet_id = p_outlet
               AND (resource_id IS NULL OR resource_id = p_resource)
               AND starts_at < p_ends AND p_starts < ends_at) THEN
        RETURN 0;
    END IF;
    -- The code's claim and the booking in one statement: no booking when
    -- the code is taken.
    WITH claimed AS (
        INSERT INTO booking_codes (tenant_id, code, created_at)
        VALUES (p_tenant, p_code, p_created) ON CONFLICT DO NOTHING RETURNING 1)
    INSERT INTO bookings (tenant_id, resource_id, customer_id, starts_at, ends_at, status,
                          price_minor, currency, source, created_at, hold_expires_at, series_id,
                          code, created_by)
    SELECT p_tenant, p_resource, p_customer, p_starts, p_ends, p_status, p_price, p_currency,
           p_source, p_created, p_hold_expires, p_series, p_code, p_created_by
      FROM claimed
    RETURNING id INTO v_id;
    RETURN COALESCE(v_id, -1);
END
$$;
