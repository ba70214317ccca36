-- What the retention service keeps (ADR 0011): policies, the history of runs with the progress of
-- each task (what lets a crashed run resume), and leases. Small tables in their own file, so that
-- retention's bookkeeping never waits for the writers of the data files.

-- One row per policy. tenant '*' applies to every tenant; a NULL selector field matches anything.
-- max_age in nanoseconds; max_bytes 0: no size cap. version grows by one at every change.
CREATE TABLE policies (
  id          TEXT    NOT NULL PRIMARY KEY,
  tenant      TEXT    NOT NULL,
  signal      TEXT    NOT NULL,
  service     TEXT,
  environment TEXT,
  entity_type TEXT,
  entity_name TEXT,
  max_age     INTEGER NOT NULL,
  max_bytes   INTEGER NOT NULL,
  schedule    TEXT    NOT NULL,
  enabled     INTEGER NOT NULL,
  version     INTEGER NOT NULL,
  updated     INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per run of a policy; finished is 0 while it runs.
CREATE TABLE runs (
  id            TEXT    NOT NULL PRIMARY KEY,
  policy_id     TEXT    NOT NULL,
  trigger       TEXT    NOT NULL,
  owner         TEXT    NOT NULL,
  status        TEXT    NOT NULL,
  plan_time     INTEGER NOT NULL,
  scheduled_for INTEGER NOT NULL,
  fingerprint   TEXT    NOT NULL,
  started       INTEGER NOT NULL,
  finished      INTEGER NOT NULL,
  error         TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX runs_by_start ON runs (started, id);
CREATE INDEX runs_by_policy ON runs (policy_id, started, id);

-- The tasks of a run, one per (tenant, signal, kind), in the order they were planned (seq).
CREATE TABLE run_tasks (
  run_id TEXT    NOT NULL,
  tenant TEXT    NOT NULL,
  signal TEXT    NOT NULL,
  kind   TEXT    NOT NULL,
  seq    INTEGER NOT NULL,
  state  TEXT    NOT NULL,
  cutoff INTEGER NOT NULL,
  rows   INTEGER NOT NULL,
  bytes  INTEGER NOT NULL,
  note   TEXT    NOT NULL,
  PRIMARY KEY (run_id, tenant, signal, kind)
) WITHOUT ROWID;

-- Named leases: one owner until expires (Unix nanoseconds, from the caller's clock); token grows
-- when the lease changes hands (fencing).
CREATE TABLE leases (
  name    TEXT    NOT NULL PRIMARY KEY,
  owner   TEXT    NOT NULL,
  token   INTEGER NOT NULL,
  expires INTEGER NOT NULL
) WITHOUT ROWID;
