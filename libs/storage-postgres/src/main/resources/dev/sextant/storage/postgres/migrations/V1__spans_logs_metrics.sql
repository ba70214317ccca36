-- Version 1: spans, logs and metrics (ADR 0012).
--
-- Conventions: every table carries the tenant; times are Unix epoch nanoseconds (bigint); trace
-- and span ids are their 16 and 8 bytes; every string went through PgText's U+0000 escape.
-- Time-series tables are partitioned by day on their time column: partitions named
-- <table>_dYYYYMMDD are created ahead of time by the backend (Partitions), rows of days without
-- one land in <table>_default, and retention drops whole days.

CREATE TABLE spans (
  tenant text NOT NULL,
  trace_id bytea NOT NULL,
  span_id bytea NOT NULL,
  parent_span_id bytea,
  start_time bigint NOT NULL,
  end_time bigint NOT NULL,
  name text NOT NULL,
  kind smallint NOT NULL,
  status_code smallint NOT NULL,
  status_message text NOT NULL,
  service_name text NOT NULL,
  scope_name text NOT NULL,
  scope_version text NOT NULL,
  attributes jsonb NOT NULL,
  attribute_order jsonb,
  resource jsonb NOT NULL,
  resource_order jsonb,
  events json NOT NULL,
  links json NOT NULL,
  dropped_attributes integer NOT NULL,
  -- The partition key must be in a unique key; a rewrite with another start time removes the old
  -- row first (PgSpanStore), so (tenant, trace_id, span_id) stays unique.
  PRIMARY KEY (tenant, trace_id, span_id, start_time)
) PARTITION BY RANGE (start_time);
-- Trace search walks a tenant's spans newest first, by service when one is given.
CREATE INDEX spans_by_time ON spans (tenant, start_time);
CREATE INDEX spans_by_service ON spans (tenant, service_name, start_time);
CREATE TABLE spans_default PARTITION OF spans DEFAULT;

CREATE SEQUENCE logs_seq;
CREATE TABLE logs (
  tenant text NOT NULL,
  time bigint NOT NULL,
  -- Write order, so records of the same time come back later-written first.
  seq bigint NOT NULL DEFAULT nextval('logs_seq'),
  observed_time bigint NOT NULL,
  severity_number smallint NOT NULL,
  severity_text text NOT NULL,
  body_text text NOT NULL,
  -- Structured (non-string) bodies as JSON, exactly; NULL for a string body.
  body json,
  service_name text NOT NULL,
  scope_name text NOT NULL,
  trace_id bytea,
  span_id bytea,
  attributes jsonb NOT NULL,
  attribute_order jsonb,
  resource jsonb NOT NULL,
  resource_order jsonb,
  dropped_attributes integer NOT NULL
) PARTITION BY RANGE (time);
CREATE INDEX logs_by_time ON logs (tenant, time, seq);
CREATE INDEX logs_by_trace ON logs (tenant, trace_id) WHERE trace_id IS NOT NULL;
CREATE INDEX logs_by_service ON logs (tenant, service_name, time);
CREATE TABLE logs_default PARTITION OF logs DEFAULT;

-- Metric series: one row per series, written by flushes. first_time and last_time are times of
-- stored points; last_bound is at or after every stored point (last_time + 5 minutes when written),
-- so a steady series is rewritten once per 5 minutes of data, not once per flush.
CREATE TABLE metric_series (
  tenant text NOT NULL,
  series_id bigint NOT NULL,
  name text NOT NULL,
  labels jsonb NOT NULL,
  type smallint NOT NULL,
  temporality smallint NOT NULL,
  unit text NOT NULL,
  description text NOT NULL,
  first_time bigint NOT NULL,
  last_time bigint NOT NULL,
  last_bound bigint NOT NULL,
  PRIMARY KEY (tenant, series_id)
);
CREATE INDEX metric_series_by_name ON metric_series (tenant, name);

CREATE TABLE metric_metadata (
  tenant text NOT NULL,
  name text NOT NULL,
  type smallint NOT NULL,
  temporality smallint NOT NULL,
  unit text NOT NULL,
  description text NOT NULL,
  PRIMARY KEY (tenant, name)
);

-- The write-ahead log: one row per acknowledged write (its points, encoded), until a flush has
-- turned it into chunks. Rows live seconds; the tenants column names whose points a row holds.
CREATE TABLE metric_wal (
  id bigserial PRIMARY KEY,
  written_at timestamptz NOT NULL DEFAULT now(),
  tenants text[] NOT NULL,
  points integer NOT NULL,
  payload bytea NOT NULL
);
ALTER TABLE metric_wal ALTER COLUMN payload SET STORAGE EXTERNAL;

-- Points, as compressed chunks of one series within one hour window (window_start). seq orders
-- chunks: at the same time a chunk of a higher seq wins. level counts compactions (0: a flush);
-- 32767 marks a full chunk that is never merged again.
CREATE SEQUENCE metric_chunk_ids;
-- One number per flush, taken under the flush lock: a later flush's chunks win at the same time.
CREATE SEQUENCE metric_flush_seq;
CREATE TABLE metric_chunks (
  tenant text NOT NULL,
  series_id bigint NOT NULL,
  window_start bigint NOT NULL,
  id bigint NOT NULL DEFAULT nextval('metric_chunk_ids'),
  seq bigint NOT NULL,
  level smallint NOT NULL,
  min_time bigint NOT NULL,
  max_time bigint NOT NULL,
  points integer NOT NULL,
  data bytea NOT NULL
) PARTITION BY RANGE (window_start);
ALTER TABLE metric_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX metric_chunks_by_series ON metric_chunks (tenant, series_id, max_time, seq);
CREATE TABLE metric_chunks_default PARTITION OF metric_chunks DEFAULT;
