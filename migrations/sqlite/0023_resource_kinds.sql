-- Kinds of space a venue defines for itself (padel, mini soccer), with the
-- words its customers use for them. A resource's `kind` holds either a
-- built-in name or one of these keys; the key never changes once made.
CREATE TABLE resource_kinds (
    tenant_id  INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    name_id    TEXT NOT NULL,
    -- One word or phrase per line, lower case.
    words      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (tenant_id, key)
);
