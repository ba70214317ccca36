package dev.sextant.storage.clickhouse;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SummaryPoint;
import dev.sextant.storage.rollup.ExactSum;
import dev.sextant.storage.rollup.ExponentialHistogramRollup;
import dev.sextant.storage.rollup.HistogramRollup;
import dev.sextant.storage.rollup.NumberRollup;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.SummaryRollup;

/**
 * Stored rollup windows and samples as bytes (the {@code body} of {@code rollups_1m} and {@code
 * rollups_1h}, the {@code sample} of {@code rollup_marks}): every field with its exact bits, sums
 * as their exact partials, so a stored window reads back equal to the one computed.
 */
final class RollupCodec {
  private static final int NUMBER = 0;
  private static final int HISTOGRAM = 1;
  private static final int EXPONENTIAL = 2;
  private static final int SUMMARY = 3;

  private RollupCodec() {}

  static byte[] encode(Rollup rollup) {
    RowBinaryOutput out = new RowBinaryOutput(128);
    out.int64(rollup.count());
    switch (rollup) {
      case NumberRollup n -> {
        out.uint8(NUMBER);
        sum(out, n.sum());
        out.float64(n.min());
        out.float64(n.max());
        point(out, n.first());
        point(out, n.last());
        sum(out, n.increase());
      }
      case HistogramRollup h -> {
        out.uint8(HISTOGRAM);
        point(out, h.increase());
        sum(out, h.sumIncrease());
        point(out, h.last());
      }
      case ExponentialHistogramRollup e -> {
        out.uint8(EXPONENTIAL);
        point(out, e.increase());
        sum(out, e.sumIncrease());
        point(out, e.last());
      }
      case SummaryRollup s -> {
        out.uint8(SUMMARY);
        out.int64(s.countIncrease());
        sum(out, s.sumIncrease());
        point(out, s.last());
      }
    }
    return out.toByteArray();
  }

  static Rollup decode(long windowStart, byte[] bytes) {
    RowBinaryInput in = new RowBinaryInput(bytes);
    long count = in.int64();
    int kind = in.uint8();
    return switch (kind) {
      case NUMBER ->
          new NumberRollup(
              windowStart,
              count,
              sum(in),
              in.float64(),
              in.float64(),
              (NumberPoint) point(in),
              (NumberPoint) point(in),
              sum(in));
      case HISTOGRAM ->
          new HistogramRollup(
              windowStart, count, (HistogramPoint) point(in), sum(in), (HistogramPoint) point(in));
      case EXPONENTIAL ->
          new ExponentialHistogramRollup(
              windowStart,
              count,
              (ExponentialHistogramPoint) point(in),
              sum(in),
              (ExponentialHistogramPoint) point(in));
      case SUMMARY ->
          new SummaryRollup(windowStart, count, in.int64(), sum(in), (SummaryPoint) point(in));
      default -> throw Codes.corrupt("rollup kind", kind);
    };
  }

  /** One sample as bytes: a {@code samples} row without tenant, series or version. */
  static byte[] sample(MetricPoint point) {
    RowBinaryOutput out = new RowBinaryOutput(64);
    point(out, point);
    return out.toByteArray();
  }

  static MetricPoint sample(byte[] bytes) {
    return point(new RowBinaryInput(bytes));
  }

  private static void sum(RowBinaryOutput out, ExactSum sum) {
    out.float64Array(sum.partials());
    out.float64(sum.nonFinite());
  }

  private static ExactSum sum(RowBinaryInput in) {
    return ExactSum.fromParts(in.float64Array(), in.float64());
  }

  private static void point(RowBinaryOutput out, MetricPoint point) {
    SampleRows.write(out, "", 0, point, 0);
  }

  private static MetricPoint point(RowBinaryInput in) {
    in.string(); // tenant
    in.int64(); // series id
    MetricPoint point = SampleRows.read(in);
    in.int64(); // version
    return point;
  }
}
