package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricPoint;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rollups of one series: stored ones for the windows compaction has rolled up, computed from the
 * points for the windows that level-0 blocks (flushed, not compacted yet) may change. A level-0
 * point changes its own window and, as the previous sample of the next one, the windows after it;
 * so every window from the first level-0 point on is computed, the earlier ones are read.
 */
final class RollupReader {
  private RollupReader() {}

  /** Runs inside one read transaction, so blocks cannot change between its statements. */
  static List<Rollup> rollups(
      StatementCache statements, RollupTier tier, int tenantRef, long seriesId, TimeRange range)
      throws SQLException {
    TimeRange times = Rollups.sampleTimes(tier, range);
    long from = times.startUnixNanos();
    long to = times.endUnixNanos();
    if (from >= to) {
      return List.of();
    }
    List<MetricPoint> uncompacted =
        BlockReader.points(
            statements, tenantRef, seriesId, Long.MIN_VALUE, to, BlockFilter.UNCOMPACTED);
    long computeFrom =
        uncompacted.isEmpty()
            ? to
            : Math.max(from, tier.windowStart(uncompacted.getFirst().timeUnixNanos()));
    List<Rollup> rollups =
        new ArrayList<>(
            BlockReader.storedRollups(statements, tier, tenantRef, seriesId, from, computeFrom));
    if (computeFrom < to) {
      MetricPoint previous =
          BlockReader.newestBefore(
              statements, tenantRef, seriesId, computeFrom, true, BlockFilter.ALL);
      List<MetricPoint> points =
          BlockReader.points(statements, tenantRef, seriesId, computeFrom, to, BlockFilter.ALL);
      rollups.addAll(Rollups.compute(tier, previous, points));
    }
    return rollups;
  }
}
