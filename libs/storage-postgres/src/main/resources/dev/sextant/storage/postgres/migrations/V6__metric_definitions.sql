-- Version 6: series definitions apart from the write-ahead log (ADR 0012, addendum 2026-12-01).
-- A log record used to carry, per series, its full definition: at 100,000 series each write holds
-- one point per series, so a record was ~90 bytes a point, nine tenths of it definitions. Now the
-- writer upserts a series' definition here the first time it logs the series (or when it changed),
-- in the statement that inserts the record, and records carry only the series' id and tenant. A
-- flush creates or updates series rows from here. Rows outlive their series' data: a log record
-- may still name a series whose row retention deleted.
CREATE TABLE metric_definitions (
  tenant text NOT NULL,
  series_id bigint NOT NULL,
  name text NOT NULL,
  labels jsonb NOT NULL,
  type smallint NOT NULL,
  temporality smallint NOT NULL,
  unit text NOT NULL,
  description text NOT NULL,
  PRIMARY KEY (tenant, series_id)
);
