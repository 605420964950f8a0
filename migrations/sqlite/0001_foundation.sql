-- Pesan foundation schema (SQLite). Instants are INTEGER unix seconds (UTC);
-- every row carries tenant_id, and composite foreign keys make a row's parent
-- belong to the same tenant.

CREATE TABLE tenants (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    tier        TEXT NOT NULL DEFAULT 'growth' CHECK (tier IN ('starter', 'growth', 'enterprise')),
    created_at  INTEGER NOT NULL DEFAULT (unixepoch())
);

CREATE TABLE outlets (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    timezone    TEXT NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'staff')),
    password_hash  TEXT NOT NULL,
    created_at     INTEGER NOT NULL DEFAULT (unixepoch())
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE resources (
    id                 INTEGER PRIMARY KEY,
    tenant_id          INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    outlet_id          INTEGER NOT NULL,
    name               TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind               TEXT NOT NULL,
    capacity           INTEGER NOT NULL DEFAULT 10 CHECK (capacity > 0),
    slot_minutes       INTEGER NOT NULL DEFAULT 60 CHECK (slot_minutes IN (15, 30, 60)),
    min_minutes        INTEGER NOT NULL DEFAULT 60 CHECK (min_minutes > 0),
    max_minutes        INTEGER NOT NULL DEFAULT 240 CHECK (max_minutes >= min_minutes),
    buffer_minutes     INTEGER NOT NULL DEFAULT 0 CHECK (buffer_minutes >= 0),
    hourly_rate_minor  INTEGER NOT NULL CHECK (hourly_rate_minor >= 0),
    currency           TEXT NOT NULL DEFAULT 'IDR',
    active             INTEGER NOT NULL DEFAULT 1,
    created_at         INTEGER NOT NULL DEFAULT (unixepoch()),
    FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id),
    UNIQUE (tenant_id, id),
    UNIQUE (outlet_id, name)
);

CREATE TABLE opening_hours (
    tenant_id    INTEGER NOT NULL,
    resource_id  INTEGER NOT NULL,
    weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6), -- 0 = Monday
    open_minute  INTEGER NOT NULL CHECK (open_minute BETWEEN 0 AND 1439),
    minutes      INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    PRIMARY KEY (resource_id, weekday, open_minute),
    FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    phone       TEXT NOT NULL,
    name        TEXT,
    created_at  INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (tenant_id, phone),
    UNIQUE (tenant_id, id)
);

CREATE TABLE conversations (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL,
    customer_id  INTEGER NOT NULL,
    channel      TEXT NOT NULL CHECK (channel IN ('simulator', 'whatsapp')),
    lang         TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'id')),
    state        TEXT NOT NULL DEFAULT '{}',
    updated_at   INTEGER NOT NULL,
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE,
    UNIQUE (tenant_id, customer_id, channel),
    UNIQUE (tenant_id, id)
);

CREATE TABLE messages (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL,
    conversation_id  INTEGER NOT NULL,
    direction        TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    body             TEXT NOT NULL,
    external_id      TEXT,
    created_at       INTEGER NOT NULL,
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX messages_thread ON messages (conversation_id, id);
CREATE UNIQUE INDEX messages_external_once ON messages (tenant_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE bookings (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL,
    resource_id  INTEGER NOT NULL,
    customer_id  INTEGER,
    starts_at    INTEGER NOT NULL,
    ends_at      INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'checked_in', 'completed', 'cancelled', 'no_show')),
    price_minor  INTEGER NOT NULL CHECK (price_minor >= 0),
    currency     TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('dashboard', 'simulator', 'whatsapp', 'api')),
    created_at   INTEGER NOT NULL,
    CHECK (ends_at > starts_at),
    FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX bookings_resource_time ON bookings (resource_id, starts_at);
CREATE INDEX bookings_tenant_time ON bookings (tenant_id, starts_at);

-- The database itself refuses two active bookings of one resource that share
-- an instant, whatever the application checked before (half-open ranges).
CREATE TRIGGER bookings_no_overlap_on_insert
BEFORE INSERT ON bookings
WHEN NEW.status IN ('pending', 'confirmed', 'checked_in')
BEGIN
    SELECT RAISE(ABORT, 'bookings_no_overlap')
    WHERE EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.resource_id = NEW.resource_id
          AND b.status IN ('pending', 'confirmed', 'checked_in')
          AND b.starts_at < NEW.ends_at
          AND NEW.starts_at < b.ends_at
    );
END;

CREATE TRIGGER bookings_no_overlap_on_update
BEFORE UPDATE OF resource_id, starts_at, ends_at, status ON bookings
WHEN NEW.status IN ('pending', 'confirmed', 'checked_in')
BEGIN
    SELECT RAISE(ABORT, 'bookings_no_overlap')
    WHERE EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.resource_id = NEW.resource_id
          AND b.id <> NEW.id
          AND b.status IN ('pending', 'confirmed', 'checked_in')
          AND b.starts_at < NEW.ends_at
          AND NEW.starts_at < b.ends_at
    );
END;
