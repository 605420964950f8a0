-- The knowledge base: a venue's documents (files and FAQ entries), cut into
-- chunks that full-text and vector search find and cite.
--
-- A document is also its own indexing job: `state` says where it is, and a
-- worker claims a queued one with a lease (`claim`, `claimed_until`), so a
-- crash mid-way only delays it. The file itself is kept, so a document can
-- be indexed again (a new embedding model, a better extractor).
CREATE TABLE knowledge_documents (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    outlet_id      INTEGER REFERENCES outlets (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    format         TEXT NOT NULL,
    size           INTEGER NOT NULL DEFAULT 0,
    sha256         TEXT NOT NULL DEFAULT '',
    content        BLOB,
    question       TEXT,
    answer         TEXT,
    state          TEXT NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'extracting', 'indexing', 'ready', 'failed')),
    progress       INTEGER NOT NULL DEFAULT 0,
    error          TEXT,
    chunks         INTEGER NOT NULL DEFAULT 0,
    embed_model    TEXT,
    attempts       INTEGER NOT NULL DEFAULT 0,
    claim          TEXT,
    claimed_until  INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX knowledge_documents_tenant ON knowledge_documents (tenant_id, id);
CREATE INDEX knowledge_documents_due ON knowledge_documents (state, claimed_until);

-- One passage of a document. `locator` is where it sits (JSON: a page, a
-- sheet, the whole file); `embedding` is the vector of `embed_model`
-- (little-endian f32s) when vectors live in the database. AUTOINCREMENT:
-- an id is never given to another passage, so a vector left behind in
-- Qdrant (a delete that failed there) can never stand for a new passage.
CREATE TABLE knowledge_chunks (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    document_id  INTEGER NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    locator      TEXT NOT NULL,
    heading      TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL,
    embedding    BLOB,
    embed_model  TEXT,
    UNIQUE (document_id, seq)
);
CREATE INDEX knowledge_chunks_tenant ON knowledge_chunks (tenant_id, id);

-- Full text over heading and text. The trigram tokenizer matches inside
-- words, which is what Indonesian affixes need ("bayar" finds
-- "pembayaran", "buka" finds "dibuka"); rowid is the chunk's id.
CREATE VIRTUAL TABLE knowledge_fts USING fts5 (body, tokenize = 'trigram');
CREATE TRIGGER knowledge_chunks_fts_insert AFTER INSERT ON knowledge_chunks BEGIN
    INSERT INTO knowledge_fts (rowid, body) VALUES (new.id, new.heading || ' ' || new.text);
END;
CREATE TRIGGER knowledge_chunks_fts_delete AFTER DELETE ON knowledge_chunks BEGIN
    DELETE FROM knowledge_fts WHERE rowid = old.id;
END;

-- Bumped whenever a tenant's chunks or vectors change, so a process that
-- keeps the tenant's vectors in memory knows when to read them again
-- (whichever replica made the change).
CREATE TABLE knowledge_generations (
    tenant_id   INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    generation  INTEGER NOT NULL DEFAULT 0
);

-- The agent, per tenant: on unless switched off (once an LLM is
-- configured), and the owner's instructions.
CREATE TABLE agent_settings (
    tenant_id     INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    enabled       INTEGER NOT NULL DEFAULT 1,
    instructions  TEXT NOT NULL DEFAULT '',
    updated_at    INTEGER NOT NULL
);

-- What the LLM and embedding endpoints were asked per tenant and day
-- (UTC), for the dashboard and for bills.
CREATE TABLE usage_daily (
    tenant_id         INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    day               TEXT NOT NULL,
    model_calls       INTEGER NOT NULL DEFAULT 0,
    tokens_in         INTEGER NOT NULL DEFAULT 0,
    tokens_out        INTEGER NOT NULL DEFAULT 0,
    embedding_tokens  INTEGER NOT NULL DEFAULT 0,
    fallbacks         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, day)
);

-- One agent turn: how it ended (answered, handed off, or fell back to the
-- built-in engine, and why), what it cost and which tools it called.
CREATE TABLE agent_turns (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    outcome          TEXT NOT NULL,
    reason           TEXT,
    model_calls      INTEGER NOT NULL DEFAULT 0,
    tokens_in        INTEGER NOT NULL DEFAULT 0,
    tokens_out       INTEGER NOT NULL DEFAULT 0,
    tools            TEXT NOT NULL DEFAULT '[]',
    at               INTEGER NOT NULL
);
CREATE INDEX agent_turns_conversation ON agent_turns (conversation_id, id);
