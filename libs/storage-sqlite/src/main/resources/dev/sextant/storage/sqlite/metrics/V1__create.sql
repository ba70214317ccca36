-- The metric store (ADR 0007): writes land in a write-ahead log and an in-memory head of the
-- writing process; flushes turn the head into compressed chunks in blocks; compaction merges
-- older blocks and builds rollups.

-- Tenants get a small number, so the keys of chunk and rollup rows stay short.
CREATE TABLE tenants (
  ref    INTEGER PRIMARY KEY,
  tenant TEXT    NOT NULL UNIQUE
);

-- Metric series: identity (tenant, series_id = MetricSeries.id()) and the latest metadata.
-- first_time is at or before the first point; last_time is the time of a stored point;
-- last_bound is at or after the last point. A flush rewrites a row only when its series is new,
-- its metadata changed, or a point passed last_bound (which then moves a few minutes ahead).
CREATE TABLE series (
  tenant      TEXT    NOT NULL,
  series_id   INTEGER NOT NULL,
  name        TEXT    NOT NULL,
  labels      TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  temporality TEXT    NOT NULL,
  unit        TEXT    NOT NULL,
  description TEXT    NOT NULL,
  first_time  INTEGER NOT NULL,
  last_time   INTEGER NOT NULL,
  last_bound  INTEGER NOT NULL,
  PRIMARY KEY (tenant, series_id)
) WITHOUT ROWID;
CREATE INDEX series_by_name ON series (tenant, name);

-- What a metric name means in a tenant (MetricMetadata): the first type and received temporality
-- stay; unit and description follow the latest write.
CREATE TABLE metadata (
  tenant               TEXT NOT NULL,
  name                 TEXT NOT NULL,
  type                 TEXT NOT NULL,
  received_temporality TEXT NOT NULL,
  unit                 TEXT NOT NULL,
  description          TEXT NOT NULL,
  PRIMARY KEY (tenant, name)
) WITHOUT ROWID;

-- The write-ahead log: one row per write (WalRecord), by the session of the process that wrote it,
-- deleted by the flush that stored its points.
CREATE TABLE wal (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  session INTEGER NOT NULL,
  data    BLOB    NOT NULL
);

-- The one process that flushes: its session (0: none) and when it last said it is alive; the
-- flush counter; the retention epoch, bumped when retention deleted series rows.
CREATE TABLE writer (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  session         INTEGER NOT NULL,
  heartbeat       INTEGER NOT NULL,
  flush_seq       INTEGER NOT NULL,
  retention_epoch INTEGER NOT NULL
);
INSERT INTO writer (id, session, heartbeat, flush_seq, retention_epoch) VALUES (1, 0, 0, 0, 0);

-- A block holds the points of consecutive flushes first_flush..last_flush: level 0 is one flush,
-- level n+1 merges blocks of level n. min_time/max_time bound its points. Readers use ready blocks
-- only; version changes whenever retention rewrites the block.
CREATE TABLE blocks (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  level       INTEGER NOT NULL,
  first_flush INTEGER NOT NULL,
  last_flush  INTEGER NOT NULL,
  min_time    INTEGER NOT NULL,
  max_time    INTEGER NOT NULL,
  ready       INTEGER NOT NULL,
  version     INTEGER NOT NULL DEFAULT 0
);

-- Blocks no longer listed whose rows are still being deleted.
CREATE TABLE garbage (
  block INTEGER PRIMARY KEY
);

-- Per block, the chunks (ChunkCodec) of its series packed into pages (SeriesPages) of about 900
-- bytes, keyed by the first series of the page.
CREATE TABLE chunks (
  block        INTEGER NOT NULL,
  tenant_ref   INTEGER NOT NULL,
  first_series INTEGER NOT NULL,
  data         BLOB    NOT NULL,
  PRIMARY KEY (block, tenant_ref, first_series)
) WITHOUT ROWID;

-- Per block of level 1 and up, the rollups (RollupCodec) of its series, one table per tier.
CREATE TABLE rollups_1m (
  block        INTEGER NOT NULL,
  tenant_ref   INTEGER NOT NULL,
  first_series INTEGER NOT NULL,
  data         BLOB    NOT NULL,
  PRIMARY KEY (block, tenant_ref, first_series)
) WITHOUT ROWID;

CREATE TABLE rollups_1h (
  block        INTEGER NOT NULL,
  tenant_ref   INTEGER NOT NULL,
  first_series INTEGER NOT NULL,
  data         BLOB    NOT NULL,
  PRIMARY KEY (block, tenant_ref, first_series)
) WITHOUT ROWID;
