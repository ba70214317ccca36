-- Metric series: identity (tenant, series_id = MetricSeries.id()) and the latest metadata;
-- first_time/last_time bound the times of the series' points (a cheap pre-filter).
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
  PRIMARY KEY (tenant, series_id)
) WITHOUT ROWID;
CREATE INDEX series_by_name ON series (tenant, name);

-- Points, one per (series, time). A number point has value (NULL when SQLite cannot hold it
-- exactly: NaN, -0.0) and then value_bits, the raw IEEE-754 bits (NaN payloads such as
-- Prometheus' stale marker survive). A histogram point has histogram: a little-endian blob of
-- count, sum, min, max (raw double bits), the bound count, the bounds and the bucket counts.
CREATE TABLE points (
  tenant     TEXT    NOT NULL,
  series_id  INTEGER NOT NULL,
  time       INTEGER NOT NULL,
  start_time INTEGER NOT NULL,
  value      REAL,
  value_bits INTEGER,
  histogram  BLOB,
  PRIMARY KEY (tenant, series_id, time)
) WITHOUT ROWID;

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
