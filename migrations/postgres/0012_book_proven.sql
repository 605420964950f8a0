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
    -- The write check's window: the buffer-widened range, and where the
    -- index scan starts (no booking lasts more than a day).
    p_scan_from BIGINT, p_widened_end BIGINT, p_widened_start BIGINT,
    p_outlet BIGINT,
    -- The proof: the resource's settings_version as read, and the customer's
    -- number and the name the request gave (if any).
    p_version BIGINT, p_phone TEXT, p_name TEXT
) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    v_id BIGINT;
BEGIN
    PERFORM 1 FROM resources
     WHERE tenant_id = p_tenant AND id = p_resource AND active AND settings_version = p_version
     FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    IF p_customer IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM customers WHERE tenant_id = p_tenant AND id = p_customer
           AND phone = p_phone AND (p_name IS NULL OR name = p_name)) THEN
        RETURN 0;
    END IF;
    IF EXISTS (
        SELECT 1 FROM bookings WHERE resource_id = p_resource AND starts_at > p_scan_from
           AND starts_at < p_widened_end AND ends_at > p_widened_start
           AND status IN ('pending', 'confirmed', 'checked_in'))
       OR EXISTS (
        SELECT 1 FROM blackouts WHERE outlet_id = p_outlet
           AND (resource_id IS NULL OR resource_id = p_resource)
           AND starts_at < p_ends AND p_starts < ends_at) THEN
        RETURN 0;
    END IF;
    INSERT INTO booking_codes (tenant_id, code, created_at)
    VALUES (p_tenant, p_code, p_created) ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN -1;
    END IF;
    INSERT INTO bookings (tenant_id, resource_id, customer_id, starts_at, ends_at, status,
                          price_minor, currency, source, created_at, hold_expires_at, series_id,
                          code, created_by)
    VALUES (p_tenant, p_resource, p_customer, p_starts, p_ends, p_status, p_price, p_currency,
            p_source, p_created, p_hold_expires, p_series, p_code, p_created_by)
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;
