package dev.sextant.storage.clickhouse;

import com.clickhouse.client.api.Client;
import dev.sextant.model.MetricPoint;
import dev.sextant.storage.rollup.RollupTier;
import java.util.List;
import java.util.Map;

/**
 * {@code rollup_marks}: where retention moved a series' boundaries (ADR 0013). One row per (tenant,
 * kind, series), a {@code ReplacingMergeTree} whose version is the boundary itself (its sign bit
 * flipped, so it orders as unsigned), so the furthest boundary wins whatever order writes land in
 * and a boundary never moves back.
 *
 * <ul>
 *   <li>{@link #FROZEN}: the series' raw samples before the boundary went, and its rollup windows
 *       before it are the ones stored then; {@code sample} holds the newest sample before it, the
 *       previous sample of the next window.
 *   <li>{@link #GONE_1M}, {@link #GONE_1H}: the tier's windows ending by the boundary were aged out
 *       (stored ones deleted, computed ones hidden).
 *   <li>{@link #POINTS_REMOVED}: for the tenant (series 0), {@code
 *       MetricStore.pointsRemovedBefore}.
 * </ul>
 */
final class RollupMarks {
  static final int FROZEN = 0;
  static final int GONE_1M = 1;
  static final int GONE_1H = 2;
  static final int POINTS_REMOVED = 3;

  static final List<String> COLUMNS =
      List.of("tenant", "series_id", "kind", "boundary", "sample", "version");

  private RollupMarks() {}

  /** The marks of one series that a rollup read needs. */
  record Series(long frozenBefore, MetricPoint sampleBeforeFrozen, long goneBefore) {}

  static int gone(RollupTier tier) {
    return tier == RollupTier.ONE_MINUTE ? GONE_1M : GONE_1H;
  }

  static String table(RollupTier tier) {
    return tier == RollupTier.ONE_MINUTE ? Schema.ROLLUPS_1M : Schema.ROLLUPS_1H;
  }

  /** Reads {@code kind, boundary, sample} rows of one series. */
  static Series read(
      ClickHouseAccess access,
      Client c,
      String sql,
      Map<String, Object> parameters,
      RollupTier tier)
      throws Exception {
    return access.queryBlocking(
        c,
        sql,
        parameters,
        in -> {
          long frozen = Long.MIN_VALUE;
          MetricPoint sample = null;
          long gone = Long.MIN_VALUE;
          while (in.hasMore()) {
            int kind = in.uint8();
            long boundary = in.int64();
            byte[] bytes = in.bytes();
            if (kind == FROZEN) {
              frozen = boundary;
              sample = bytes.length == 0 ? null : RollupCodec.sample(bytes);
            } else if (kind == gone(tier)) {
              gone = boundary;
            }
          }
          return new Series(frozen, sample, gone);
        });
  }

  static void write(
      RowBinaryOutput out,
      String tenant,
      long seriesId,
      int kind,
      long boundary,
      MetricPoint sample) {
    out.string(tenant);
    out.int64(seriesId);
    out.uint8(kind);
    out.int64(boundary);
    out.bytes(sample == null ? new byte[0] : RollupCodec.sample(sample));
    out.int64(boundary ^ Long.MIN_VALUE);
  }
}
