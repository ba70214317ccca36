package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricSeries;
import dev.sextant.storage.CallerReads;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.rollup.RollupTier;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which series have points in a time range, exactly, mostly from their rows: a series whose row's
 * last time (a stored point) is in the range has one; one whose first time is at or after the
 * range's end, or whose last bound is before its start, has none. Only the rest are looked up in
 * the blocks.
 */
final class SeriesIndex {
  private SeriesIndex() {}

  record Candidate(long id, MetricSeries series, long lastTime) {}

  /** Series of the tenant (of one name, if given) whose row bounds allow a point in the range. */
  static List<Candidate> candidates(
      StatementCache statements, String tenant, String name, TimeRange range) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT series_id, last_time, " + SeriesRows.COLUMNS + " FROM series WHERE tenant = ?");
    if (name != null) {
      sql.append(" AND name = ?");
    }
    boolean all = range.equals(TimeRange.ALL);
    if (!all) {
      sql.append(" AND first_time < ? AND last_bound >= ?");
    }
    PreparedStatement select = statements.prepare(sql.toString());
    int index = 1;
    select.setString(index++, tenant);
    if (name != null) {
      select.setString(index++, name);
    }
    if (!all) {
      select.setLong(index++, range.endUnixNanos());
      select.setLong(index, range.startUnixNanos());
    }
    List<Candidate> candidates = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        CallerReads.checkBudget();
        candidates.add(
            new Candidate(rows.getLong(1), SeriesRows.read(tenant, rows, 3), rows.getLong(2)));
      }
    }
    return candidates;
  }

  /**
   * Whether the series has a point in the range, or — before the tenant's raw floor, where
   * retention removed samples and kept their rollups — a stored rollup window starting in it.
   */
  static boolean hasPointIn(
      StatementCache statements,
      TenantRefs tenantRefs,
      Candidate candidate,
      TimeRange range,
      long rawFloor)
      throws SQLException {
    if (range.equals(TimeRange.ALL) || range.contains(candidate.lastTime())) {
      return true;
    }
    int ref = tenantRefs.find(statements, candidate.series().tenant());
    if (ref == TenantRefs.UNKNOWN) {
      return false;
    }
    if (BlockReader.hasPointIn(
        statements, ref, candidate.id(), range.startUnixNanos(), range.endUnixNanos())) {
      return true;
    }
    if (range.startUnixNanos() >= rawFloor) {
      return false;
    }
    long to = Math.min(range.endUnixNanos(), rawFloor);
    for (RollupTier tier : RollupTier.values()) {
      if (!BlockReader.storedRollups(
              statements, tier, ref, candidate.id(), range.startUnixNanos(), to)
          .isEmpty()) {
        return true;
      }
    }
    return false;
  }
}
