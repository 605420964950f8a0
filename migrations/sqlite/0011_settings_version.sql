-- A version of everything a booking is checked and priced against (the
-- resource's columns, its opening hours and price rules, its outlet's time
-- zone), bumped by the database on every change of them, so a booking
-- checked against settings read earlier can verify in its insert that they
-- still hold (see store::booking_cache). Triggers, not application code, so
-- no writer can forget.
ALTER TABLE resources ADD COLUMN settings_version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER resources_settings_changed AFTER UPDATE ON resources
    WHEN NEW.settings_version = OLD.settings_version
BEGIN
    UPDATE resources SET settings_version = OLD.settings_version + 1 WHERE id = NEW.id;
END;

CREATE TRIGGER opening_hours_added AFTER INSERT ON opening_hours
BEGIN
    UPDATE resources SET settings_version = settings_version + 1 WHERE id = NEW.resource_id;
END;

CREATE TRIGGER opening_hours_changed AFTER UPDATE ON opening_hours
BEGIN
    UPDATE resources SET settings_version = settings_version + 1
    WHERE id IN (OLD.resource_id, NEW.resource_id);
END;

CREATE TRIGGER opening_hours_removed AFTER DELETE ON opening_hours
BEGIN
    UPDATE resources SET settings_version = settings_version + 1 WHERE id = OLD.resource_id;
END;

CREATE TRIGGER price_rules_added AFTER INSERT ON price_rules
BEGIN
    UPDATE resources SET settings_version = settings_version + 1 WHERE id = NEW.resource_id;
END;

CREATE TRIGGER price_rules_changed AFTER UPDATE ON price_rules
BEGIN
    UPDATE resources SET settings_version = settings_version + 1
    WHERE id IN (OLD.resource_id, NEW.resource_id);
END;

CREATE TRIGGER price_rules_removed AFTER DELETE ON price_rules
BEGIN
    UPDATE resources SET settings_version = settings_version + 1 WHERE id = OLD.resource_id;
END;

CREATE TRIGGER outlets_changed AFTER UPDATE ON outlets
BEGIN
    UPDATE resources SET settings_version = settings_version + 1 WHERE outlet_id = NEW.id;
END;
