package dev.sextant.storage.clickhouse;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SummaryPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Metric points as rows of {@code samples}: one wide row per point whose columns a kind does not
 * use stay at their defaults (stored sparsely by ClickHouse, so a number point costs its time and
 * value). Doubles keep their exact bits: NaN payloads (the stale marker), -0.0 and the infinities.
 */
final class SampleRows {
  static final int NUMBER = 0;
  static final int HISTOGRAM = 1;
  static final int EXPONENTIAL = 2;
  static final int SUMMARY = 3;

  static final List<String> COLUMNS =
      List.of(
          "tenant",
          "series_id",
          "time",
          "start_time",
          "kind",
          "value",
          "count",
          "sum",
          "min",
          "max",
          "bounds",
          "bucket_counts",
          "scale",
          "zero_count",
          "zero_threshold",
          "positive_offset",
          "positive_counts",
          "negative_offset",
          "negative_counts",
          "quantiles",
          "quantile_values",
          "version");

  /** What a read selects, in the order {@link #read} reads it, after the series id. */
  static final String SELECT =
      "toUnixTimestamp64Nano(time), toUnixTimestamp64Nano(start_time), kind, value, count, sum,"
          + " min, max, bounds, bucket_counts, scale, zero_count, zero_threshold,"
          + " positive_offset, positive_counts, negative_offset, negative_counts, quantiles,"
          + " quantile_values";

  /**
   * What a read of series of numbers selects, after the series id: the columns a number point uses
   * (the others, read for nothing, took more than half of such a read's time) and the kind, which
   * {@link #readNumbersById} checks.
   */
  static final String NUMBER_SELECT =
      "toUnixTimestamp64Nano(time), toUnixTimestamp64Nano(start_time), kind, value";

  /**
   * {@link #NUMBER_SELECT} of the newest row of a group (by time, which is unique within a series),
   * its time named {@code newest} to order by.
   */
  static final String NUMBER_NEWEST_SELECT =
      "toUnixTimestamp64Nano(max(time)) AS newest, toUnixTimestamp64Nano(argMax(start_time, time)),"
          + " argMax(kind, time), argMax(value, time)";

  private static final double[] NO_DOUBLES = new double[0];
  private static final long[] NO_LONGS = new long[0];

  private SampleRows() {}

  /** Rows of a series id then {@link #SELECT}'s columns, by series id in the order read. */
  static Map<Long, List<MetricPoint>> readById(RowBinaryInput in) {
    Map<Long, List<MetricPoint>> found = new HashMap<>();
    while (in.hasMore()) {
      long id = in.int64();
      found.computeIfAbsent(id, k -> new ArrayList<>()).add(read(in));
    }
    return found;
  }

  /**
   * Rows of a series id then {@link #NUMBER_SELECT}'s columns, by series id in the order read. A
   * series with a row of another kind (which a series of numbers should never have) goes into
   * {@code otherKinds} and out of the result, to be read whole.
   */
  static Map<Long, List<MetricPoint>> readNumbersById(RowBinaryInput in, Set<Long> otherKinds) {
    Map<Long, List<MetricPoint>> found = new HashMap<>();
    while (in.hasMore()) {
      long id = in.int64();
      long time = in.int64();
      long start = in.int64();
      int kind = in.uint8();
      double value = in.float64();
      if (kind == NUMBER) {
        found.computeIfAbsent(id, k -> new ArrayList<>()).add(new NumberPoint(start, time, value));
      } else {
        otherKinds.add(id);
      }
    }
    found.keySet().removeAll(otherKinds);
    return found;
  }

  static void write(
      RowBinaryOutput out, String tenant, long seriesId, MetricPoint point, long version) {
    out.string(tenant);
    out.int64(seriesId);
    out.int64(point.timeUnixNanos());
    out.int64(point.startTimeUnixNanos());
    switch (point) {
      case NumberPoint n -> {
        out.uint8(NUMBER);
        out.float64(n.value());
        writeCommon(out, 0, 0, 0, 0);
        writeExplicit(out, NO_DOUBLES, NO_LONGS);
        writeExponential(out, 0, 0, 0, 0, NO_LONGS, 0, NO_LONGS);
        writeQuantiles(out, NO_DOUBLES, NO_DOUBLES);
      }
      case HistogramPoint h -> {
        out.uint8(HISTOGRAM);
        out.float64(0);
        writeCommon(out, h.count(), h.sum(), h.min(), h.max());
        writeExplicit(out, h.bounds(), h.bucketCounts());
        writeExponential(out, 0, 0, 0, 0, NO_LONGS, 0, NO_LONGS);
        writeQuantiles(out, NO_DOUBLES, NO_DOUBLES);
      }
      case ExponentialHistogramPoint e -> {
        out.uint8(EXPONENTIAL);
        out.float64(0);
        writeCommon(out, e.count(), e.sum(), e.min(), e.max());
        writeExplicit(out, NO_DOUBLES, NO_LONGS);
        writeExponential(
            out,
            e.scale(),
            e.zeroCount(),
            e.zeroThreshold(),
            e.positive().offset(),
            e.positive().counts(),
            e.negative().offset(),
            e.negative().counts());
        writeQuantiles(out, NO_DOUBLES, NO_DOUBLES);
      }
      case SummaryPoint s -> {
        out.uint8(SUMMARY);
        out.float64(0);
        writeCommon(out, s.count(), s.sum(), 0, 0);
        writeExplicit(out, NO_DOUBLES, NO_LONGS);
        writeExponential(out, 0, 0, 0, 0, NO_LONGS, 0, NO_LONGS);
        double[] quantiles = new double[s.quantiles().size()];
        double[] values = new double[quantiles.length];
        for (int i = 0; i < quantiles.length; i++) {
          quantiles[i] = s.quantiles().get(i).quantile();
          values[i] = s.quantiles().get(i).value();
        }
        writeQuantiles(out, quantiles, values);
      }
    }
    out.int64(version);
  }

  private static void writeCommon(
      RowBinaryOutput out, long count, double sum, double min, double max) {
    out.int64(count);
    out.float64(sum);
    out.float64(min);
    out.float64(max);
  }

  private static void writeExplicit(RowBinaryOutput out, double[] bounds, long[] counts) {
    out.float64Array(bounds);
    out.int64Array(counts);
  }

  private static void writeExponential(
      RowBinaryOutput out,
      int scale,
      long zeroCount,
      double zeroThreshold,
      int positiveOffset,
      long[] positive,
      int negativeOffset,
      long[] negative) {
    out.uint8(scale);
    out.int64(zeroCount);
    out.float64(zeroThreshold);
    out.int32(positiveOffset);
    out.int64Array(positive);
    out.int32(negativeOffset);
    out.int64Array(negative);
  }

  private static void writeQuantiles(RowBinaryOutput out, double[] quantiles, double[] values) {
    out.float64Array(quantiles);
    out.float64Array(values);
  }

  /** One point, as {@link #SELECT} lists its columns. */
  static MetricPoint read(RowBinaryInput in) {
    long time = in.int64();
    long start = in.int64();
    int kind = in.uint8();
    double value = in.float64();
    long count = in.int64();
    double sum = in.float64();
    double min = in.float64();
    double max = in.float64();
    double[] bounds = in.float64Array();
    long[] bucketCounts = in.int64Array();
    int scale = in.int8();
    long zeroCount = in.int64();
    double zeroThreshold = in.float64();
    int positiveOffset = in.int32();
    long[] positive = in.int64Array();
    int negativeOffset = in.int32();
    long[] negative = in.int64Array();
    double[] quantiles = in.float64Array();
    double[] values = in.float64Array();
    return switch (kind) {
      case NUMBER -> new NumberPoint(start, time, value);
      case HISTOGRAM -> new HistogramPoint(start, time, count, sum, min, max, bounds, bucketCounts);
      case EXPONENTIAL ->
          new ExponentialHistogramPoint(
              start,
              time,
              count,
              sum,
              min,
              max,
              scale,
              zeroCount,
              zeroThreshold,
              new ExponentialHistogramPoint.Buckets(positiveOffset, positive),
              new ExponentialHistogramPoint.Buckets(negativeOffset, negative));
      case SUMMARY -> {
        List<SummaryPoint.Quantile> list = new ArrayList<>(quantiles.length);
        for (int i = 0; i < quantiles.length; i++) {
          list.add(new SummaryPoint.Quantile(quantiles[i], values[i]));
        }
        yield new SummaryPoint(start, time, count, sum, list);
      }
      default -> throw Codes.corrupt("point kind", kind);
    };
  }
}
