package dev.sextant.storage.postgres;

import dev.sextant.model.MetricSeries;
import dev.sextant.storage.json.NulEscape;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RowSet;
import dev.sextant.storage.rollup.RollupTier;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * What retention adds for metric rows (ADR 0016) around {@link PgRecordRetention}'s operations on
 * the chunk and rollup tables: the set's series (labels read in Java, exactly as {@link
 * RowSet#matches(MetricSeries)}), the cutoff each table compares with, the raw floor, and the
 * series rows afterwards.
 *
 * <ul>
 *   <li>Raw samples: the log is flushed first (so every acknowledged point is rolled up), the
 *       cutoff goes back to its hour — chunks lie within an hour, so whole chunks go — and no
 *       further than the first hour of a series still waiting for the rollup backfill, and the
 *       tenant's raw floor ({@code pointsRemovedBefore}) moves there before any chunk goes, under
 *       the metric lock, so no flush recomputes a window from samples that are going.
 *   <li>A rollup window goes when it ends by the cutoff: {@code window_start < cutoff - tier + 1}.
 *   <li>Afterwards a series of the set left without chunks and rollups (in the tables or open in
 *       its frontier row) loses its row and frontier; the others' first time moves to their oldest
 *       chunk or window.
 * </ul>
 */
final class MetricRowRetention {
  private static final long HOUR = RollupTier.ONE_HOUR.nanos();

  private static final String RAISE_FLOOR =
      "INSERT INTO metric_raw_floors AS r (tenant, floor) VALUES ($1, $2) ON CONFLICT (tenant)"
          + " DO UPDATE SET floor = greatest(r.floor, excluded.floor)";

  private static final String SERIES =
      "SELECT " + PgMetricStore.SERIES_COLUMNS + " FROM metric_series WHERE tenant = $1";

  private static final String CLEAN_SERIES =
      "WITH b AS (SELECT s.tenant, s.series_id, least((SELECT min(c.min_time) FROM metric_chunks c"
          + " WHERE c.tenant = s.tenant AND c.series_id = s.series_id), (SELECT min(m.window_start)"
          + " FROM metric_rollups_1m m WHERE m.tenant = s.tenant AND m.series_id = s.series_id),"
          + " (SELECT min(h.window_start) FROM metric_rollups_1h h WHERE h.tenant = s.tenant"
          + " AND h.series_id = s.series_id), (SELECT CASE WHEN o.hour IS NOT NULL"
          + " THEN o.time - mod(mod(o.time, 3600000000000) + 3600000000000, 3600000000000)"
          + " WHEN o.minute IS NOT NULL THEN o.time - mod(mod(o.time, 60000000000) + 60000000000,"
          + " 60000000000) END FROM metric_rollup_frontiers o WHERE o.tenant = s.tenant"
          + " AND o.series_id = s.series_id)) AS first FROM metric_series s WHERE s.tenant = $1"
          + " AND s.first_time < $2 AND ($3::int8[] IS NULL OR s.series_id = ANY($3::int8[]))),"
          + " f AS (DELETE FROM metric_rollup_frontiers f USING b WHERE f.tenant = b.tenant"
          + " AND f.series_id = b.series_id AND b.first IS NULL RETURNING 1),"
          + " d AS (DELETE FROM metric_series s USING b WHERE s.tenant = b.tenant"
          + " AND s.series_id = b.series_id AND b.first IS NULL RETURNING 1)"
          + " UPDATE metric_series s SET first_time = b.first FROM b WHERE s.tenant = b.tenant"
          + " AND s.series_id = b.series_id AND b.first > s.first_time";

  private final String schema;
  private final MetricWriter writer;
  private final RollupBackfill backfill;
  private final PgRecordRetention records;

  MetricRowRetention(
      String schema, MetricWriter writer, RollupBackfill backfill, PgRecordRetention records) {
    this.schema = schema;
    this.writer = writer;
    this.backfill = backfill;
    this.records = records;
  }

  /** The table holding the signal's rows. */
  static PgRecordRetention.Table table(RetentionSignal signal) {
    return switch (signal) {
      case METRIC_POINTS -> PgRecordRetention.Table.METRIC_POINTS;
      case METRIC_ROLLUPS_1M -> PgRecordRetention.Table.METRIC_ROLLUPS_1M;
      case METRIC_ROLLUPS_1H -> PgRecordRetention.Table.METRIC_ROLLUPS_1H;
      case SPANS, SPAN_PAYLOADS, LOGS, METRIC_EVENTS, SCORES, FEEDBACK -> null;
    };
  }

  /**
   * The value the table's time column is compared with for a retention cutoff: raw samples go back
   * to the hour; a window is before the cutoff when it ends by it. {@code Long.MIN_VALUE}: nothing.
   */
  static long tableCutoff(RetentionSignal signal, long cutoff) {
    if (signal == RetentionSignal.METRIC_POINTS) {
      return cutoff < Long.MIN_VALUE + HOUR
          ? Long.MIN_VALUE
          : RollupTier.ONE_HOUR.windowStart(cutoff);
    }
    long window = signal.windowNanos();
    return cutoff < Long.MIN_VALUE + window ? Long.MIN_VALUE : cutoff - window + 1;
  }

  /**
   * {@link #tableCutoff(RetentionSignal, long)} for the tenant now: raw samples also stop at the
   * first hour of a series still waiting for the rollup backfill (their rollups are not stored).
   */
  Future<Long> tableCutoff(Pool pool, RetentionSignal signal, String tenant, long cutoff) {
    long before = tableCutoff(signal, cutoff);
    if (signal != RetentionSignal.METRIC_POINTS || before == Long.MIN_VALUE) {
      return Future.succeededFuture(before);
    }
    return backfill.rolledUpBefore(pool, tenant).map(rolledUp -> Math.min(before, rolledUp));
  }

  /** The ids of the set's series; null when the set is the whole tenant. */
  Future<Long[]> seriesOf(Pool pool, RowSet rows) {
    if (rows.isWholeTenant()) {
      return Future.succeededFuture(null);
    }
    return pool.preparedQuery(SERIES)
        .execute(Tuple.of(NulEscape.escape(rows.tenant())))
        .map(
            result -> {
              List<Long> ids = new ArrayList<>();
              for (Row row : result) {
                if (rows.matches(PgMetricStore.series(rows.tenant(), row))) {
                  ids.add(row.getLong(0));
                }
              }
              return ids.toArray(new Long[0]);
            });
  }

  Future<Deleted> deleteBefore(
      Pool pool, RetentionSignal signal, RowSet rows, long cutoff, int max) {
    if (tableCutoff(signal, cutoff) == Long.MIN_VALUE) {
      return Future.succeededFuture(
          new Deleted(
              0, 0, false, signal == RetentionSignal.METRIC_POINTS ? Long.MIN_VALUE : cutoff));
    }
    // After the flush, so that every acknowledged point is rolled up or counted as waiting.
    return writer
        .flush()
        .compose(flushed -> tableCutoff(pool, signal, rows.tenant(), cutoff))
        .compose(
            before -> {
              long reported = signal == RetentionSignal.METRIC_POINTS ? before : cutoff;
              if (before == Long.MIN_VALUE) {
                return Future.succeededFuture(new Deleted(0, 0, false, reported));
              }
              Future<Void> ready =
                  signal == RetentionSignal.METRIC_POINTS
                      ? raiseFloor(pool, rows.tenant(), before)
                      : Future.succeededFuture();
              return ready.compose(x -> delete(pool, signal, rows, cutoff, before, reported, max));
            });
  }

  private Future<Deleted> delete(
      Pool pool,
      RetentionSignal signal,
      RowSet rows,
      long cutoff,
      long before,
      long reported,
      int max) {
    return seriesOf(pool, rows)
        .compose(
            ids ->
                records
                    .deleteBefore(pool, table(signal), rows, ids, before, max)
                    .compose(
                        deleted ->
                            (deleted.more()
                                    ? Future.succeededFuture(0)
                                    : dropOpenWindows(pool, signal, rows.tenant(), ids, before)
                                        .compose(
                                            dropped ->
                                                cleanSeries(pool, rows.tenant(), ids, cutoff)
                                                    .map(dropped)))
                                .map(
                                    dropped ->
                                        new Deleted(
                                            deleted.rows() + dropped,
                                            deleted.bytes(),
                                            deleted.more(),
                                            reported))));
  }

  /** The open windows of a rollup tier that go with the table's ({@link RollupWriter#open}). */
  private Future<Integer> dropOpenWindows(
      Pool pool, RetentionSignal signal, String tenant, Long[] ids, long before) {
    RollupTier tier = signal.rollupTier();
    if (tier == null) {
      return Future.succeededFuture(0);
    }
    return AdvisoryLocks.withMetricLock(
        pool,
        schema,
        connection -> RollupWriter.dropOpenBefore(connection, tier, tenant, ids, before));
  }

  private Future<Void> raiseFloor(Pool pool, String tenant, long floor) {
    return AdvisoryLocks.withMetricLock(
        pool,
        schema,
        connection ->
            connection
                .preparedQuery(RAISE_FLOOR)
                .execute(Tuple.of(NulEscape.escape(tenant), floor))
                .mapEmpty());
  }

  private Future<Void> cleanSeries(Pool pool, String tenant, Long[] ids, long cutoff) {
    return AdvisoryLocks.withMetricLock(
        pool,
        schema,
        connection ->
            connection
                .preparedQuery(CLEAN_SERIES)
                .execute(Tuple.from(new Object[] {NulEscape.escape(tenant), cutoff, ids}))
                .mapEmpty());
  }
}
