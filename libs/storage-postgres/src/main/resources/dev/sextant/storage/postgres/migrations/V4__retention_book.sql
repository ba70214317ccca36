-- Version 4: retention's own records as the retention SPI keeps them (ADR 0011), replacing the
-- unused tables of version 2: policies by id with an optimistic version, runs by id with their
-- tasks (a JSON array, in the run's order), named leases with a fencing token. Small tables of one
-- row per policy, run and lease: not partitioned. Strings went through PgText's escape.

DROP TABLE retention_policies;
DROP TABLE retention_runs;
DROP TABLE retention_leases;

CREATE TABLE retention_policies (
  id text PRIMARY KEY,
  tenant text NOT NULL,
  signal text NOT NULL,
  service text,
  environment text,
  entity_type text,
  entity_name text,
  max_age_nanos bigint NOT NULL,
  max_bytes bigint NOT NULL,
  schedule text NOT NULL,
  enabled boolean NOT NULL,
  version bigint NOT NULL,
  updated bigint NOT NULL
);

CREATE TABLE retention_runs (
  id text PRIMARY KEY,
  policy_id text NOT NULL,
  trigger text NOT NULL,
  owner text NOT NULL,
  status text NOT NULL,
  plan_time bigint NOT NULL,
  scheduled_for bigint NOT NULL,
  plan_fingerprint text NOT NULL,
  started bigint NOT NULL,
  finished bigint NOT NULL,
  error text NOT NULL,
  tasks text NOT NULL
);
CREATE INDEX retention_runs_by_start ON retention_runs (started);
CREATE INDEX retention_runs_by_policy ON retention_runs (policy_id, started);

CREATE TABLE retention_leases (
  name text PRIMARY KEY,
  owner text NOT NULL,
  token bigint NOT NULL,
  expires bigint NOT NULL
);
