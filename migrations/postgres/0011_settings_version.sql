-- A version of everything a booking is checked and priced against (the
-- resource's columns, its opening hours and price rules, its outlet's time
-- zone), bumped by the database on every change of them, so a booking
-- checked against settings read earlier can verify in its insert that they
-- still hold (see store::booking_cache). Triggers, not application code, so
-- no writer can forget.
ALTER TABLE resources ADD COLUMN settings_version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION resources_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.settings_version := OLD.settings_version + 1;
    RETURN NEW;
END
$$;

CREATE TRIGGER resources_settings_changed BEFORE UPDATE ON resources
    FOR EACH ROW EXECUTE FUNCTION resources_settings_changed();

-- For opening_hours and price_rules, whose rows name their resource.
CREATE FUNCTION resource_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE resources SET settings_version = settings_version + 1 WHERE id = OLD.resource_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE resources SET settings_version = settings_version + 1 WHERE id = NEW.resource_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER opening_hours_changed AFTER INSERT OR UPDATE OR DELETE ON opening_hours
    FOR EACH ROW EXECUTE FUNCTION resource_settings_changed();

CREATE TRIGGER price_rules_changed AFTER INSERT OR UPDATE OR DELETE ON price_rules
    FOR EACH ROW EXECUTE FUNCTION resource_settings_changed();

CREATE FUNCTION outlet_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE resources SET settings_version = settings_version + 1 WHERE outlet_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER outlets_changed AFTER UPDATE ON outlets
    FOR EACH ROW EXECUTE FUNCTION outlet_settings_changed();
