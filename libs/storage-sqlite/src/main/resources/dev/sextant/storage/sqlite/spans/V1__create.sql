-- Spans, one row per (tenant, trace_id, span_id). Attribute maps, events and links are JSON
-- text (see AttributeJson); enums are stored by name.
CREATE TABLE spans (
  tenant                   TEXT    NOT NULL,
  trace_id                 TEXT    NOT NULL,
  span_id                  TEXT    NOT NULL,
  parent_span_id           TEXT    NOT NULL,
  name                     TEXT    NOT NULL,
  kind                     TEXT    NOT NULL,
  start_time               INTEGER NOT NULL,
  end_time                 INTEGER NOT NULL,
  status_code              TEXT    NOT NULL,
  status_message           TEXT    NOT NULL,
  service_name             TEXT    NOT NULL,
  scope_name               TEXT    NOT NULL,
  scope_version            TEXT    NOT NULL,
  resource_attributes      TEXT    NOT NULL,
  attributes               TEXT    NOT NULL,
  events                   TEXT    NOT NULL,
  links                    TEXT    NOT NULL,
  dropped_attributes_count INTEGER NOT NULL
);
-- Idempotent rewrites (INSERT OR REPLACE) and trace by id.
CREATE UNIQUE INDEX spans_by_trace ON spans (tenant, trace_id, span_id);
-- Search, newest first, with or without a service.
CREATE INDEX spans_by_start ON spans (tenant, start_time);
CREATE INDEX spans_by_service ON spans (tenant, service_name, start_time);
