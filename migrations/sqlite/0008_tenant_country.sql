-- The country a tenant operates in (ISO 3166-1 alpha-2). Every tenant so
-- far is Indonesian, hence the default.
ALTER TABLE tenants ADD COLUMN country TEXT NOT NULL DEFAULT 'ID' CHECK (length(country) = 2);
