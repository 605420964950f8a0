-- The language a venue's conversations start in, until the customer's own
-- words show theirs ("7pm?" says nothing; "jam 7 malam" does).
ALTER TABLE tenants ADD COLUMN default_lang TEXT NOT NULL DEFAULT 'en' CHECK (default_lang IN ('en', 'id'));
