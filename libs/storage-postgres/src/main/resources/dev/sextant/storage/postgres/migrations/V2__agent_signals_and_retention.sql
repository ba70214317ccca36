-- Version 2: the agent signals (span payloads, Mastra metric events, scores, feedback) and
-- retention's policies, runs and leases. Same conventions as version 1: a tenant on every row,
-- nanosecond times, ids as bytes, escaped strings, daily partitions on the time column.
-- Events are identified by (tenant, id): the time is in the key because the table is partitioned
-- by it; a rewrite of an event removes it under another time first.

CREATE TABLE span_payloads (
  tenant text NOT NULL,
  trace_id bytea NOT NULL,
  span_id bytea NOT NULL,
  start_time bigint NOT NULL,
  input text NOT NULL,
  output text NOT NULL,
  truncated boolean NOT NULL,
  PRIMARY KEY (tenant, trace_id, span_id, start_time)
) PARTITION BY RANGE (start_time);
CREATE TABLE span_payloads_default PARTITION OF span_payloads DEFAULT;

CREATE TABLE metric_events (
  tenant text NOT NULL,
  id text NOT NULL,
  time bigint NOT NULL,
  name text NOT NULL,
  value double precision NOT NULL,
  labels jsonb NOT NULL,
  trace_id bytea,
  span_id bytea,
  correlation jsonb NOT NULL,
  tags text[] NOT NULL,
  cost_provider text NOT NULL,
  cost_model text NOT NULL,
  estimated_cost double precision,
  cost_unit text NOT NULL,
  cost_metadata text NOT NULL,
  metadata text NOT NULL,
  PRIMARY KEY (tenant, id, time)
) PARTITION BY RANGE (time);
CREATE INDEX metric_events_by_name ON metric_events (tenant, name, time);
CREATE INDEX metric_events_by_time ON metric_events (tenant, time);
CREATE INDEX metric_events_by_trace ON metric_events (tenant, trace_id) WHERE trace_id IS NOT NULL;
CREATE TABLE metric_events_default PARTITION OF metric_events DEFAULT;

CREATE TABLE scores (
  tenant text NOT NULL,
  id text NOT NULL,
  time bigint NOT NULL,
  trace_id bytea,
  span_id bytea,
  scorer_id text NOT NULL,
  scorer_name text NOT NULL,
  scorer_version text NOT NULL,
  score_source text NOT NULL,
  score double precision NOT NULL,
  reason text NOT NULL,
  score_trace_id bytea,
  correlation jsonb NOT NULL,
  tags text[] NOT NULL,
  metadata text NOT NULL,
  PRIMARY KEY (tenant, id, time)
) PARTITION BY RANGE (time);
CREATE INDEX scores_by_scorer ON scores (tenant, scorer_id, time);
CREATE INDEX scores_by_time ON scores (tenant, time);
CREATE INDEX scores_by_trace ON scores (tenant, trace_id) WHERE trace_id IS NOT NULL;
CREATE TABLE scores_default PARTITION OF scores DEFAULT;

CREATE TABLE feedback (
  tenant text NOT NULL,
  id text NOT NULL,
  time bigint NOT NULL,
  trace_id bytea,
  span_id bytea,
  feedback_source text NOT NULL,
  feedback_type text NOT NULL,
  number_value double precision,
  text_value text NOT NULL,
  comment text NOT NULL,
  feedback_user_id text NOT NULL,
  source_id text NOT NULL,
  review_status text NOT NULL,
  correlation jsonb NOT NULL,
  tags text[] NOT NULL,
  metadata text NOT NULL,
  PRIMARY KEY (tenant, id, time)
) PARTITION BY RANGE (time);
CREATE INDEX feedback_by_type ON feedback (tenant, feedback_type, time);
CREATE INDEX feedback_by_time ON feedback (tenant, time);
CREATE INDEX feedback_by_trace ON feedback (tenant, trace_id) WHERE trace_id IS NOT NULL;
CREATE TABLE feedback_default PARTITION OF feedback DEFAULT;

-- Retention: what to keep per tenant and signal, what each run did, and who runs now.
CREATE TABLE retention_policies (
  tenant text NOT NULL,
  signal text NOT NULL,
  max_age_nanos bigint NOT NULL,
  enabled boolean NOT NULL,
  settings jsonb NOT NULL DEFAULT '{}',
  updated_at bigint NOT NULL,
  PRIMARY KEY (tenant, signal)
);

CREATE TABLE retention_runs (
  tenant text NOT NULL,
  id text NOT NULL,
  started_at bigint NOT NULL,
  finished_at bigint,
  status text NOT NULL,
  dry_run boolean NOT NULL,
  deleted jsonb NOT NULL DEFAULT '{}',
  error text NOT NULL DEFAULT '',
  PRIMARY KEY (tenant, id, started_at)
) PARTITION BY RANGE (started_at);
CREATE INDEX retention_runs_by_time ON retention_runs (tenant, started_at);
CREATE TABLE retention_runs_default PARTITION OF retention_runs DEFAULT;

CREATE TABLE retention_leases (
  tenant text NOT NULL,
  name text NOT NULL,
  holder text NOT NULL,
  expires_at bigint NOT NULL,
  PRIMARY KEY (tenant, name)
);
