-- The WhatsApp Business Account's message templates, as the last
-- `pesan whatsapp templates sync` listed them and the template status
-- webhooks changed them since: outside the 24-hour customer-service
-- window only an approved template may be sent, and a send must fill
-- exactly its parameters, so both are known without asking Meta.
--
-- A sync replaces the tenant's rows in one transaction (a template no
-- longer listed goes). Meta keys a template by name and language within
-- its account; the account (waba_id) is kept because the status webhook
-- names the account, not the number.
CREATE TABLE whatsapp_templates (
    id                 INTEGER PRIMARY KEY,
    tenant_id          INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    waba_id            TEXT NOT NULL,
    -- Meta's id of the template.
    template_id        TEXT,
    name               TEXT NOT NULL,
    language           TEXT NOT NULL,
    -- UTILITY, MARKETING or AUTHENTICATION: what Meta charges a send.
    category           TEXT NOT NULL,
    -- APPROVED, PENDING, REJECTED, PAUSED, DISABLED…; only APPROVED sends.
    status             TEXT NOT NULL,
    -- Meta's reason with the latest status webhook (a rejection's).
    reason             TEXT,
    -- The BODY text, placeholders and all.
    body               TEXT,
    -- Distinct body placeholders ({{1}} or {{name}}): what a send fills.
    parameters         INTEGER NOT NULL,
    -- The header's placeholders, or 1 for a media header.
    header_parameters  INTEGER NOT NULL,
    -- Meta's components array (JSON): buttons, footer, examples.
    components         TEXT NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (tenant_id, name, language)
);
-- The status webhook finds templates by account, then name and language.
CREATE INDEX whatsapp_templates_waba ON whatsapp_templates (waba_id, name, language);
-- ... and the tenants by the account their numbers are in.
CREATE INDEX whatsapp_numbers_waba ON whatsapp_numbers (waba_id);
