-- Point-in-time events tied to traces (ADR 0010): raw metric observations, scores, feedback. One
-- table per kind, same shape: the producer's id (unique per tenant: a resend replaces), the time,
-- the name the kind groups by (metric name, scorer id, feedback type), trace and span ids as hex
-- text (NULL when absent), the correlation fields that queries filter on, and the rest of the
-- event as JSON (body; see SqliteEventCodec).
CREATE TABLE metric_events (
  tenant       TEXT    NOT NULL,
  id           TEXT    NOT NULL,
  time         INTEGER NOT NULL,
  name         TEXT    NOT NULL,
  trace_id     TEXT,
  span_id      TEXT,
  entity_type  TEXT,
  entity_name  TEXT,
  thread_id    TEXT,
  resource_id  TEXT,
  environment  TEXT,
  service_name TEXT,
  body         TEXT    NOT NULL
);
CREATE UNIQUE INDEX metric_events_by_id ON metric_events (tenant, id);
CREATE INDEX metric_events_by_name ON metric_events (tenant, name, time);
CREATE INDEX metric_events_by_time ON metric_events (tenant, time);
CREATE INDEX metric_events_by_trace ON metric_events (tenant, trace_id) WHERE trace_id IS NOT NULL;

CREATE TABLE scores (
  tenant       TEXT    NOT NULL,
  id           TEXT    NOT NULL,
  time         INTEGER NOT NULL,
  name         TEXT    NOT NULL,
  trace_id     TEXT,
  span_id      TEXT,
  entity_type  TEXT,
  entity_name  TEXT,
  thread_id    TEXT,
  resource_id  TEXT,
  environment  TEXT,
  service_name TEXT,
  body         TEXT    NOT NULL
);
CREATE UNIQUE INDEX scores_by_id ON scores (tenant, id);
CREATE INDEX scores_by_name ON scores (tenant, name, time);
CREATE INDEX scores_by_time ON scores (tenant, time);
CREATE INDEX scores_by_trace ON scores (tenant, trace_id) WHERE trace_id IS NOT NULL;

CREATE TABLE feedback (
  tenant       TEXT    NOT NULL,
  id           TEXT    NOT NULL,
  time         INTEGER NOT NULL,
  name         TEXT    NOT NULL,
  trace_id     TEXT,
  span_id      TEXT,
  entity_type  TEXT,
  entity_name  TEXT,
  thread_id    TEXT,
  resource_id  TEXT,
  environment  TEXT,
  service_name TEXT,
  body         TEXT    NOT NULL
);
CREATE UNIQUE INDEX feedback_by_id ON feedback (tenant, id);
CREATE INDEX feedback_by_name ON feedback (tenant, name, time);
CREATE INDEX feedback_by_time ON feedback (tenant, time);
CREATE INDEX feedback_by_trace ON feedback (tenant, trace_id) WHERE trace_id IS NOT NULL;
