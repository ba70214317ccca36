-- Resource attribute maps, stored once per distinct map (id: the first 8 bytes of the SHA-256 of
-- its JSON) instead of on every span: an SDK's resource is often larger than the span itself.
-- last_seen is the newest time of a record written with it, refreshed at most every few minutes;
-- retention deletes a resource once it is well behind the cutoff (see Resources).
CREATE TABLE resources (
  tenant     TEXT    NOT NULL,
  id         INTEGER NOT NULL,
  attributes TEXT    NOT NULL,
  last_seen  INTEGER NOT NULL,
  PRIMARY KEY (tenant, id)
) WITHOUT ROWID;

-- Spans, one row per (tenant, trace_id, span_id). Ids are binary: trace_id the 16 bytes,
-- span_id and parent_span_id the 8 bytes as an integer with the top bit flipped, so that integer
-- order is the order of the hex text (see SqliteIds); parent_span_id is NULL for a root. Binary
-- ids halve the trace index, which every insert updates at a random place (measured: 1.8x the
-- insert rate of hex text). Attribute maps, events and links are JSON text (see AttributeJson);
-- enums are stored by name.
CREATE TABLE spans (
  tenant                   TEXT    NOT NULL,
  trace_id                 BLOB    NOT NULL,
  span_id                  INTEGER NOT NULL,
  parent_span_id           INTEGER,
  name                     TEXT    NOT NULL,
  kind                     TEXT    NOT NULL,
  start_time               INTEGER NOT NULL,
  end_time                 INTEGER NOT NULL,
  status_code              TEXT    NOT NULL,
  status_message           TEXT    NOT NULL,
  service_name             TEXT    NOT NULL,
  scope_name               TEXT    NOT NULL,
  scope_version            TEXT    NOT NULL,
  resource_id              INTEGER NOT NULL,
  attributes               TEXT    NOT NULL,
  events                   TEXT    NOT NULL,
  links                    TEXT    NOT NULL,
  dropped_attributes_count INTEGER NOT NULL,
  -- 1 while the span has not ended (sextant.span.running): such a row never replaces an ended one.
  running                  INTEGER NOT NULL DEFAULT 0,
  -- Agent semantics that trace lists filter on, copied from the well-known attributes
  -- (MastraAttributes, ADR 0010) so that they are indexed; NULL when the span has none. tags is
  -- the JSON array of mastra.tags.
  span_type                TEXT,
  entity_type              TEXT,
  entity_id                TEXT,
  entity_name              TEXT,
  environment              TEXT,
  run_id                   TEXT,
  thread_id                TEXT,
  owner_resource_id        TEXT,
  user_id                  TEXT,
  session_id               TEXT,
  tags                     TEXT
);
-- Idempotent rewrites (INSERT OR REPLACE) and trace by id.
CREATE UNIQUE INDEX spans_by_trace ON spans (tenant, trace_id, span_id);
-- Search, newest first, with or without a service.
CREATE INDEX spans_by_start ON spans (tenant, start_time);
CREATE INDEX spans_by_service ON spans (tenant, service_name, start_time);
-- Lists of traces walk the roots only: small partial indexes, newest first.
CREATE INDEX spans_roots ON spans (tenant, start_time) WHERE parent_span_id IS NULL;
CREATE INDEX spans_roots_by_entity ON spans (tenant, entity_type, entity_name, start_time)
  WHERE parent_span_id IS NULL;
CREATE INDEX spans_roots_by_thread ON spans (tenant, thread_id, start_time)
  WHERE parent_span_id IS NULL AND thread_id IS NOT NULL;

-- Span inputs and outputs (JSON text), apart from the spans so that trace search never reads
-- their pages; start_time is the span's, for retention.
CREATE TABLE span_payloads (
  tenant     TEXT    NOT NULL,
  trace_id   BLOB    NOT NULL,
  span_id    INTEGER NOT NULL,
  start_time INTEGER NOT NULL,
  input      TEXT    NOT NULL,
  output     TEXT    NOT NULL,
  truncated  INTEGER NOT NULL
);
CREATE UNIQUE INDEX span_payloads_by_span ON span_payloads (tenant, trace_id, span_id);
CREATE INDEX span_payloads_by_start ON span_payloads (tenant, start_time);
