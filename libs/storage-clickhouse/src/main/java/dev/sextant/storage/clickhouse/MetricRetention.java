package dev.sextant.storage.clickhouse;

import com.clickhouse.client.api.Client;
import dev.sextant.model.MetricPoint;
import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RowSet;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Retention's operations on metrics (ADR 0013). Raw samples go in whole hours, series by series:
 * the windows of both tiers before the hour are computed from the samples going (with the sample
 * before them, kept in {@link RollupMarks}) and stored, the series' frozen boundary moves to the
 * hour, then the samples are deleted, so the rollups answer for the old range exactly as before. A
 * rollup tier's windows are the stored ones and those computed from samples; aging them deletes the
 * stored ones and hides the rest behind the series' mark for the tier.
 */
final class MetricRetention {
  /** What one rollup window counts for, in histograms and deletions. */
  static final long ROLLUP_WINDOW_BYTES = 48;

  private static final String SAMPLE_BYTES =
      "24 + 8 * (length(bounds) + length(bucket_counts) + length(positive_counts)"
          + " + length(negative_counts) + length(quantiles) + length(quantile_values))";

  private final ClickHouseAccess access;
  private final Schema schema;
  private final VersionClock versions;

  MetricRetention(ClickHouseAccess access, Schema schema, VersionClock versions) {
    this.access = access;
    this.schema = schema;
    this.versions = versions;
  }

  /** The set's series, as a condition on {@code series_id}; puts the tenant parameter. */
  private String seriesIn(RowSet rows, Map<String, Object> p) {
    return " AND series_id IN (SELECT series_id FROM "
        + schema.table(Schema.SERIES)
        + " FINAL WHERE 1"
        + Selectors.series(rows, p)
        + ")";
  }

  List<String> tenants(Client c, RetentionSignal signal) throws Exception {
    RollupTier tier = signal.rollupTier();
    String sql =
        tier == null
            ? "SELECT DISTINCT toString(tenant) FROM " + schema.table(Schema.SAMPLES)
            : "SELECT DISTINCT toString(tenant) FROM (SELECT tenant FROM "
                + schema.table(Schema.SAMPLES)
                + " UNION ALL SELECT tenant FROM "
                + schema.table(RollupMarks.table(tier))
                + ")";
    return access.queryBlocking(c, sql, Map.of(), RecordRetention::strings);
  }

  // ------------------------------------------------------------------ raw samples

  Deleted deletePoints(Client c, RowSet rows, long cutoffUnixNanos, int maxRows) throws Exception {
    long hour = RollupTier.ONE_HOUR.windowStart(cutoffUnixNanos);
    Map<String, Object> p = new HashMap<>();
    String set = seriesIn(rows, p);
    p.put("hour", hour);
    String samples =
        " FROM " + schema.table(Schema.SAMPLES) + " FINAL WHERE tenant = {tenant:String}";
    String old = " AND time < fromUnixTimestamp64Nano({hour:Int64})";
    List<long[]> perSeries =
        access.queryBlocking(
            c,
            "SELECT series_id, count(), sum("
                + SAMPLE_BYTES
                + ")"
                + samples
                + set
                + old
                + " GROUP BY series_id ORDER BY series_id",
            p,
            MetricRetention::triples);
    List<Long> batch = new ArrayList<>();
    long deletedRows = 0;
    long deletedBytes = 0;
    boolean more = false;
    for (long[] series : perSeries) {
      if (deletedRows >= maxRows || batch.size() == QueryParameters.MAX_IDS) {
        more = true;
        break;
      }
      batch.add(series[0]);
      deletedRows += series[1];
      deletedBytes += series[2];
    }
    RowBinaryOutput marks = new RowBinaryOutput(64);
    if (!batch.isEmpty()) {
      Map<String, Object> bp = new HashMap<>(p);
      bp.put("ids", batch);
      Map<Long, RollupMarks.Series> frozen = new HashMap<>();
      access.queryBlocking(
          c,
          "SELECT series_id, boundary, sample FROM "
              + schema.table(Schema.ROLLUP_MARKS)
              + " FINAL WHERE tenant = {tenant:String} AND kind = "
              + RollupMarks.FROZEN
              + " AND series_id IN {ids:Array(Int64)}",
          bp,
          in -> {
            while (in.hasMore()) {
              long id = in.int64();
              long boundary = in.int64();
              byte[] sample = in.bytes();
              frozen.put(
                  id,
                  new RollupMarks.Series(
                      boundary, sample.length == 0 ? null : RollupCodec.sample(sample), 0));
            }
            return null;
          });
      Map<Long, List<MetricPoint>> points = new LinkedHashMap<>();
      access.queryBlocking(
          c,
          "SELECT series_id, "
              + SampleRows.SELECT
              + samples
              + " AND series_id IN {ids:Array(Int64)}"
              + old
              + " ORDER BY series_id, time",
          bp,
          in -> {
            while (in.hasMore()) {
              long id = in.int64();
              points.computeIfAbsent(id, k -> new ArrayList<>()).add(SampleRows.read(in));
            }
            return null;
          });
      Map<RollupTier, RowBinaryOutput> windows = new HashMap<>();
      for (RollupTier tier : RollupTier.values()) {
        windows.put(tier, new RowBinaryOutput(256));
      }
      for (Long id : batch) {
        RollupMarks.Series mark = frozen.get(id);
        long frozenBefore = mark == null ? Long.MIN_VALUE : mark.frozenBefore();
        MetricPoint carry = mark == null ? null : mark.sampleBeforeFrozen();
        if (hour <= frozenBefore) {
          continue; // rolled up already; what is left before the hour only goes
        }
        List<MetricPoint> going = new ArrayList<>();
        for (MetricPoint point : points.getOrDefault(id, List.of())) {
          if (point.timeUnixNanos() >= frozenBefore) {
            going.add(point);
          }
        }
        for (RollupTier tier : RollupTier.values()) {
          List<Rollup> computed = Rollups.compute(tier, carry, going);
          long version = versions.next(Math.max(1, computed.size()));
          for (Rollup rollup : computed) {
            RowBinaryOutput out = windows.get(tier);
            out.string(rows.tenant());
            out.int64(id);
            out.int64(rollup.windowStartUnixNanos());
            out.bytes(RollupCodec.encode(rollup));
            out.int64(version++);
          }
        }
        MetricPoint newest = carry;
        for (MetricPoint point : going) {
          if (!Rollups.isStaleMarker(point)) {
            newest = point;
          }
        }
        RollupMarks.write(marks, rows.tenant(), id, RollupMarks.FROZEN, hour, newest);
      }
      // Windows first, then the boundary, then the samples: a step cut short anywhere leaves
      // what reads answer unchanged, and the next call finishes it.
      for (RollupTier tier : RollupTier.values()) {
        if (windows.get(tier).size() > 0) {
          access.insertBlocking(
              c,
              schema.table(RollupMarks.table(tier)),
              List.of("tenant", "series_id", "window_start", "body", "version"),
              windows.get(tier));
        }
      }
      if (marks.size() > 0) {
        access.insertBlocking(c, schema.table(Schema.ROLLUP_MARKS), RollupMarks.COLUMNS, marks);
      }
      access.everyNodeBlocking(
          c,
          "DELETE FROM "
              + schema.local(Schema.SAMPLES)
              + schema.onCluster()
              + " WHERE tenant = {tenant:String} AND series_id IN {ids:Array(Int64)}"
              + old,
          bp);
    }
    RowBinaryOutput removed = new RowBinaryOutput(64);
    RollupMarks.write(removed, rows.tenant(), 0, RollupMarks.POINTS_REMOVED, hour, null);
    access.insertBlocking(c, schema.table(Schema.ROLLUP_MARKS), RollupMarks.COLUMNS, removed);
    return new Deleted(deletedRows, deletedBytes, more, hour);
  }

  private static List<long[]> triples(RowBinaryInput in) {
    List<long[]> out = new ArrayList<>();
    while (in.hasMore()) {
      out.add(new long[] {in.int64(), in.int64(), in.int64()});
    }
    return out;
  }

  // ------------------------------------------------------------------ rollup windows

  /**
   * The set's windows of the tier that exist and were not aged out, ending at or before {@code
   * end}: {@code (series_id, ws)}, ws the window start in nanoseconds.
   */
  private String windows(RollupTier tier, RowSet rows, Map<String, Object> p) {
    String set = seriesIn(rows, p);
    p.put("stale", Long.toUnsignedString(Rollups.STALE_MARKER_BITS));
    long w = tier.nanos();
    return "SELECT DISTINCT w.series_id AS series_id, w.ws AS ws FROM (SELECT series_id,"
        + " toUnixTimestamp64Nano(window_start) AS ws FROM "
        + schema.table(RollupMarks.table(tier))
        + " FINAL WHERE tenant = {tenant:String}"
        + set
        + " UNION ALL SELECT series_id, intDiv(toUnixTimestamp64Nano(time), "
        + w
        + ") * "
        + w
        + " AS ws FROM "
        + schema.table(Schema.SAMPLES)
        + " FINAL WHERE tenant = {tenant:String}"
        + set
        + " AND NOT (kind = "
        + SampleRows.NUMBER
        + " AND reinterpretAsUInt64(value) = {stale:UInt64})) AS w"
        + " LEFT JOIN (SELECT series_id, boundary FROM "
        + schema.table(Schema.ROLLUP_MARKS)
        + " FINAL WHERE tenant = {tenant:String} AND kind = "
        + RollupMarks.gone(tier)
        + ") AS g ON w.series_id = g.series_id"
        + " WHERE (g.boundary = 0 OR w.ws + "
        + w
        + " > g.boundary) AND w.ws + "
        + w
        + " <= {end:Int64}";
  }

  Deleted deleteWindows(Client c, RollupTier tier, RowSet rows, long cutoff, int maxRows)
      throws Exception {
    Map<String, Object> p = new HashMap<>();
    String windows = windows(tier, rows, p);
    p.put("end", cutoff);
    List<long[]> perSeries =
        access.queryBlocking(
            c,
            "SELECT series_id, count(), toInt64(0) FROM ("
                + windows
                + ") GROUP BY series_id ORDER BY series_id",
            p,
            MetricRetention::triples);
    List<Long> batch = new ArrayList<>();
    long deleted = 0;
    boolean more = false;
    for (long[] series : perSeries) {
      if (deleted >= maxRows || batch.size() == QueryParameters.MAX_IDS) {
        more = true;
        break;
      }
      batch.add(series[0]);
      deleted += series[1];
    }
    if (!batch.isEmpty()) {
      Map<String, Object> bp = new HashMap<>();
      bp.put("tenant", rows.tenant());
      bp.put("ids", batch);
      bp.put("end", cutoff);
      access.everyNodeBlocking(
          c,
          "DELETE FROM "
              + schema.local(RollupMarks.table(tier))
              + schema.onCluster()
              + " WHERE tenant = {tenant:String} AND series_id IN {ids:Array(Int64)}"
              + " AND toUnixTimestamp64Nano(window_start) + "
              + tier.nanos()
              + " <= {end:Int64}",
          bp);
      RowBinaryOutput marks = new RowBinaryOutput(64);
      for (Long id : batch) {
        RollupMarks.write(marks, rows.tenant(), id, RollupMarks.gone(tier), cutoff, null);
      }
      access.insertBlocking(c, schema.table(Schema.ROLLUP_MARKS), RollupMarks.COLUMNS, marks);
    }
    return new Deleted(deleted, deleted * ROLLUP_WINDOW_BYTES, more, cutoff);
  }

  // ------------------------------------------------------------------ reads

  List<Bucket> histogram(Client c, RetentionSignal signal, RowSet rows, long before, long bucket)
      throws Exception {
    RollupTier tier = signal.rollupTier();
    Map<String, Object> p = new HashMap<>();
    p.put("bucket", bucket);
    String inner;
    if (tier == null) {
      p.put("hour", RollupTier.ONE_HOUR.windowStart(before));
      inner =
          "SELECT toUnixTimestamp64Nano(time) AS n, "
              + SAMPLE_BYTES
              + " AS bytes FROM "
              + schema.table(Schema.SAMPLES)
              + " FINAL WHERE tenant = {tenant:String}"
              + seriesIn(rows, p)
              + " AND time < fromUnixTimestamp64Nano({hour:Int64})";
    } else {
      String windows = windows(tier, rows, p);
      p.put("end", before);
      inner = "SELECT ws AS n, " + ROLLUP_WINDOW_BYTES + " AS bytes FROM (" + windows + ")";
    }
    return access.queryBlocking(
        c,
        "SELECT n - (((n % {bucket:Int64}) + {bucket:Int64}) % {bucket:Int64}) AS b, count(),"
            + " toUInt64(sum(bytes)) FROM ("
            + inner
            + ") GROUP BY b ORDER BY b",
        p,
        RecordRetention::buckets);
  }

  OptionalLong oldest(Client c, RetentionSignal signal, RowSet rows) throws Exception {
    RollupTier tier = signal.rollupTier();
    Map<String, Object> p = new HashMap<>();
    String sql;
    if (tier == null) {
      sql =
          "SELECT count(), toUnixTimestamp64Nano(min(time)) FROM "
              + schema.table(Schema.SAMPLES)
              + " WHERE tenant = {tenant:String}"
              + seriesIn(rows, p);
    } else {
      String windows = windows(tier, rows, p);
      p.put("end", Long.MAX_VALUE);
      sql = "SELECT count(), min(ws) FROM (" + windows + ")";
    }
    return access.queryBlocking(
        c,
        sql,
        p,
        in -> {
          long count = in.int64();
          long min = in.int64();
          return count == 0 ? OptionalLong.empty() : OptionalLong.of(min);
        });
  }
}
