-- Version 5: metric rollups stored (ADR 0016). The flush that turns the write-ahead log into chunks
-- also rolls the points up, in the same transaction, so a rollup is readable exactly when its points
-- are. One row per series and window of a tier: its sample count and the rollup encoded
-- (RollupCodec: exact sums, first/last samples bit for bit). Partitioned by day on the window start
-- like the other time-series tables, so retention of a tier drops whole days.

CREATE TABLE metric_rollups_1m (
  tenant text NOT NULL,
  series_id bigint NOT NULL,
  window_start bigint NOT NULL,
  samples bigint NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (tenant, series_id, window_start)
) PARTITION BY RANGE (window_start);
CREATE TABLE metric_rollups_1m_default PARTITION OF metric_rollups_1m DEFAULT;

CREATE TABLE metric_rollups_1h (
  tenant text NOT NULL,
  series_id bigint NOT NULL,
  window_start bigint NOT NULL,
  samples bigint NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (tenant, series_id, window_start)
) PARTITION BY RANGE (window_start);
CREATE TABLE metric_rollups_1h_default PARTITION OF metric_rollups_1h DEFAULT;

-- Per series, the newest sample rolled up (its time, the point encoded; NULL while the series has
-- only stale markers): a flushed point after it is added onto the stored windows, one at or before
-- it (late, or replacing a point) makes its windows be recomputed from the chunks. minute and hour
-- repeat the stored rollups of the windows holding it (NULL: read them from the tier tables), so
-- the steady flush reads one row per series. Rewritten by every flush that touches the series:
-- room is left in each page for HOT updates. Series stored before version 5 have no row: the
-- backend rolls them up from their chunks at start.
CREATE TABLE metric_rollup_frontiers (
  tenant text NOT NULL,
  series_id bigint NOT NULL,
  time bigint NOT NULL,
  sample bytea,
  minute bytea,
  hour bytea,
  PRIMARY KEY (tenant, series_id)
) WITH (fillfactor = 70);

-- Per tenant, the hour before which retention may have removed raw samples while keeping their
-- rollups (MetricStore.pointsRemovedBefore). Windows before it are never recomputed from samples.
CREATE TABLE metric_raw_floors (
  tenant text PRIMARY KEY,
  floor bigint NOT NULL
);
