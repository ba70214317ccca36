-- Retention removed raw samples of the tenant before floor (an hour boundary) where their rollups
-- were complete (ADR 0011): readers of older ranges use the rollups, and compaction no longer
-- recomputes those windows from samples that are gone.
CREATE TABLE raw_floors (
  tenant TEXT    NOT NULL PRIMARY KEY,
  floor  INTEGER NOT NULL
) WITHOUT ROWID;
